import { ReactNode, useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { FormProblem } from '../../components/field-faults';

/**
 * One step of the protocol as a form: its title, its fields, one button, and the domain's refusal right under it.
 * A refusal for a stale version says so and offers to read the record again, its history showing what changed.
 */
export function SafetyStep(props: {
  title: string;
  submitLabel: string;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  shownFields?: readonly string[];
  danger?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  return (
    <section aria-labelledby={id} className="card card-bg mb-4">
      <div className="card-body">
        <h3 id={id} className="h5 card-title">
          {props.title}
        </h3>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            props.onSubmit();
          }}
        >
          {props.children}
          <FormProblem
            error={props.error}
            shownFields={props.shownFields}
            stale={
              <Alert color="warning" role="alert">
                <p className="mb-2">{t('safety.stale')}</p>
                <Button
                  type="button"
                  size="sm"
                  color="primary"
                  outline
                  onClick={() => void client.invalidateQueries({ queryKey: ['safety'] })}
                >
                  {t('safety.reload')}
                </Button>
              </Alert>
            }
          />
          <Button type="submit" color={props.danger ? 'danger' : 'primary'} disabled={props.pending}>
            {props.submitLabel}
          </Button>
        </form>
      </div>
    </section>
  );
}
