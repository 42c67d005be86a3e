import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import type { CaseView } from '../../api/responses';
import type { operations } from '../../api/schema';
import {
  AREAS,
  CALLBACK_RESOLUTIONS,
  CONSENT_METHODS,
  ERASURE_REASONS,
  GOAL_KINDS,
  OUTCOMES,
  PROBLEM_CATEGORIES,
  REOPEN_REASONS,
  REQUEST_CATEGORIES,
  RISK_KINDS,
  RISK_LEVELS,
  SERVICE_TYPES,
  SESSION_MODES,
  SHARED_FIELDS,
} from '../../api/vocabularies';
import {
  CheckField,
  ProblemMessage,
  StepForm,
  TextField,
  VocabularyChecks,
  VocabularySelect,
} from '../../components/fields';
import { formatInstant, instantFromLineTime, lineTimeFromNow } from '../../lib/time';
import { focusWhenShown } from '../../components/focus';
import { REFERRALS_HEADING, useCaseStep } from './case-step';

type StepProps = { view: CaseView };
const RESULTS_HEADING = 'directory-results';
type DirectoryQuery = NonNullable<operations['DirectorySearchController_search']['parameters']['query']>;
const path = (view: CaseView) => ({ caseId: view.caseId });
const header = (ifMatch: string) => ({ 'If-Match': ifMatch });

export function FrameRequestStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [categories, setCategories] = useState<Array<(typeof REQUEST_CATEGORIES)[number]>>([]);
  const [note, setNote] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/request-framing', {
        params: { path: path(view), header: header(ifMatch) },
        body: { categories, ...(note ? { note } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.frame.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularyChecks
        legend={t('forms.frame.categories')}
        vocabulary="requestCategory"
        values={REQUEST_CATEGORIES}
        chosen={categories}
        onChange={setCategories}
      />
      <TextField label={t('forms.note')} value={note} onChange={setNote} multiline />
    </StepForm>
  );
}

export function ReframeProblemStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [categories, setCategories] = useState<Array<(typeof PROBLEM_CATEGORIES)[number]>>([]);
  const [note, setNote] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/problem-reframing', {
        params: { path: path(view), header: header(ifMatch) },
        body: { categories, ...(note ? { note } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.reframe.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularyChecks
        legend={t('forms.reframe.categories')}
        vocabulary="problemCategory"
        values={PROBLEM_CATEGORIES}
        chosen={categories}
        onChange={setCategories}
      />
      <TextField label={t('forms.note')} value={note} onChange={setNote} multiline />
    </StepForm>
  );
}

export function SetGoalStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [goalKind, setGoalKind] = useState<(typeof GOAL_KINDS)[number]>('contact_a_service');
  const [description, setDescription] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/goal', {
        params: { path: path(view), header: header(ifMatch) },
        body: { goalKind, ...(description ? { description } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.goal.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularySelect
        label={t('forms.goal.kind')}
        vocabulary="goalKind"
        values={GOAL_KINDS}
        value={goalKind}
        onChange={setGoalKind}
      />
      <TextField label={t('forms.goal.description')} value={description} onChange={setDescription} multiline />
    </StepForm>
  );
}

export function FlagRiskStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<(typeof RISK_LEVELS)[number]>('moderate');
  const [kind, setKind] = useState<(typeof RISK_KINDS)[number]>('self_harm');
  const [note, setNote] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/risk-flags', {
        params: { path: path(view), header: header(ifMatch) },
        body: { level, kind, ...(note ? { note } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.risk.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularySelect
        label={t('forms.risk.level')}
        vocabulary="riskLevel"
        values={RISK_LEVELS}
        value={level}
        onChange={setLevel}
      />
      <VocabularySelect
        label={t('forms.risk.kind')}
        vocabulary="riskKind"
        values={RISK_KINDS}
        value={kind}
        onChange={setKind}
      />
      <TextField label={t('forms.note')} value={note} onChange={setNote} multiline />
    </StepForm>
  );
}

export function RequestCallbackStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [nameOrAlias, setName] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/callbacks', {
        params: { path: path(view), header: header(ifMatch) },
        body: { number, ...(nameOrAlias ? { nameOrAlias } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.callback.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <TextField label={t('forms.callback.number')} type="tel" value={number} onChange={setNumber} required />
      <TextField label={t('forms.callback.name')} value={nameOrAlias} onChange={setName} />
    </StepForm>
  );
}

export function CompleteCallbackStep({ view, callbackId }: StepProps & { callbackId: string }) {
  const { t } = useTranslation();
  const [resolution, setResolution] = useState<(typeof CALLBACK_RESOLUTIONS)[number]>('caller_reached');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/callbacks/{callbackId}/completion', {
        params: { path: { caseId: view.caseId, callbackId }, header: header(ifMatch) },
        body: { resolution },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.callback.complete')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularySelect
        label={t('forms.callback.resolution')}
        vocabulary="callbackResolution"
        values={CALLBACK_RESOLUTIONS}
        value={resolution}
        onChange={setResolution}
      />
    </StepForm>
  );
}

/** Search the directory (type, area, open now) and propose one of the services found. */
export function ProposeReferralStep({ view, onProposed }: StepProps & { onProposed: (referralId: string) => void }) {
  const { t } = useTranslation();
  const [serviceType, setServiceType] = useState<(typeof SERVICE_TYPES)[number] | ''>('serd');
  const [area, setArea] = useState<(typeof AREAS)[number] | ''>('');
  const [openNow, setOpenNow] = useState(false);
  const [text, setText] = useState('');
  const [search, setSearch] = useState<DirectoryQuery>();
  const found = useQuery({
    queryKey: ['directory-search', search],
    enabled: search !== undefined,
    queryFn: () => answer(api.GET('/directory/services', { params: { query: { ...search, limit: 20 } } })),
  });
  const step = useCaseStep(view.caseId, view.version, (ifMatch, serviceId: string) =>
    answer(
      api.POST('/cases/{caseId}/referrals', {
        params: { path: path(view), header: header(ifMatch) },
        body: { serviceId },
      }),
    ),
  );
  return (
    <section className="card card-bg mb-4" aria-labelledby="referral-title">
      <div className="card-body">
        <h3 id="referral-title" className="h5">
          {t('forms.referral.title')}
        </h3>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            focusWhenShown(RESULTS_HEADING);
            setSearch({
              ...(serviceType ? { serviceType: [serviceType] } : {}),
              ...(area ? { area: [area] } : {}),
              ...(openNow ? { openNow: true } : {}),
              ...(text ? { text } : {}),
            });
          }}
        >
          <VocabularySelect
            label={t('forms.referral.serviceType')}
            vocabulary="serviceType"
            values={SERVICE_TYPES}
            value={serviceType}
            onChange={setServiceType}
            emptyLabel={t('forms.referral.anyType')}
          />
          <VocabularySelect
            label={t('forms.referral.area')}
            vocabulary="area"
            values={AREAS}
            value={area}
            onChange={setArea}
            emptyLabel={t('forms.referral.anyArea')}
          />
          <TextField label={t('forms.referral.text')} value={text} onChange={setText} />
          <CheckField label={t('forms.referral.openNow')} checked={openNow} onChange={setOpenNow} />
          <Button type="submit" color="primary" outline>
            {t('forms.referral.search')}
          </Button>
        </form>
        <ProblemMessage error={found.error} />
        {found.data && (
          <>
            <h4 className="h6 mt-3" id={RESULTS_HEADING} tabIndex={-1}>
              {t('forms.referral.results')}
            </h4>
            {found.data.items.length === 0 && <p>{t('app.none')}</p>}
            <ul className="list-unstyled">
              {found.data.items.map((service) => (
                <li key={service.id} className="mb-2">
                  <strong>{service.name}</strong> ·{' '}
                  {t(`vocab.serviceType.${service.serviceType}`, { defaultValue: service.serviceType })} ·{' '}
                  {service.areas.map((where) => t(`vocab.area.${where}`, { defaultValue: where })).join(', ')}
                  {service.openNow !== undefined &&
                    ` · ${service.openNow ? t('forms.referral.open') : t('forms.referral.closed')}`}{' '}
                  <Button
                    size="xs"
                    color="primary"
                    aria-disabled={step.isPending || undefined}
                    onClick={() =>
                      !step.isPending &&
                      step.mutate(service.id, {
                        onSuccess: (proposed) => {
                          const referralId = proposed.events.find((event) => event.referralId)?.referralId;
                          if (referralId) onProposed(referralId);
                        },
                      })
                    }
                  >
                    {t('forms.referral.propose', { name: service.name })}
                  </Button>
                </li>
              ))}
            </ul>
          </>
        )}
        <ProblemMessage error={step.error} />
      </div>
    </section>
  );
}

/** The handoff of a proposed referral, with the caller's consent to share the fields chosen. */
export function SendHandoffStep({
  view,
  referralId,
  serviceName,
  justProposed,
}: StepProps & { referralId: string; serviceName: string; justProposed: boolean }) {
  const { t } = useTranslation();
  const [given, setGiven] = useState(false);
  const [method, setMethod] = useState<(typeof CONSENT_METHODS)[number]>('verbal');
  const [sharedFields, setSharedFields] = useState<Array<(typeof SHARED_FIELDS)[number]>>(['age_band', 'concern']);
  const [summaryNote, setSummary] = useState('');
  const step = useCaseStep(
    view.caseId,
    view.version,
    (ifMatch) =>
      answer(
        api.POST('/cases/{caseId}/referrals/{referralId}/handoff', {
          params: { path: { caseId: view.caseId, referralId }, header: header(ifMatch) },
          body: {
            consent: { given, method },
            sharedFields,
            ...(sharedFields.includes('summary_note') && summaryNote ? { summaryNote } : {}),
          },
        }),
      ),
    () => focusWhenShown(REFERRALS_HEADING),
  );
  return (
    <StepForm
      title={`${t('forms.handoff.title')}: ${serviceName}`}
      submitLabel={t('forms.handoff.submit')}
      focusOnMount={justProposed}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <CheckField label={t('forms.handoff.consent')} checked={given} onChange={setGiven} />
      <VocabularySelect
        label={t('forms.handoff.method')}
        vocabulary="consentMethod"
        values={CONSENT_METHODS}
        value={method}
        onChange={setMethod}
      />
      <VocabularyChecks
        legend={t('forms.handoff.fields')}
        vocabulary="sharedField"
        values={SHARED_FIELDS}
        chosen={sharedFields}
        onChange={setSharedFields}
      />
      {sharedFields.includes('summary_note') && (
        <TextField label={t('forms.handoff.summary')} value={summaryNote} onChange={setSummary} multiline />
      )}
    </StepForm>
  );
}

export function ScheduleSessionStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [when, setWhen] = useState(lineTimeFromNow({ days: 2 }));
  const [mode, setMode] = useState<(typeof SESSION_MODES)[number]>('phone');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/sessions', {
        params: { path: path(view), header: header(ifMatch) },
        body: { scheduledFor: instantFromLineTime(when), mode },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.session.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <TextField label={t('forms.session.when')} type="datetime-local" value={when} onChange={setWhen} required />
      <VocabularySelect
        label={t('forms.session.mode')}
        vocabulary="sessionMode"
        values={SESSION_MODES}
        value={mode}
        onChange={setMode}
      />
    </StepForm>
  );
}

export function CloseCaseStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('referred_to_service');
  const [note, setNote] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/closure', {
        params: { path: path(view), header: header(ifMatch) },
        body: { outcome, ...(note ? { note } : {}) },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.close.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularySelect
        label={t('forms.close.outcome')}
        vocabulary="outcome"
        values={OUTCOMES}
        value={outcome}
        onChange={setOutcome}
      />
      <TextField label={t('forms.note')} value={note} onChange={setNote} multiline />
    </StepForm>
  );
}

export function ReopenCaseStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof REOPEN_REASONS)[number]>('caller_recontacted');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/reopening', {
        params: { path: path(view), header: header(ifMatch) },
        body: { reason },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.reopen.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <VocabularySelect
        label={t('forms.reopen.reason')}
        vocabulary="reopenReason"
        values={REOPEN_REASONS}
        value={reason}
        onChange={setReason}
      />
    </StepForm>
  );
}

export function AssignStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [operatorId, setOperator] = useState(view.assignedOperatorId ?? '');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/assignment', {
        params: { path: path(view), header: header(ifMatch) },
        body: { operatorId },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.assign.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <TextField label={t('forms.assign.operator')} value={operatorId} onChange={setOperator} required />
    </StepForm>
  );
}

export function SupervisionNoteStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/supervision-notes', {
        params: { path: path(view), header: header(ifMatch) },
        body: { note },
      }),
    ),
  );
  return (
    <StepForm
      title={t('forms.supervision.title')}
      onSubmit={() => step.mutate()}
      pending={step.isPending}
      done={step.isSuccess}
      error={step.error}
    >
      <TextField label={t('forms.supervision.note')} value={note} onChange={setNote} multiline />
    </StepForm>
  );
}

/** Erasure says what will be lost, and asks for that to be confirmed, before anything is destroyed. */
export function ErasePersonalDataStep({ view }: StepProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<(typeof ERASURE_REASONS)[number]>('caller_request');
  const [understood, setUnderstood] = useState(false);
  const step = useCaseStep(view.caseId, view.version, (ifMatch) =>
    answer(
      api.POST('/cases/{caseId}/personal-data-erasure', {
        params: { path: path(view), header: header(ifMatch) },
        body: { reason },
      }),
    ),
  );
  if (view.personalDataErased) return null;
  return (
    <StepForm
      title={t('forms.erase.title')}
      submitLabel={t('forms.erase.title')}
      onSubmit={() => understood && step.mutate()}
      pending={step.isPending || !understood}
      error={step.error}
      danger
    >
      <p className="text-danger fw-semibold">{t('forms.erase.warning')}</p>
      <VocabularySelect
        label={t('forms.erase.reason')}
        vocabulary="erasureReason"
        values={ERASURE_REASONS}
        value={reason}
        onChange={setReason}
      />
      <CheckField label={t('forms.erase.confirm')} checked={understood} onChange={setUnderstood} />
    </StepForm>
  );
}

export function ReferralsTable({ view }: StepProps) {
  const { t, i18n } = useTranslation();
  if (view.referrals.length === 0) return <p>{t('app.none')}</p>;
  const when = (instant: string | null) => formatInstant(instant, i18n.language);
  return (
    <Table responsive size="sm">
      <thead>
        <tr>
          <th scope="col">{t('pipeline.service')}</th>
          <th scope="col">{t('pipeline.status')}</th>
          <th scope="col">{t('pipeline.sentAt')}</th>
          <th scope="col">{t('inbox.appointment')}</th>
        </tr>
      </thead>
      <tbody>
        {view.referrals.map((referral) => (
          <tr key={referral.referralId}>
            <td>{referral.serviceId}</td>
            <td>{t(`vocab.referralStatus.${referral.status}`, { defaultValue: referral.status })}</td>
            <td>{when(referral.sentAt)}</td>
            <td>{when(referral.appointmentAt)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
