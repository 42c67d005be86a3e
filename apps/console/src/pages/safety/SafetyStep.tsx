import { ReactNode, useId } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { CheckField } from '../../components/fields';
import { FieldFaults, FormProblem, InputField, SelectField } from '../../components/field-faults';
import { INCIDENT_KINDS, type IncidentKind } from './safety-steps';

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

/** What the unit records of a violent event: its kind, when it started (the line's wall time), help called, where. */
export interface Incident {
  kind: IncidentKind | '';
  startedAt: string;
  colleaguesCalled: boolean;
  location: string;
}

export const NO_INCIDENT: Incident = { kind: '', startedAt: '', colleaguesCalled: false, location: '' };

/** An incident's fields, each with the API's refusal of it; `kindField` is the body's name for the kind. */
export function IncidentFields(props: {
  value: Incident;
  onChange: (value: Incident) => void;
  faults: FieldFaults;
  kindField: 'kind' | 'incidentKind';
}) {
  const { t } = useTranslation();
  const { value, faults } = props;
  const set =
    <K extends keyof Incident>(key: K) =>
    (changed: Incident[K]) =>
      props.onChange({ ...value, [key]: changed });
  return (
    <>
      <SelectField
        label={t('safety.incidentKindLabel')}
        value={value.kind}
        onChange={(kind) => set('kind')(kind as IncidentKind)}
        emptyLabel={t('directory.choose')}
        options={INCIDENT_KINDS.map((kind) => [kind, t(`safety.incidentKind.${kind}`)] as const)}
        fault={faults[props.kindField]}
      />
      <InputField
        label={t('safety.startedAt')}
        type="datetime-local"
        value={value.startedAt}
        onChange={set('startedAt')}
        fault={faults.startedAt}
      />
      <CheckField
        label={t('safety.colleaguesCalled')}
        checked={value.colleaguesCalled}
        onChange={set('colleaguesCalled')}
      />
      <InputField
        label={t('safety.location')}
        value={value.location}
        onChange={set('location')}
        fault={faults.location}
      />
    </>
  );
}
