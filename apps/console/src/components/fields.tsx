import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { ApiProblem } from '../api/client';

/** A labelled choice from one of the API's vocabularies, its options in the console's words (vocab.<name>.<value>). */
export function VocabularySelect<T extends string>(props: {
  label: string;
  vocabulary: string;
  values: readonly T[];
  value: NoInfer<T> | '';
  onChange(value: NoInfer<T>): void;
  emptyLabel?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="select-wrapper mb-4">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value as T)}>
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.values.map((value) => (
          <option key={value} value={value}>
            {t(`vocab.${props.vocabulary}.${value}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Several choices from a vocabulary, as checkboxes in a fieldset. */
export function VocabularyChecks<T extends string>(props: {
  legend: string;
  vocabulary: string;
  values: readonly T[];
  chosen: readonly T[];
  onChange(chosen: T[]): void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="mb-4">
      <legend className="h6">{props.legend}</legend>
      {props.values.map((value) => (
        <div className="form-check form-check-inline" key={value}>
          <input
            id={`${id}-${value}`}
            type="checkbox"
            checked={props.chosen.includes(value)}
            onChange={(event) =>
              props.onChange(
                event.target.checked ? [...props.chosen, value] : props.chosen.filter((item) => item !== value),
              )
            }
          />
          <label htmlFor={`${id}-${value}`}>{t(`vocab.${props.vocabulary}.${value}`)}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'datetime-local' | 'month' | 'tel' | 'date';
  required?: boolean;
  multiline?: boolean;
}) {
  const id = useId();
  return (
    <div className="form-group mb-4">
      <label htmlFor={id} className="active">
        {props.label}
      </label>
      {props.multiline ? (
        <textarea id={id} rows={2} value={props.value} onChange={(event) => props.onChange(event.target.value)} />
      ) : (
        <input
          id={id}
          className="form-control"
          type={props.type ?? 'text'}
          value={props.value}
          required={props.required}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </div>
  );
}

export function CheckField(props: { label: string; checked: boolean; onChange(checked: boolean): void }) {
  const id = useId();
  return (
    <div className="form-check mb-3">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/** What went wrong, in the API's own words (its `detail`, and each field at fault), next to the form that asked. */
export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (!(error instanceof ApiProblem))
    return (
      <Alert color="danger" role="alert">
        {t('problems.network')}
      </Alert>
    );
  if (error.isStale)
    return (
      <Alert color="warning" role="alert">
        {t('case.stale')}
      </Alert>
    );
  return (
    <Alert color="danger" role="alert">
      <p className="mb-1">{error.detail || t('problems.generic', { status: error.status })}</p>
      {error.errors.length > 0 && (
        <ul className="mb-0">
          {error.errors.map((fault) => (
            <li key={fault.field}>{t('problems.field', { field: fault.field, reason: fault.reason })}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** A next step as a form: its title, its fields, one button; the refusal (if any) shown right under it. */
export function StepForm(props: {
  title: string;
  submitLabel?: string;
  onSubmit(): void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={id} className="card card-bg mb-4">
      <div className="card-body">
        <h3 id={id} className="h5 card-title">
          {props.title}
        </h3>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            props.onSubmit();
          }}
        >
          {props.children}
          <ProblemMessage error={props.error} />
          <Button type="submit" color={props.danger ? 'danger' : 'primary'} disabled={props.pending}>
            {props.submitLabel ?? t('forms.submit')}
          </Button>
        </form>
      </div>
    </section>
  );
}
