import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { Alert, Badge } from 'design-react-kit';
import { answer, api } from '../../api/client';
import type { CaseCallback, CaseHistory, HistoryEvent, OpenedValue } from '../../api/responses';
import { useMe } from '../../auth/session';
import { REFERRALS_HEADING } from './case-step';
import { ProblemMessage } from '../../components/fields';
import { formatInstant } from '../../lib/time';
import {
  AssignStep,
  CloseCaseStep,
  CompleteCallbackStep,
  ErasePersonalDataStep,
  FlagRiskStep,
  FrameRequestStep,
  ProposeReferralStep,
  ReferralsTable,
  ReframeProblemStep,
  ReopenCaseStep,
  RequestCallbackStep,
  ScheduleSessionStep,
  SendHandoffStep,
  SetGoalStep,
  SupervisionNoteStep,
} from './CaseSteps';

/** The case workspace: where the case stands, what happened (the timeline), and the next steps as forms. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [justProposed, setJustProposed] = useState<string>();
  const view = useQuery({
    queryKey: ['case', caseId],
    queryFn: () => answer(api.GET('/cases/{caseId}', { params: { path: { caseId } } })),
  });
  const history = useQuery({
    queryKey: ['history', caseId],
    queryFn: () => answer(api.GET('/cases/{caseId}/history', { params: { path: { caseId } } })),
  });
  if (view.isError) return <ProblemMessage error={view.error} />;
  if (!view.data) return <p>{t('app.loading')}</p>;
  const current = view.data;
  const open = current.status === 'open';
  const supervising = me.role === 'supervisor';
  const when = (instant: string | null | undefined) => formatInstant(instant, i18n.language);
  return (
    <>
      <h1>{t('case.title', { reference: current.reference })}</h1>
      {current.personalDataErased && <Alert color="info">{t('case.erased')}</Alert>}
      <dl className="row">
        <dt className="col-sm-3">{t('case.status')}</dt>
        <dd className="col-sm-9" data-testid="case-status">
          {t(`case.status_${current.status}`)}
          {current.outcome && ` · ${t('case.outcome')}: ${t(`vocab.outcome.${current.outcome}`)}`}
        </dd>
        <dt className="col-sm-3">{t('case.phase')}</dt>
        <dd className="col-sm-9" data-testid="case-phase">
          {t(`vocab.phase.${current.phase}`)}
        </dd>
        <dt className="col-sm-3">{t('case.furthestPhase')}</dt>
        <dd className="col-sm-9">{current.furthestPhase ? t(`vocab.phase.${current.furthestPhase}`) : '—'}</dd>
        <dt className="col-sm-3">{t('case.assigned')}</dt>
        <dd className="col-sm-9">{current.assignedOperatorId ?? t('case.nobody')}</dd>
        <dt className="col-sm-3">{t('case.risk')}</dt>
        <dd className="col-sm-9">
          {current.risk ? <Badge color="danger">{t(`vocab.riskLevel.${current.risk.level}`)}</Badge> : t('case.noRisk')}
        </dd>
        <dt className="col-sm-3">{t('case.openedAt')}</dt>
        <dd className="col-sm-9">{when(current.openedAt)}</dd>
        {current.closedAt && (
          <>
            <dt className="col-sm-3">{t('case.closedAt')}</dt>
            <dd className="col-sm-9">{when(current.closedAt)}</dd>
          </>
        )}
      </dl>

      <h2 className="h3" id={REFERRALS_HEADING} tabIndex={-1}>
        {t('case.referrals')}
      </h2>
      <ReferralsTable view={current} />

      {current.callbacks.length > 0 && (
        <>
          <h2 className="h3">{t('case.callbacks')}</h2>
          <ul className="list-unstyled" aria-label={t('case.callbacks')}>
            {current.callbacks.map((callback) => (
              <CallbackEntry
                key={callback.callbackId}
                callback={callback}
                history={history.data}
                assignedOperatorId={current.assignedOperatorId}
              />
            ))}
          </ul>
        </>
      )}

      <div className="row">
        <div className="col-lg-7">
          <h2 className="h3">{t('case.nextSteps')}</h2>
          {open ? (
            <>
              {current.referrals
                .filter((referral) => referral.status === 'proposed')
                .map((referral) => (
                  <SendHandoffStep
                    key={referral.referralId}
                    view={current}
                    referralId={referral.referralId}
                    serviceName={referral.serviceId}
                    justProposed={referral.referralId === justProposed}
                  />
                ))}
              <FrameRequestStep view={current} />
              <ReframeProblemStep view={current} />
              <SetGoalStep view={current} />
              <ProposeReferralStep view={current} onProposed={setJustProposed} />
              <FlagRiskStep view={current} />
              <RequestCallbackStep view={current} />
              {current.callbacks
                .filter((callback) => callback.status !== 'completed')
                .map((callback) => (
                  <CompleteCallbackStep key={callback.callbackId} view={current} callbackId={callback.callbackId} />
                ))}
              <ScheduleSessionStep view={current} />
              <CloseCaseStep view={current} />
            </>
          ) : (
            <ReopenCaseStep view={current} />
          )}
          {supervising && (
            <>
              <AssignStep view={current} />
              <SupervisionNoteStep view={current} />
              <ErasePersonalDataStep view={current} />
            </>
          )}
        </div>
        <div className="col-lg-5">
          <h2 className="h3">{t('case.timeline')}</h2>
          <ProblemMessage error={history.error} />
          <ol className="list-unstyled" aria-label={t('case.timeline')}>
            {(history.data?.events ?? [])
              .slice()
              .reverse()
              .map((event) => (
                <TimelineEntry key={event.version} event={event} />
              ))}
          </ol>
        </div>
      </div>
    </>
  );
}

/**
 * A call-back: when it is due (the line's time), where it stands, and its number, which the API opens only for the
 * operator the case is assigned to (who makes the call); the others read that a number is kept, not which.
 */
function CallbackEntry({
  callback,
  history,
  assignedOperatorId,
}: {
  callback: CaseCallback;
  history: CaseHistory | undefined;
  assignedOperatorId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const requested = history?.events.find(
    (event) => event.type === 'CallbackRequested' && event.data.callbackId === callback.callbackId,
  );
  const number = requested && openedValue(requested.data.number);
  const name = requested && openedValue(requested.data.nameOrAlias);
  return (
    <li className="border-start border-3 ps-3 mb-3" data-testid="callback">
      <strong>
        {callback.status === 'pending'
          ? t('forms.callback.due', { when: formatInstant(callback.dueAt, i18n.language) })
          : t('case.callbackDone', {
              when: formatInstant(callback.completedAt, i18n.language),
              resolution: callback.resolution ? t(`vocab.callbackResolution.${callback.resolution}`) : '—',
            })}
      </strong>
      <div className="small">{t('case.callbackAttempts', { count: callback.attempts })}</div>
      <p className="mb-0">
        {!callback.numberKept || number?.erased
          ? t('case.callbackNumberGone')
          : number?.value
            ? t('forms.callback.number_shown', { number: number.value })
            : number?.withheld
              ? t('case.callbackNumberWithheld', { operator: assignedOperatorId ?? t('case.nobody') })
              : t('app.loading')}
      </p>
      {name?.value && <p className="mb-0">{t('case.callbackName', { name: name.value })}</p>}
    </li>
  );
}

function openedValue(value: unknown): OpenedValue | undefined {
  return typeof value === 'object' && value !== null && 'erased' in value && 'value' in value
    ? (value as OpenedValue)
    : undefined;
}

function TimelineEntry({ event }: { event: HistoryEvent }) {
  const { t, i18n } = useTranslation();
  const personal = Object.entries(event.data).flatMap(([field, value]) => {
    const opened = openedValue(value);
    return opened ? [{ field, opened }] : [];
  });
  return (
    <li className="border-start border-3 ps-3 mb-3">
      <strong>{t(`vocab.event.${event.type}`, { defaultValue: event.type })}</strong>
      <div className="small">
        {formatInstant(event.occurredAt, i18n.language)}
        {event.actor && ` · ${t('case.by', { actor: event.actor.id, role: t(`roles.${event.actor.role}`) })}`}
      </div>
      {personal.map(({ field, opened }) => (
        <p key={field} className="mb-0">
          {t(`case.fields.${field}`, { defaultValue: t('case.note') })}:{' '}
          {opened.erased ? t('case.erasedValue') : opened.withheld ? t('case.withheldValue') : opened.value}
        </p>
      ))}
    </li>
  );
}
