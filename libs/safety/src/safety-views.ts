import type { Principal } from '@helpline/auth';
import {
  minutesFromCallToArrival,
  minutesFromCallToDispatch,
  minutesFromDispatchToArrival,
  type Sealed,
} from '@helpline/domain';
import type { PersonalDataVault } from '@helpline/privacy';
import { opensEmergencyPersonalData, opensRequestPersonalData } from './safety-access';
import type { LoadedSafetyEmergency, LoadedSafetyRequest } from './safety-stream.repository';

/** A personal value as shown to someone allowed to read it; `erased` once the record's key is destroyed. */
export interface OpenedValue {
  readonly value: string | null;
  readonly erased: boolean;
}

function historyOf(loaded: LoadedSafetyRequest | LoadedSafetyEmergency) {
  return loaded.events.map(({ recorded }) => ({
    version: recorded.streamVersion,
    type: recorded.type,
    occurredAt: recorded.occurredAt,
    recordedAt: recorded.recordedAt,
    actor: { id: recorded.metadata.actorId, role: recorded.metadata.actorRole },
  }));
}

async function openAll(
  vault: PersonalDataVault,
  subjectId: string,
  values: ReadonlyArray<{ field: string; sealed: Sealed }>,
): Promise<OpenedValue[]> {
  const opened = await vault.openMany(values.map(({ field, sealed }) => ({ subjectId, field, sealed })));
  return opened.map((value) => ({ value: value ?? null, erased: value === undefined }));
}

/**
 * A preventive request as its reader may see it: where it stands and its history (who did what, when); its personal
 * values (the service user, the address, the facts, the questions and answers) only for the roles that need them.
 */
export async function safetyRequestView(loaded: LoadedSafetyRequest, vault: PersonalDataVault, principal: Principal) {
  const { state } = loaded;
  const view = {
    requestId: loaded.id,
    version: loaded.version,
    unitId: state.unitId,
    status: state.status,
    risk: state.risk,
    meetingAt: state.meetingAt,
    draftedAt: state.draftedAt,
    sentAt: state.sentAt,
    noticeMinutes: state.noticeMinutes,
    late: state.late,
    acknowledgedAt: state.acknowledgedAt,
    informationRequests: state.informationRequests,
    informationPending: state.informationPending,
    answer: state.answer,
    outcome: state.outcome,
    incidentKind: state.incidentKind,
    emergencyId: state.emergencyId,
    outcomeRecordedAt: state.outcomeRecordedAt,
    cancelledAt: state.cancelledAt,
    cancellationReason: state.cancellationReason,
    personalDataErasedAt: state.personalDataErasedAt,
    history: historyOf(loaded),
  };
  if (!opensRequestPersonalData(principal, state)) return view;

  const current: Partial<Record<'address' | 'serviceUser' | 'factsSummary', Sealed>> = {};
  const exchanges: Array<{
    kind: 'question' | 'information';
    occurredAt: string;
    actorRole: string;
    sealed: Sealed;
    field: string;
  }> = [];
  for (const { event } of loaded.events) {
    if (event.type === 'SafetyRequestDrafted' || event.type === 'SafetyRequestDraftEdited') {
      for (const field of ['address', 'serviceUser', 'factsSummary'] as const) {
        const value = event.data[field];
        if (value) current[field] = value;
      }
    } else if (event.type === 'MoreInformationRequested') {
      exchanges.push({
        kind: 'question',
        occurredAt: event.data.occurredAt,
        actorRole: event.data.actor.role,
        sealed: event.data.question,
        field: 'question',
      });
    } else if (event.type === 'MoreInformationProvided') {
      exchanges.push({
        kind: 'information',
        occurredAt: event.data.occurredAt,
        actorRole: event.data.actor.role,
        sealed: event.data.information,
        field: 'information',
      });
    }
  }
  const fields = (['address', 'serviceUser', 'factsSummary'] as const).filter((field) => current[field]);
  const opened = await openAll(vault, loaded.streamId, [
    ...fields.map((field) => ({ field, sealed: current[field]! })),
    ...exchanges.map(({ field, sealed }) => ({ field, sealed })),
  ]);
  const personal = Object.fromEntries(fields.map((field, index) => [field, opened[index]])) as Record<
    'address' | 'serviceUser' | 'factsSummary',
    OpenedValue
  >;
  return {
    ...view,
    personalData: {
      ...personal,
      exchanges: exchanges.map(({ kind, occurredAt, actorRole }, index) => ({
        kind,
        occurredAt,
        actorRole,
        text: opened[fields.length + index],
      })),
    },
  };
}

/** An emergency record with its timeline measured from the recorded steps; its place only for those who see it. */
export async function safetyEmergencyView(
  loaded: LoadedSafetyEmergency,
  vault: PersonalDataVault,
  principal: Principal,
) {
  const { state } = loaded;
  const view = {
    emergencyId: loaded.id,
    version: loaded.version,
    unitId: state.unitId,
    status: state.status,
    requestId: state.requestId,
    kind: state.kind,
    startedAt: state.startedAt,
    recordedAt: state.recordedAt,
    colleaguesCalled: state.colleaguesCalled,
    colleaguesCount: state.colleaguesCount,
    operationsCentreCalledAt: state.operationsCentreCalledAt,
    patrolDispatchedAt: state.patrolDispatchedAt,
    patrolArrivedAt: state.patrolArrivedAt,
    forcesAlerted: state.forcesAlerted,
    reportFiledAt: state.reportFiledAt,
    sharedWithDirectorate: state.sharedWithDirectorate,
    closedAt: state.closedAt,
    personalDataErasedAt: state.personalDataErasedAt,
    timeline: {
      minutesFromCallToDispatch: minutesFromCallToDispatch(state),
      minutesFromDispatchToArrival: minutesFromDispatchToArrival(state),
      minutesFromCallToArrival: minutesFromCallToArrival(state),
    },
    history: historyOf(loaded),
  };
  if (!opensEmergencyPersonalData(principal, state)) return view;
  const opening = loaded.events[0]?.event;
  const sealed =
    opening && (opening.type === 'EmergencyRecorded' || opening.type === 'EmergencyOpenedFromIncident')
      ? opening.data.location
      : undefined;
  const [location] = sealed ? await openAll(vault, loaded.streamId, [{ field: 'location', sealed }]) : [null];
  // Without a place of its own, an emergency opened from an incident happened at the meeting's address.
  return { ...view, personalData: { location, atMeetingAddress: sealed === undefined && state.requestId !== null } };
}
