import { ReactNode, useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { ApiProblem } from '../api/client';
import { CaseChangesSince, StaleCaseProblem } from './case-changes';
import { ChecksField, FormProblem, InputField, SelectField } from './field-faults';

/** A labelled choice from one of the API's vocabularies, its options in the console's words (vocab.<name>.<value>). */
export function VocabularySelect<T extends string>(props: {
  label: string;
  vocabulary: string;
  values: readonly T[];
  value: NoInfer<T> | '';
  onChange(value: NoInfer<T>): void;
  emptyLabel?: string;
  fault?: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField
      label={props.label}
      value={props.value}
      onChange={(value) => props.onChange(value as T)}
      options={props.values.map((value) => [value, t(`vocab.${props.vocabulary}.${value}`)] as const)}
      emptyLabel={props.emptyLabel}
      fault={props.fault}
    />
  );
}

/** Several choices from a vocabulary, as checkboxes in a fieldset. */
export function VocabularyChecks<T extends string>(props: {
  legend: string;
  vocabulary: string;
  values: readonly T[];
  chosen: readonly T[];
  onChange(chosen: T[]): void;
  fault?: string;
}) {
  const { t } = useTranslation();
  return (
    <ChecksField
      label={props.legend}
      values={props.values}
      chosen={props.chosen}
      onChange={(chosen) => props.onChange(chosen)}
      wordsOf={(value) => t(`vocab.${props.vocabulary}.${value}`)}
      fault={props.fault}
    />
  );
}

/** A labelled text, date or number input (the same control as the directory's forms, InputField). */
export function TextField(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  type?: 'text' | 'datetime-local' | 'month' | 'tel' | 'date';
  required?: boolean;
  multiline?: boolean;
  fault?: string;
}) {
  return <InputField {...props} />;
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
export function ProblemMessage({ error, retry = false }: { error: unknown; retry?: boolean }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof StaleCaseProblem) return <CaseChangesSince problem={error} retry={retry} />;
  if (error instanceof ApiProblem && error.isStale)
    return (
      <Alert color="warning" role="alert">
        {t('case.stale')}
      </Alert>
    );
  return <FormProblem error={error} />;
}

/**
 * A next step as a form: its title, its fields, one button; the refusal (if any) shown right under it, and a
 * polite status once it is recorded. While it is being sent the button says so (aria-disabled) but keeps the focus:
 * a disabled button would drop it, and the next Tab would start again from the top of the page.
 */
export function StepForm(props: {
  title: string;
  submitLabel?: string;
  onSubmit(): void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
  danger?: boolean;
  done?: boolean;
  /** For a form that appears because of the user's last step: the focus goes to its title. */
  focusOnMount?: boolean;
  /** A form that cannot be sent yet (a confirmation not ticked). */
  blocked?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const focusOnMount = props.focusOnMount;
  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);
  return (
    <section aria-labelledby={id} className="card card-bg mb-4">
      <div className="card-body">
        <h3 id={id} className="h5 card-title" ref={heading} tabIndex={-1}>
          {props.title}
        </h3>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!props.pending && !props.blocked) props.onSubmit();
          }}
        >
          {props.children}
          <ProblemMessage error={props.error} retry />
          <div role="status" className="visually-hidden">
            {props.done && !props.pending ? t('forms.recorded', { step: props.title }) : ''}
          </div>
          <Button
            type="submit"
            color={props.danger ? 'danger' : 'primary'}
            disabled={props.blocked}
            aria-disabled={props.pending || undefined}
          >
            {props.submitLabel ?? t('forms.submit')}
          </Button>
        </form>
      </div>
    </section>
  );
}
