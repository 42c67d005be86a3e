import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../../api/client';
import { CheckField, ProblemMessage } from '../../components/fields';
import { InputField, SelectField, faultsOf } from '../../components/field-faults';
import { formatInstant, instantFromLineTime } from '../../lib/time';
import { IncidentFields, NO_INCIDENT, SafetyStep, type Incident } from './SafetyStep';
import {
  CANCELLATION_REASONS,
  DECLINE_REASONS,
  RISKS,
  ifMatch,
  mayTake,
  useStep,
  type RequestView,
  type Risk,
} from './safety-steps';

/** A typed wall time of the line as the API's instant; empty stays empty, for the API to name the missing field. */
const instantOrEmpty = (local: string) => (local ? instantFromLineTime(local) : '');

/** A request for police presence: what it says (to whoever may read it), its history, and the steps this role may take. */
export function RequestPanel(props: { requestId: string; role: string; onPosition: (position: string) => void }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const request = useQuery({
    queryKey: ['safety', 'request', props.requestId],
    queryFn: () =>
      answer(api.GET('/safety/requests/{requestId}', { params: { path: { requestId: props.requestId } } })),
  });
  const view = request.data;
  const when = (instant: string | null | undefined) => formatInstant(instant, i18n.language);
  return (
    <section aria-labelledby={titleId} className="mb-5">
      <h2 id={titleId} className="h3">
        {t('safety.requestTitle', { reference: props.requestId.slice(0, 8) })}
      </h2>
      <ProblemMessage error={request.error} />
      {view && (
        <>
          <dl className="row" data-testid="safety-request-summary">
            <dt className="col-sm-4">{t('safety.status')}</dt>
            <dd className="col-sm-8" data-testid="safety-request-status">
              {t(`safety.statusOf.${view.status}`)}
            </dd>
            <dt className="col-sm-4">{t('safety.risk')}</dt>
            <dd className="col-sm-8">{view.risk ? t(`safety.riskOf.${view.risk}`) : '—'}</dd>
            <dt className="col-sm-4">{t('safety.meetingAt')}</dt>
            <dd className="col-sm-8">{when(view.meetingAt)}</dd>
            <dt className="col-sm-4">{t('safety.sentAt')}</dt>
            <dd className="col-sm-8">
              {when(view.sentAt)}
              {view.late && <> — {t('safety.late')}</>}
            </dd>
            <dt className="col-sm-4">{t('safety.acknowledgedAt')}</dt>
            <dd className="col-sm-8" data-testid="safety-request-acknowledged">
              {when(view.acknowledgedAt)}
            </dd>
            <dt className="col-sm-4">{t('safety.answer')}</dt>
            <dd className="col-sm-8">
              {view.answer === null
                ? '—'
                : view.answer.kind === 'confirmed'
                  ? t('safety.confirmed', { officers: view.answer.officers, from: when(view.answer.presentFrom) })
                  : t('safety.declined', { reason: t(`safety.declineReason.${view.answer.reason}`) })}
            </dd>
            {view.informationPending && (
              <>
                <dt className="col-sm-4">{t('safety.information')}</dt>
                <dd className="col-sm-8">{t('safety.informationPending')}</dd>
              </>
            )}
            {view.outcome && (
              <>
                <dt className="col-sm-4">{t('safety.outcome')}</dt>
                <dd className="col-sm-8">
                  {t(`safety.outcomeOf.${view.outcome}`)}
                  {view.incidentKind && <> — {t(`safety.incidentKind.${view.incidentKind}`)}</>}
                </dd>
              </>
            )}
            {view.cancellationReason && (
              <>
                <dt className="col-sm-4">{t('safety.cancelledAt')}</dt>
                <dd className="col-sm-8">
                  {when(view.cancelledAt)} — {t(`safety.cancellationReason.${view.cancellationReason}`)}
                </dd>
              </>
            )}
            {view.personalData?.serviceUser && (
              <>
                <dt className="col-sm-4">{t('safety.serviceUser')}</dt>
                <dd className="col-sm-8">{opened(view.personalData.serviceUser, t('safety.erased'))}</dd>
              </>
            )}
            {view.personalData?.address && (
              <>
                <dt className="col-sm-4">{t('safety.address')}</dt>
                <dd className="col-sm-8">{opened(view.personalData.address, t('safety.erased'))}</dd>
              </>
            )}
            {view.personalData?.factsSummary && (
              <>
                <dt className="col-sm-4">{t('safety.facts')}</dt>
                <dd className="col-sm-8">{opened(view.personalData.factsSummary, t('safety.erased'))}</dd>
              </>
            )}
          </dl>
          {view.personalData && view.personalData.exchanges.length > 0 && (
            <>
              <h3 className="h5">{t('safety.exchanges')}</h3>
              <ul>
                {view.personalData.exchanges.map((exchange, index) => (
                  <li key={index}>
                    {t(`safety.exchange_${exchange.kind}`)} ({t(`roles.${exchange.actorRole}`)},{' '}
                    {when(exchange.occurredAt)}): {opened(exchange.text, t('safety.erased'))}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3 className="h5">{t('safety.history')}</h3>
          <ol>
            {view.history.map((entry) => (
              <li key={entry.version}>
                {t(`safety.event.${entry.type}`)} — {t(`roles.${entry.actor.role}`)}, {when(entry.occurredAt)}
              </li>
            ))}
          </ol>
          <RequestSteps view={view} role={props.role} onPosition={props.onPosition} />
        </>
      )}
    </section>
  );
}

function opened(value: { value: string | null; erased: boolean }, erasedWords: string): string {
  return value.erased || value.value === null ? erasedWords : value.value;
}

/** The forms of the steps this role may take on the request in its present state. */
function RequestSteps({
  view,
  role,
  onPosition,
}: {
  view: RequestView;
  role: string;
  onPosition: (p: string) => void;
}) {
  const draft = view.status === 'draft';
  const sent = view.status === 'sent';
  const may = (step: Parameters<typeof mayTake>[1]) => mayTake(role, step);
  return (
    <div className="row">
      {draft && may('editDraft') && (
        <div className="col-lg-6">
          <DraftForm view={view} onPosition={onPosition} />
        </div>
      )}
      {draft && may('send') && (
        <div className="col-lg-6">
          <SimpleStep view={view} step="send" onPosition={onPosition} />
        </div>
      )}
      {sent && may('acknowledge') && view.acknowledgedAt === null && (
        <div className="col-lg-6">
          <SimpleStep view={view} step="acknowledge" onPosition={onPosition} />
        </div>
      )}
      {sent && may('requestInformation') && (
        <div className="col-lg-6">
          <TextStep view={view} step="requestInformation" onPosition={onPosition} />
        </div>
      )}
      {sent && may('provideInformation') && view.informationPending && (
        <div className="col-lg-6">
          <TextStep view={view} step="provideInformation" onPosition={onPosition} />
        </div>
      )}
      {sent && may('confirmPresence') && view.answer === null && (
        <div className="col-lg-6">
          <ConfirmPresence view={view} onPosition={onPosition} />
        </div>
      )}
      {sent && may('declinePresence') && view.answer === null && (
        <div className="col-lg-6">
          <DeclinePresence view={view} onPosition={onPosition} />
        </div>
      )}
      {sent && may('meetingOutcome') && (
        <div className="col-lg-6">
          <MeetingOutcome view={view} onPosition={onPosition} />
        </div>
      )}
      {(draft || sent) && may('cancel') && (
        <div className="col-lg-6">
          <Cancel view={view} onPosition={onPosition} />
        </div>
      )}
    </div>
  );
}

interface StepProps {
  view: RequestView;
  onPosition: (position: string) => void;
}

const path = (view: RequestView) => ({ path: { requestId: view.requestId }, header: ifMatch(view.version) });

/** A new request's draft, or the draft of `view` changed (every field sent: the form shows them all). */
export function DraftForm(props: {
  view?: RequestView;
  onPosition: (position: string) => void;
  onDrafted?(id: string): void;
}) {
  const { t } = useTranslation();
  const personal = props.view?.personalData;
  const [meetingAt, setMeetingAt] = useState('');
  const [address, setAddress] = useState(personal?.address?.value ?? '');
  const [serviceUser, setServiceUser] = useState(personal?.serviceUser?.value ?? '');
  const [facts, setFacts] = useState(personal?.factsSummary?.value ?? '');
  const [risk, setRisk] = useState<Risk | ''>(props.view?.risk ?? '');
  const step = useStep(async () => {
    const fields = { address, serviceUser, factsSummary: facts, risk: risk as Risk };
    if (props.view) {
      return answer(
        api.POST('/safety/requests/{requestId}/edits', {
          params: path(props.view),
          body: { ...fields, ...(meetingAt ? { meetingAt: instantFromLineTime(meetingAt) } : {}) },
        }),
      );
    }
    const drafted = await answer(
      api.POST('/safety/requests', { body: { ...fields, meetingAt: instantOrEmpty(meetingAt) } }),
    );
    props.onDrafted?.(drafted.requestId);
    return drafted;
  }, props.onPosition);
  const faults = faultsOf(step.error);
  return (
    <SafetyStep
      title={t(props.view ? 'safety.step.editDraft' : 'safety.step.draft')}
      submitLabel={t(props.view ? 'safety.saveDraft' : 'safety.draft')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['meetingAt', 'address', 'serviceUser', 'factsSummary', 'risk']}
    >
      <InputField
        label={props.view ? t('safety.newMeetingAt') : t('safety.meetingAt')}
        type="datetime-local"
        value={meetingAt}
        onChange={setMeetingAt}
        required={!props.view}
        fault={faults.meetingAt}
      />
      <InputField label={t('safety.address')} value={address} onChange={setAddress} required fault={faults.address} />
      <InputField
        label={t('safety.serviceUser')}
        value={serviceUser}
        onChange={setServiceUser}
        required
        fault={faults.serviceUser}
      />
      <InputField
        label={t('safety.facts')}
        value={facts}
        onChange={setFacts}
        multiline
        required
        fault={faults.factsSummary}
      />
      <SelectField
        label={t('safety.risk')}
        value={risk}
        onChange={(value) => setRisk(value as Risk)}
        emptyLabel={t('directory.choose')}
        options={RISKS.map((value) => [value, t(`safety.riskOf.${value}`)] as const)}
        fault={faults.risk}
      />
    </SafetyStep>
  );
}

function SimpleStep(props: StepProps & { step: 'send' | 'acknowledge' }) {
  const { t } = useTranslation();
  const step = useStep(
    () =>
      answer(
        props.step === 'send'
          ? api.POST('/safety/requests/{requestId}/sending', { params: path(props.view), body: {} })
          : api.POST('/safety/requests/{requestId}/acknowledgement', { params: path(props.view), body: {} }),
      ),
    props.onPosition,
  );
  return (
    <SafetyStep
      title={t(`safety.step.${props.step}`)}
      submitLabel={t(`safety.do.${props.step}`)}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
    />
  );
}

function TextStep(props: StepProps & { step: 'requestInformation' | 'provideInformation' }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const field = props.step === 'requestInformation' ? 'question' : 'information';
  const step = useStep(
    () =>
      answer(
        props.step === 'requestInformation'
          ? api.POST('/safety/requests/{requestId}/information-requests', {
              params: path(props.view),
              body: { question: text },
            })
          : api.POST('/safety/requests/{requestId}/information', {
              params: path(props.view),
              body: { information: text },
            }),
      ).then((done) => {
        setText('');
        return done;
      }),
    props.onPosition,
  );
  return (
    <SafetyStep
      title={t(`safety.step.${props.step}`)}
      submitLabel={t(`safety.do.${props.step}`)}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={[field]}
    >
      <InputField
        label={t(`safety.${field}Text`)}
        value={text}
        onChange={setText}
        multiline
        required
        fault={faultsOf(step.error)[field]}
      />
    </SafetyStep>
  );
}

function ConfirmPresence(props: StepProps) {
  const { t } = useTranslation();
  const [officers, setOfficers] = useState('2');
  const [presentFrom, setPresentFrom] = useState('');
  const step = useStep(
    () =>
      answer(
        api.POST('/safety/requests/{requestId}/presence-confirmation', {
          params: path(props.view),
          body: { officers: Number(officers), presentFrom: instantOrEmpty(presentFrom) },
        }),
      ),
    props.onPosition,
  );
  const faults = faultsOf(step.error);
  return (
    <SafetyStep
      title={t('safety.step.confirmPresence')}
      submitLabel={t('safety.do.confirmPresence')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['officers', 'presentFrom']}
    >
      <InputField
        label={t('safety.officers')}
        type="number"
        value={officers}
        onChange={setOfficers}
        fault={faults.officers}
      />
      <InputField
        label={t('safety.presentFrom')}
        type="datetime-local"
        value={presentFrom}
        onChange={setPresentFrom}
        fault={faults.presentFrom}
      />
    </SafetyStep>
  );
}

function DeclinePresence(props: StepProps) {
  const { t } = useTranslation();
  return (
    <ReasonStep
      title={t('safety.step.declinePresence')}
      submitLabel={t('safety.do.declinePresence')}
      reasons={DECLINE_REASONS}
      wordsOf={(reason) => t(`safety.declineReason.${reason}`)}
      send={(reason) =>
        answer(
          api.POST('/safety/requests/{requestId}/presence-refusal', { params: path(props.view), body: { reason } }),
        )
      }
      onPosition={props.onPosition}
    />
  );
}

/** A step that is only a reason chosen from a vocabulary (declining presence, cancelling). */
function ReasonStep<Reason extends string>(props: {
  title: string;
  submitLabel: string;
  reasons: readonly Reason[];
  wordsOf: (reason: Reason) => string;
  send: (reason: Reason) => Promise<{ position: string }>;
  onPosition: (position: string) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<Reason | ''>('');
  // An unchosen reason goes as '' for the API to name the field and say why.
  const step = useStep(() => props.send(reason as Reason), props.onPosition);
  return (
    <SafetyStep
      title={props.title}
      submitLabel={props.submitLabel}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['reason']}
      danger
    >
      <SelectField
        label={t('safety.reason')}
        value={reason}
        onChange={(value) => setReason(value as Reason)}
        emptyLabel={t('directory.choose')}
        options={props.reasons.map((value) => [value, props.wordsOf(value)] as const)}
        fault={faultsOf(step.error).reason}
      />
    </SafetyStep>
  );
}

function MeetingOutcome(props: StepProps) {
  const { t } = useTranslation();
  const [happened, setHappened] = useState(false);
  const [incident, setIncident] = useState<Incident>(NO_INCIDENT);
  const step = useStep(
    () =>
      answer(
        api.POST('/safety/requests/{requestId}/meeting-outcome', {
          params: path(props.view),
          body: happened
            ? {
                outcome: 'incident',
                incidentKind: incident.kind || undefined,
                startedAt: incident.startedAt ? instantFromLineTime(incident.startedAt) : undefined,
                colleaguesCalled: incident.colleaguesCalled,
                ...(incident.location ? { location: incident.location } : {}),
              }
            : { outcome: 'no_incident' },
        }),
      ),
    props.onPosition,
  );
  const faults = faultsOf(step.error);
  return (
    <SafetyStep
      title={t('safety.step.meetingOutcome')}
      submitLabel={t('safety.do.meetingOutcome')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['incidentKind', 'startedAt', 'location']}
    >
      <CheckField label={t('safety.incidentHappened')} checked={happened} onChange={setHappened} />
      {happened && <IncidentFields value={incident} onChange={setIncident} faults={faults} kindField="incidentKind" />}
    </SafetyStep>
  );
}

function Cancel(props: StepProps) {
  const { t } = useTranslation();
  return (
    <ReasonStep
      title={t('safety.step.cancel')}
      submitLabel={t('safety.do.cancel')}
      reasons={CANCELLATION_REASONS}
      wordsOf={(reason) => t(`safety.cancellationReason.${reason}`)}
      send={(reason) =>
        answer(api.POST('/safety/requests/{requestId}/cancellation', { params: path(props.view), body: { reason } }))
      }
      onPosition={props.onPosition}
    />
  );
}
