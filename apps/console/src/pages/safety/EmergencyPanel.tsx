import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { answer, api } from '../../api/client';
import { ProblemMessage } from '../../components/fields';
import { ChecksField, InputField, faultsOf } from '../../components/field-faults';
import { formatInstant, instantFromLineTime } from '../../lib/time';
import { IncidentFields, NO_INCIDENT, SafetyStep, type Incident } from './SafetyStep';
import {
  FORCES,
  SHARED,
  ifMatch,
  mayTake,
  useStep,
  type EmergencyView,
  type Force,
  type IncidentKind,
  type Shared,
} from './safety-steps';

/** An emergency record: its steps and timeline in minutes, and the steps this role may take while it is open. */
export function EmergencyPanel(props: { emergencyId: string; role: string; onPosition: (position: string) => void }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  const emergency = useQuery({
    queryKey: ['safety', 'emergency', props.emergencyId],
    queryFn: () =>
      answer(api.GET('/safety/emergencies/{emergencyId}', { params: { path: { emergencyId: props.emergencyId } } })),
  });
  const view = emergency.data;
  const when = (instant: string | null | undefined) => formatInstant(instant, i18n.language);
  const minutes = (value: number | null) => (value === null ? '—' : t('safety.minutes', { count: value }));
  const open = view?.status === 'in_progress';
  const may = (step: Parameters<typeof mayTake>[1]) => open && mayTake(props.role, step);
  return (
    <section aria-labelledby={titleId} className="mb-5">
      <h2 id={titleId} className="h3">
        {t('safety.emergencyTitle', { reference: props.emergencyId.slice(0, 8) })}
      </h2>
      <ProblemMessage error={emergency.error} />
      {view && (
        <>
          <dl className="row">
            <dt className="col-sm-4">{t('safety.status')}</dt>
            <dd className="col-sm-8" data-testid="safety-emergency-status">
              {t(`safety.statusOf.${view.status}`)}
            </dd>
            <dt className="col-sm-4">{t('safety.incidentKindLabel')}</dt>
            <dd className="col-sm-8">{view.kind ? t(`safety.incidentKind.${view.kind}`) : '—'}</dd>
            <dt className="col-sm-4">{t('safety.startedAt')}</dt>
            <dd className="col-sm-8">{when(view.startedAt)}</dd>
            <dt className="col-sm-4">{t('safety.operationsCentreCalledAt')}</dt>
            <dd className="col-sm-8">{when(view.operationsCentreCalledAt)}</dd>
            <dt className="col-sm-4">{t('safety.patrolDispatchedAt')}</dt>
            <dd className="col-sm-8">
              {when(view.patrolDispatchedAt)} ({minutes(view.timeline.minutesFromCallToDispatch)})
            </dd>
            <dt className="col-sm-4">{t('safety.patrolArrivedAt')}</dt>
            <dd className="col-sm-8">
              {when(view.patrolArrivedAt)} ({minutes(view.timeline.minutesFromDispatchToArrival)})
            </dd>
            <dt className="col-sm-4">{t('safety.forcesAlerted')}</dt>
            <dd className="col-sm-8">
              {view.forcesAlerted.length
                ? view.forcesAlerted.map((force) => t(`safety.force.${force}`)).join(', ')
                : '—'}
            </dd>
            <dt className="col-sm-4">{t('safety.reportFiledAt')}</dt>
            <dd className="col-sm-8">{when(view.reportFiledAt)}</dd>
            <dt className="col-sm-4">{t('safety.closedAt')}</dt>
            <dd className="col-sm-8">{when(view.closedAt)}</dd>
            {view.personalData && (
              <>
                <dt className="col-sm-4">{t('safety.location')}</dt>
                <dd className="col-sm-8">
                  {view.personalData.atMeetingAddress
                    ? t('safety.atMeetingAddress')
                    : view.personalData.location === null ||
                        view.personalData.location.erased ||
                        view.personalData.location.value === null
                      ? t('safety.erased')
                      : view.personalData.location.value}
                </dd>
              </>
            )}
          </dl>
          <h3 className="h5">{t('safety.history')}</h3>
          <ol>
            {view.history.map((entry) => (
              <li key={entry.version}>
                {t(`safety.event.${entry.type}`)} — {t(`roles.${entry.actor.role}`)}, {when(entry.occurredAt)}
              </li>
            ))}
          </ol>
          <div className="row">
            {may('operationsCentreCall') && view.operationsCentreCalledAt === null && (
              <div className="col-lg-6">
                <TimedStep view={view} step="operationsCentreCall" onPosition={props.onPosition} />
              </div>
            )}
            {may('patrolDispatch') && view.patrolDispatchedAt === null && (
              <div className="col-lg-6">
                <TimedStep view={view} step="patrolDispatch" onPosition={props.onPosition} />
              </div>
            )}
            {may('otherForces') && (
              <div className="col-lg-6">
                <OtherForces view={view} onPosition={props.onPosition} />
              </div>
            )}
            {may('patrolArrival') && view.patrolArrivedAt === null && (
              <div className="col-lg-6">
                <TimedStep view={view} step="patrolArrival" onPosition={props.onPosition} />
              </div>
            )}
            {may('patrolReport') && view.reportFiledAt === null && (
              <div className="col-lg-6">
                <PatrolReport view={view} onPosition={props.onPosition} />
              </div>
            )}
            {may('closeEmergency') && (
              <div className="col-lg-6">
                <TimedStep view={view} step="closeEmergency" onPosition={props.onPosition} />
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}

interface StepProps {
  view: EmergencyView;
  onPosition: (position: string) => void;
}

const path = (view: EmergencyView) => ({ path: { emergencyId: view.emergencyId }, header: ifMatch(view.version) });

/** A step that only says when it happened (now, unless another time is typed). */
function TimedStep(
  props: StepProps & { step: 'operationsCentreCall' | 'patrolDispatch' | 'patrolArrival' | 'closeEmergency' },
) {
  const { t } = useTranslation();
  const [occurredAt, setOccurredAt] = useState('');
  const step = useStep(() => {
    const options = {
      params: path(props.view),
      body: occurredAt ? { occurredAt: instantFromLineTime(occurredAt) } : {},
    };
    switch (props.step) {
      case 'operationsCentreCall':
        return answer(api.POST('/safety/emergencies/{emergencyId}/operations-centre-call', options));
      case 'patrolDispatch':
        return answer(api.POST('/safety/emergencies/{emergencyId}/patrol-dispatch', options));
      case 'patrolArrival':
        return answer(api.POST('/safety/emergencies/{emergencyId}/patrol-arrival', options));
      case 'closeEmergency':
        return answer(api.POST('/safety/emergencies/{emergencyId}/closure', options));
    }
  }, props.onPosition);
  return (
    <SafetyStep
      title={t(`safety.step.${props.step}`)}
      submitLabel={t(`safety.do.${props.step}`)}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['occurredAt']}
      danger={props.step === 'closeEmergency'}
    >
      <InputField
        label={t('safety.occurredAt')}
        hint={t('safety.occurredAtHint')}
        type="datetime-local"
        value={occurredAt}
        onChange={setOccurredAt}
        fault={faultsOf(step.error).occurredAt}
      />
    </SafetyStep>
  );
}

function OtherForces(props: StepProps) {
  const { t } = useTranslation();
  const [forces, setForces] = useState<Force[]>([]);
  const step = useStep(
    () =>
      answer(
        api.POST('/safety/emergencies/{emergencyId}/other-forces-alerts', {
          params: path(props.view),
          body: { forces },
        }),
      ),
    props.onPosition,
  );
  return (
    <SafetyStep
      title={t('safety.step.otherForces')}
      submitLabel={t('safety.do.otherForces')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['forces']}
    >
      <ChecksField
        label={t('safety.forcesAlerted')}
        values={FORCES}
        chosen={forces}
        onChange={setForces}
        wordsOf={(force) => t(`safety.force.${force}`)}
        fault={faultsOf(step.error).forces}
      />
    </SafetyStep>
  );
}

function PatrolReport(props: StepProps) {
  const { t } = useTranslation();
  const [shared, setShared] = useState<Shared[]>([]);
  const step = useStep(
    () =>
      answer(
        api.POST('/safety/emergencies/{emergencyId}/patrol-report', {
          params: path(props.view),
          body: { sharedWithDirectorate: shared },
        }),
      ),
    props.onPosition,
  );
  return (
    <SafetyStep
      title={t('safety.step.patrolReport')}
      submitLabel={t('safety.do.patrolReport')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['sharedWithDirectorate']}
    >
      <ChecksField
        label={t('safety.sharedWithDirectorate')}
        values={SHARED}
        chosen={shared}
        onChange={setShared}
        wordsOf={(value) => t(`safety.shared.${value}`)}
        fault={faultsOf(step.error).sharedWithDirectorate}
      />
    </SafetyStep>
  );
}

/** A violent event in progress, recorded by the unit (the place is encrypted; only some roles read it). */
export function RecordEmergencyForm(props: {
  onPosition: (position: string) => void;
  onRecorded: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [incident, setIncident] = useState<Incident>(NO_INCIDENT);
  const step = useStep(async () => {
    const recorded = await answer(
      api.POST('/safety/emergencies', {
        body: {
          kind: incident.kind as IncidentKind,
          startedAt: incident.startedAt ? instantFromLineTime(incident.startedAt) : '',
          colleaguesCalled: incident.colleaguesCalled,
          location: incident.location,
        },
      }),
    );
    props.onRecorded(recorded.emergencyId);
    return recorded;
  }, props.onPosition);
  const faults = faultsOf(step.error);
  return (
    <SafetyStep
      title={t('safety.step.recordEmergency')}
      submitLabel={t('safety.do.recordEmergency')}
      onSubmit={() => step.mutate(undefined)}
      pending={step.isPending}
      error={step.error}
      shownFields={['kind', 'startedAt', 'location']}
      danger
    >
      <IncidentFields value={incident} onChange={setIncident} faults={faults} kindField="kind" />
    </SafetyStep>
  );
}
