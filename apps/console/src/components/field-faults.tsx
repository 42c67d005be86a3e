import { ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from 'design-react-kit';
import { ApiProblem } from '../api/client';

/** The API's reasons for each field it refused (a 4xx naming the field), keyed by the field's path, e.g. `handoffContact.phone`. */
export type FieldFaults = Readonly<Record<string, string>>;

export function faultsOf(error: unknown): FieldFaults {
  if (!(error instanceof ApiProblem)) return {};
  const faults: Record<string, string> = {};
  for (const fault of error.errors)
    faults[fault.field] = faults[fault.field] ? `${faults[fault.field]}; ${fault.reason}` : fault.reason;
  return faults;
}

interface FieldProps {
  label: string;
  /** The API's reason this field was refused, shown under it and announced with it. */
  fault?: string;
  hint?: string;
}

/** A labelled input whose refusal, if any, is shown right under it and tied to it (aria-invalid, aria-describedby). */
export function InputField(
  props: FieldProps & {
    value: string;
    onChange: (value: string) => void;
    type?: 'text' | 'email' | 'url' | 'number' | 'tel' | 'datetime-local' | 'month' | 'date';
    required?: boolean;
    multiline?: boolean;
  },
) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : '', props.fault ? `${id}-fault` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value: props.value,
    'aria-invalid': props.fault ? true : undefined,
    'aria-describedby': described || undefined,
    'aria-required': props.required || undefined,
  };
  return (
    <div className="form-group mb-4">
      <label htmlFor={id} className="active">
        {props.label}
      </label>
      {props.multiline ? (
        <textarea
          {...common}
          rows={2}
          className={props.fault ? 'is-invalid' : undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          className={`form-control${props.fault ? ' is-invalid' : ''}`}
          type={props.type ?? 'text'}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
      {props.hint && (
        <small id={`${id}-hint`} className="form-text">
          {props.hint}
        </small>
      )}
      <FaultText id={`${id}-fault`} fault={props.fault} />
    </div>
  );
}

/** A labelled choice of one value; `options` are value and words. */
export function SelectField(
  props: FieldProps & {
    value: string;
    onChange: (value: string) => void;
    options: ReadonlyArray<readonly [string, string]>;
    emptyLabel?: string;
  },
) {
  const id = useId();
  return (
    <div className="select-wrapper mb-4">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        value={props.value}
        aria-invalid={props.fault ? true : undefined}
        aria-describedby={props.fault ? `${id}-fault` : undefined}
        className={props.fault ? 'is-invalid' : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      >
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {props.options.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      <FaultText id={`${id}-fault`} fault={props.fault} />
    </div>
  );
}

/** Several values as checkboxes in a fieldset whose legend names them. */
export function ChecksField<T extends string>(
  props: FieldProps & {
    values: readonly T[];
    chosen: readonly T[];
    onChange: (chosen: T[]) => void;
    wordsOf: (value: T) => string;
  },
) {
  const id = useId();
  return (
    <fieldset className="mb-4" aria-describedby={props.fault ? `${id}-fault` : undefined}>
      <legend className="h6">{props.label}</legend>
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
          <label htmlFor={`${id}-${value}`}>{props.wordsOf(value)}</label>
        </div>
      ))}
      <FaultText id={`${id}-fault`} fault={props.fault} />
    </fieldset>
  );
}

function FaultText({ id, fault }: { id: string; fault?: string }) {
  if (!fault) return null;
  return (
    <div id={id} className="invalid-feedback d-block" role="alert">
      {fault}
    </div>
  );
}

/**
 * The refusal of a form as a whole: the API's words, and the faults of fields the form does not show (those it
 * shows are under their field). A stale version is the caller's to explain (`stale`), since only it knows what changed.
 */
export function FormProblem(props: { error: unknown; shownFields?: readonly string[]; stale?: ReactNode }) {
  const { t } = useTranslation();
  const { error } = props;
  if (!error) return null;
  if (!(error instanceof ApiProblem))
    return (
      <Alert color="danger" role="alert">
        {t('problems.network')}
      </Alert>
    );
  if (error.isStale && props.stale) return <>{props.stale}</>;
  const elsewhere = error.errors.filter((fault) => !props.shownFields?.includes(fault.field));
  return (
    <Alert color="danger" role="alert">
      <p className="mb-1">{error.detail || t('problems.generic', { status: error.status })}</p>
      {elsewhere.length > 0 && (
        <ul className="mb-0">
          {elsewhere.map((fault) => (
            <li key={fault.field}>{t('problems.field', { field: fault.field, reason: fault.reason })}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
