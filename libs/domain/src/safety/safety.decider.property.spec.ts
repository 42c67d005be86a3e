import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { instantMillis } from '../shared/instant';
import { findSealedValues, type Sealed } from '../shared/sealed';
import type { SafetyActor } from './safety.actor';
import { SAFETY_EMERGENCY_COMMAND_ROLES, type SafetyEmergencyCommand } from './safety-emergency.commands';
import {
  decideSafetyEmergency,
  evolveSafetyEmergency,
  foldSafetyEmergencyEvents,
  initialSafetyEmergencyState,
} from './safety-emergency.decider';
import type { SafetyEmergencyEvent } from './safety-emergency.events';
import type { SafetyEmergencyState } from './safety-emergency.state';
import {
  minutesFromCallToArrival,
  minutesFromCallToDispatch,
  minutesFromDispatchToArrival,
} from './safety-emergency.timeline';
import { SAFETY_REQUEST_COMMAND_ROLES, type SafetyRequestCommand } from './safety-request.commands';
import {
  decideSafetyRequest,
  evolveSafetyRequest,
  foldSafetyRequestEvents,
  initialSafetyRequestState,
} from './safety-request.decider';
import type { SafetyRequestEvent } from './safety-request.events';
import type { SafetyRequestState } from './safety-request.state';
import {
  DIRECTORATE_SHARED_ITEMS,
  INCIDENT_KINDS,
  MEETING_OUTCOMES,
  POLICE_DECLINE_REASONS,
  POLICE_FORCES,
  SAFETY_REQUEST_CANCELLATION_REASONS,
  SAFETY_RISK_LEVELS,
  UNIT_ROLES,
} from './vocabularies';

/*
 * A model of what the unit, the police command and the operations centre may send: plausible commands from the
 * right role most of the time, from any role (or another unit) sometimes, at times that mostly move forward but
 * jitter, so that sequences hit both the protocol's happy paths and its refusals.
 */

const START = Date.UTC(2021, 2, 8, 8, 0);
const UNIT = 'unit-4';
const REQUEST_ID = 'request-prop';
const EMERGENCY_ID = 'emergency-prop';
const HOUR_MS = 3_600_000;
const PARAMETERS = { numRuns: 300 };

const ACTORS: readonly SafetyActor[] = [
  { id: 'sw-1', role: 'social_worker', unitId: UNIT },
  { id: 'po-1', role: 'unit_officer', unitId: UNIT },
  { id: 'pl-1', role: 'police_liaison' },
  { id: 'co-1', role: 'police_operations' },
  { id: 'dir-1', role: 'area_director' },
  { id: 'sw-9', role: 'social_worker', unitId: 'unit-8' },
  { id: 'po-9', role: 'unit_officer', unitId: 'unit-8' },
];

const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const isoAt = (millis: number) => new Date(millis).toISOString();

/** Mostly an actor the protocol allows for the command (of the right unit), sometimes anyone. */
function actorFor(roles: readonly string[]): fc.Arbitrary<SafetyActor> {
  const allowed = ACTORS.filter((actor) => roles.includes(actor.role) && (actor.unitId ?? UNIT) === UNIT);
  return fc.oneof({ weight: 6, arbitrary: oneOf(allowed) }, { weight: 1, arbitrary: oneOf(ACTORS) });
}

// ---------------------------------------------------------------------------------------------------------------
// Preventive path
// ---------------------------------------------------------------------------------------------------------------

const requestKey: fc.Arbitrary<Sealed> = fc
  .tuple(fc.constantFrom('request-key', 'request-key', 'request-key', 'other-key'), fc.constantFrom('a', 'b'))
  .map(([keyId, text]) => ({ keyId, ciphertext: `ciphertext(${text})` }));
const meetingAt = oneOf([24, 48, 72]).map((hours) => isoAt(START + hours * HOUR_MS));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

type RequestFields = Omit<SafetyRequestCommand, 'requestId' | 'occurredAt'>;
const requestCommandOf = <T extends RequestFields>(arb: fc.Arbitrary<T>) => arb as fc.Arbitrary<RequestFields>;
const byRole = <K extends keyof typeof SAFETY_REQUEST_COMMAND_ROLES>(type: K) =>
  actorFor(SAFETY_REQUEST_COMMAND_ROLES[type]);

const draftRequest = requestCommandOf(
  fc.record({
    type: fc.constant('DraftSafetyRequest' as const),
    unitId: fc.constantFrom(UNIT, UNIT, UNIT, 'unit-8'),
    meetingAt,
    address: requestKey,
    serviceUser: requestKey,
    factsSummary: requestKey,
    risk: oneOf(SAFETY_RISK_LEVELS),
    actor: byRole('DraftSafetyRequest'),
  }),
);

const usualRequestCommand: fc.Arbitrary<RequestFields> = fc.oneof(
  draftRequest,
  requestCommandOf(
    fc.record(
      {
        type: fc.constant('EditSafetyRequestDraft' as const),
        meetingAt,
        factsSummary: requestKey,
        risk: oneOf(SAFETY_RISK_LEVELS),
        actor: byRole('EditSafetyRequestDraft'),
      },
      { requiredKeys: ['type', 'actor'] },
    ),
  ),
  ...[1, 2].map(() =>
    requestCommandOf(
      fc.record({
        type: fc.constant('SendSafetyRequest' as const),
        noticeHours: oneOf([0, 24, 48, 48, 72]),
        actor: byRole('SendSafetyRequest'),
      }),
    ),
  ),
  requestCommandOf(
    fc.record({ type: fc.constant('AcknowledgeSafetyRequest' as const), actor: byRole('AcknowledgeSafetyRequest') }),
  ),
  requestCommandOf(
    fc.record({
      type: fc.constant('RequestMoreInformation' as const),
      question: requestKey,
      actor: byRole('RequestMoreInformation'),
    }),
  ),
  ...[1, 2].map(() =>
    requestCommandOf(
      fc.record({
        type: fc.constant('ProvideMoreInformation' as const),
        information: requestKey,
        actor: byRole('ProvideMoreInformation'),
      }),
    ),
  ),
  requestCommandOf(
    fc.record({
      type: fc.constant('ConfirmPolicePresence' as const),
      officers: fc.integer({ min: 0, max: 3 }),
      presentFrom: meetingAt,
      actor: byRole('ConfirmPolicePresence'),
    }),
  ),
  requestCommandOf(
    fc.record({
      type: fc.constant('DeclinePolicePresence' as const),
      reason: oneOf(POLICE_DECLINE_REASONS),
      actor: byRole('DeclinePolicePresence'),
    }),
  ),
  // Mostly consistent outcomes (no incident alone, an incident with its kind and emergency), sometimes not.
  requestCommandOf(
    fc.record({
      type: fc.constant('RecordMeetingOutcome' as const),
      outcome: fc.constant('no_incident' as const),
      actor: byRole('RecordMeetingOutcome'),
    }),
  ),
  requestCommandOf(
    fc.record({
      type: fc.constant('RecordMeetingOutcome' as const),
      outcome: fc.constant('incident' as const),
      incidentKind: oneOf(INCIDENT_KINDS),
      emergencyId: fc.constant('emergency-1'),
      actor: byRole('RecordMeetingOutcome'),
    }),
  ),
  requestCommandOf(
    fc.record({
      type: fc.constant('RecordMeetingOutcome' as const),
      outcome: oneOf(MEETING_OUTCOMES),
      incidentKind: maybe(oneOf(INCIDENT_KINDS)),
      emergencyId: maybe(fc.constant('emergency-1')),
      actor: byRole('RecordMeetingOutcome'),
    }),
  ),
);

const anyRequestCommand: fc.Arbitrary<RequestFields> = fc.oneof(
  { weight: 40, arbitrary: usualRequestCommand },
  // Rare, or it would end most sequences before the meeting.
  {
    weight: 1,
    arbitrary: requestCommandOf(
      fc.record({
        type: fc.constant('CancelSafetyRequest' as const),
        reason: oneOf(SAFETY_REQUEST_CANCELLATION_REASONS),
        actor: byRole('CancelSafetyRequest'),
      }),
    ),
  },
);

/**
 * Every four hours on average, jittering by up to three hours either way, long enough to pass the meeting;
 * sometimes a broken time or id.
 */
const requestSequence: fc.Arbitrary<SafetyRequestCommand[]> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: draftRequest.map((c) => [c]) }, { weight: 1, arbitrary: fc.constant([]) }),
    fc.array(anyRequestCommand, { maxLength: 30, size: 'max' }),
    fc.array(fc.tuple(fc.integer({ min: -180, max: 180 }), fc.nat()), { minLength: 31, maxLength: 31 }),
  )
  .map(([head, tail, noise]) =>
    [...head, ...tail].map((fields, index) => {
      const [jitterMinutes, anomaly] = noise[index]!;
      return {
        ...fields,
        requestId: anomaly % 40 === 0 ? 'another-request' : REQUEST_ID,
        occurredAt:
          anomaly % 40 === 1 && index > 0 ? 'not-a-time' : isoAt(START + index * 4 * HOUR_MS + jitterMinutes * 60_000),
      } as SafetyRequestCommand;
    }),
  );

interface Run<C, E, S> {
  readonly states: S[];
  readonly log: E[];
  readonly outcomes: { command: C; before: S; events?: E[]; error?: unknown }[];
}

function runner<C, E, S>(decide: (command: C, state: S) => E[], evolve: (state: S, event: E) => S, initial: S) {
  return (commands: readonly C[]): Run<C, E, S> => {
    let state = initial;
    const states = [state];
    const log: E[] = [];
    const outcomes: Run<C, E, S>['outcomes'] = [];
    for (const command of commands) {
      const before = state;
      let events: E[];
      try {
        events = decide(command, state);
      } catch (error) {
        outcomes.push({ command, before, error });
        continue;
      }
      // Outside the try: evolve must never throw on what decide produced.
      for (const event of events) state = evolve(state, event);
      log.push(...events);
      states.push(state);
      outcomes.push({ command, before, events });
    }
    return { states, log, outcomes };
  };
}

const runRequest = runner<SafetyRequestCommand, SafetyRequestEvent, SafetyRequestState>(
  decideSafetyRequest,
  evolveSafetyRequest,
  initialSafetyRequestState,
);

const TERMINAL_REQUEST_EVENTS = ['SafetyRequestCancelled', 'MeetingHeldWithoutIncident', 'IncidentAtMeetingReported'];

describe('every sequence of commands on a safety request', () => {
  it('refuses only with domain errors, and evolve never throws on what decide produced', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        for (const { error } of runRequest(commands).outcomes)
          if (error !== undefined) expect(error).toBeInstanceOf(DomainError);
      }),
      PARAMETERS,
    );
  });

  it('is never both confirmed and declined, nor answered twice', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const answers = runRequest(commands).log.filter(
          (e) => e.type === 'PolicePresenceConfirmed' || e.type === 'PolicePresenceDeclined',
        );
        expect(answers.length).toBeLessThanOrEqual(1);
      }),
      PARAMETERS,
    );
  });

  it('is sent once, only by the officer of its own unit, and edited only before', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const { log, states } = runRequest(commands);
        const sentAt = log.findIndex((e) => e.type === 'SafetyRequestSent');
        expect(log.filter((e) => e.type === 'SafetyRequestSent').length).toBeLessThanOrEqual(1);
        if (sentAt >= 0) {
          expect(log[sentAt]!.data.actor).toMatchObject({ role: 'unit_officer', unitId: states.at(-1)!.unitId });
          expect(log.slice(sentAt).some((e) => e.type === 'SafetyRequestDraftEdited')).toBe(false);
        }
      }),
      PARAMETERS,
    );
  });

  it('flags a request late exactly when it gave less notice than the rule asked', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        for (const { before, events } of runRequest(commands).outcomes) {
          for (const event of events ?? []) {
            if (event.type !== 'SafetyRequestSent') continue;
            const notice = instantMillis(before.meetingAt!) - instantMillis(event.data.occurredAt);
            expect(notice).toBeGreaterThan(0);
            expect(event.data.late).toBe(notice < event.data.noticeHoursRequired * HOUR_MS);
            expect(event.data.noticeMinutes).toBe(Math.floor(notice / 60_000));
          }
        }
      }),
      PARAMETERS,
    );
  });

  it('accepts nothing after a cancellation or an outcome', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const { log } = runRequest(commands);
        const end = log.findIndex((e) => TERMINAL_REQUEST_EVENTS.includes(e.type));
        if (end >= 0) expect(log.length).toBe(end + 1);
      }),
      PARAMETERS,
    );
  });

  it('lets only allowed roles act, and unit roles only on their own unit', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const { outcomes, states } = runRequest(commands);
        const unitId = states.at(-1)!.unitId;
        for (const { command, events } of outcomes) {
          if (!events) continue;
          expect(SAFETY_REQUEST_COMMAND_ROLES[command.type]).toContain(command.actor.role);
          if ((UNIT_ROLES as readonly string[]).includes(command.actor.role)) expect(command.actor.unitId).toBe(unitId);
        }
      }),
      PARAMETERS,
    );
  });

  it('seals every personal value of the request with one key, and keeps none in the state', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const { log, states } = runRequest(commands);
        expect(new Set(findSealedValues(log).map(({ value }) => value.keyId)).size).toBeLessThanOrEqual(1);
        for (const state of states) expect(findSealedValues(state)).toEqual([]);
      }),
      PARAMETERS,
    );
  });

  it('folds to the same state from the stored stream as step by step', () => {
    fc.assert(
      fc.property(requestSequence, (commands) => {
        const { states, log } = runRequest(commands);
        expect(foldSafetyRequestEvents(JSON.parse(JSON.stringify(log)) as SafetyRequestEvent[])).toEqual(states.at(-1));
      }),
      PARAMETERS,
    );
  });

  it('reaches the interesting states, so the properties above are not vacuous', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(requestSequence, (commands) => {
        for (const event of runRequest(commands).log) {
          reached.add(event.type === 'SafetyRequestSent' ? `SafetyRequestSent(late=${event.data.late})` : event.type);
        }
      }),
      { numRuns: 300, seed: 20210302 },
    );
    expect([...reached]).toEqual(
      expect.arrayContaining([
        'SafetyRequestDraftEdited',
        'SafetyRequestSent(late=true)',
        'SafetyRequestSent(late=false)',
        'MoreInformationProvided',
        'PolicePresenceConfirmed',
        'PolicePresenceDeclined',
        'MeetingHeldWithoutIncident',
        'IncidentAtMeetingReported',
        'SafetyRequestCancelled',
      ]),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Emergency path
// ---------------------------------------------------------------------------------------------------------------

const emergencyKey: fc.Arbitrary<Sealed> = fc
  .constantFrom('emergency-key', 'emergency-key', 'emergency-key', 'other-key')
  .map((keyId) => ({ keyId, ciphertext: 'ciphertext(place)' }));

/** Opening fields; `startedAt` and the call are placed relative to the command's time when the sequence is built. */
type EmergencyFields = Omit<SafetyEmergencyCommand, 'emergencyId' | 'occurredAt'> & {
  startedMinutesBefore?: number;
  callMinutesAfterStart?: number;
};
const emergencyCommandOf = <T extends EmergencyFields>(arb: fc.Arbitrary<T>) => arb as fc.Arbitrary<EmergencyFields>;
const byEmergencyRole = <K extends keyof typeof SAFETY_EMERGENCY_COMMAND_ROLES>(type: K) =>
  actorFor(SAFETY_EMERGENCY_COMMAND_ROLES[type]);

const openingFacts = {
  unitId: fc.constantFrom(UNIT, UNIT, UNIT, 'unit-8'),
  kind: oneOf(INCIDENT_KINDS),
  colleaguesCalled: fc.boolean(),
  startedMinutesBefore: fc.integer({ min: -2, max: 15 }),
  callMinutesAfterStart: maybe(fc.integer({ min: -1, max: 10 })),
};

const openEmergency = emergencyCommandOf(
  fc.oneof(
    fc.record({
      type: fc.constant('RecordEmergencyInProgress' as const),
      ...openingFacts,
      location: emergencyKey,
      actor: byEmergencyRole('RecordEmergencyInProgress'),
    }),
    fc.record(
      {
        type: fc.constant('OpenEmergencyFromIncident' as const),
        ...openingFacts,
        requestId: fc.constant('request-1'),
        location: emergencyKey,
        actor: byEmergencyRole('OpenEmergencyFromIncident'),
      },
      { requiredKeys: ['type', 'unitId', 'kind', 'colleaguesCalled', 'startedMinutesBefore', 'requestId', 'actor'] },
    ),
  ),
);

const anyEmergencyCommand: fc.Arbitrary<EmergencyFields> = fc.oneof(
  openEmergency,
  ...(['RecordOperationsCentreCall', 'RecordPatrolDispatch', 'RecordPatrolArrival', 'CloseEmergency'] as const).map(
    (type) => emergencyCommandOf(fc.record({ type: fc.constant(type), actor: byEmergencyRole(type) })),
  ),
  emergencyCommandOf(
    fc.record({ type: fc.constant('RecordPatrolDispatch' as const), actor: byEmergencyRole('RecordPatrolDispatch') }),
  ),
  emergencyCommandOf(
    fc.record({ type: fc.constant('RecordPatrolArrival' as const), actor: byEmergencyRole('RecordPatrolArrival') }),
  ),
  emergencyCommandOf(
    fc.record({
      type: fc.constant('RecordOtherForcesAlerted' as const),
      forces: fc.array(oneOf(POLICE_FORCES), { maxLength: 3 }),
      actor: byEmergencyRole('RecordOtherForcesAlerted'),
    }),
  ),
  emergencyCommandOf(
    fc.record({
      type: fc.constant('RecordPatrolReport' as const),
      sharedWithDirectorate: fc.subarray([...DIRECTORATE_SHARED_ITEMS]),
      actor: byEmergencyRole('RecordPatrolReport'),
    }),
  ),
);

/** Every four minutes on average, jittering by up to six minutes either way. */
const emergencySequence: fc.Arbitrary<SafetyEmergencyCommand[]> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: openEmergency.map((c) => [c]) }, { weight: 1, arbitrary: fc.constant([]) }),
    fc.array(anyEmergencyCommand, { maxLength: 30, size: 'max' }),
    fc.array(fc.tuple(fc.integer({ min: -6, max: 6 }), fc.nat()), { minLength: 31, maxLength: 31 }),
  )
  .map(([head, tail, noise]) =>
    [...head, ...tail].map((fields, index) => {
      const [jitterMinutes, anomaly] = noise[index]!;
      const occurredAtMillis = START + (index * 4 + jitterMinutes) * 60_000;
      const { startedMinutesBefore, callMinutesAfterStart, ...rest } = fields;
      const startedAtMillis = occurredAtMillis - (startedMinutesBefore ?? 0) * 60_000;
      return {
        ...rest,
        ...(startedMinutesBefore === undefined ? {} : { startedAt: isoAt(startedAtMillis) }),
        ...(callMinutesAfterStart === undefined
          ? {}
          : { operationsCentreCalledAt: isoAt(startedAtMillis + callMinutesAfterStart * 60_000) }),
        emergencyId: anomaly % 40 === 0 ? 'another-emergency' : EMERGENCY_ID,
        occurredAt: anomaly % 40 === 1 && index > 0 ? 'not-a-time' : isoAt(occurredAtMillis),
      } as SafetyEmergencyCommand;
    }),
  );

const runEmergency = runner<SafetyEmergencyCommand, SafetyEmergencyEvent, SafetyEmergencyState>(
  decideSafetyEmergency,
  evolveSafetyEmergency,
  initialSafetyEmergencyState,
);

const millisOrNull = (instant: string | null) => (instant ? instantMillis(instant) : null);

describe('every sequence of commands on an emergency', () => {
  it('refuses only with domain errors, and evolve never throws on what decide produced', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        for (const { error } of runEmergency(commands).outcomes)
          if (error !== undefined) expect(error).toBeInstanceOf(DomainError);
      }),
      PARAMETERS,
    );
  });

  it('never has an arrival before the dispatch, in the stream or in time', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        const { log, states } = runEmergency(commands);
        const dispatched = log.findIndex((e) => e.type === 'PatrolDispatched');
        const arrived = log.findIndex((e) => e.type === 'PatrolArrived');
        if (arrived >= 0) expect(dispatched).toBeGreaterThanOrEqual(0);
        if (arrived >= 0) expect(dispatched).toBeLessThan(arrived);
        for (const state of states) {
          if (state.patrolArrivedAt)
            expect(millisOrNull(state.patrolArrivedAt)!).toBeGreaterThanOrEqual(
              millisOrNull(state.patrolDispatchedAt)!,
            );
        }
      }),
      PARAMETERS,
    );
  });

  it('keeps the timeline in order: start, call, dispatch, arrival; no duration is negative', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        for (const state of runEmergency(commands).states) {
          for (const minutes of [
            minutesFromCallToDispatch(state),
            minutesFromDispatchToArrival(state),
            minutesFromCallToArrival(state),
          ]) {
            if (minutes !== null) expect(minutes).toBeGreaterThanOrEqual(0);
          }
          const start = millisOrNull(state.startedAt);
          for (const step of [state.operationsCentreCalledAt, state.patrolDispatchedAt, state.patrolArrivedAt]) {
            if (step) expect(instantMillis(step)).toBeGreaterThanOrEqual(start!);
          }
        }
      }),
      PARAMETERS,
    );
  });

  it('records each step at most once and nothing after closing', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        const { log } = runEmergency(commands);
        for (const type of [
          'OperationsCentreCalled',
          'PatrolDispatched',
          'PatrolArrived',
          'PatrolReportFiled',
          'EmergencyClosed',
        ]) {
          expect(log.filter((e) => e.type === type).length).toBeLessThanOrEqual(1);
        }
        const closed = log.findIndex((e) => e.type === 'EmergencyClosed');
        if (closed >= 0) expect(log.length).toBe(closed + 1);
      }),
      PARAMETERS,
    );
  });

  it('lets only allowed roles act, and unit roles only on their own unit', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        const { outcomes, states } = runEmergency(commands);
        const unitId = states.at(-1)!.unitId;
        for (const { command, events } of outcomes) {
          if (!events) continue;
          expect(SAFETY_EMERGENCY_COMMAND_ROLES[command.type]).toContain(command.actor.role);
          if ((UNIT_ROLES as readonly string[]).includes(command.actor.role)) expect(command.actor.unitId).toBe(unitId);
        }
      }),
      PARAMETERS,
    );
  });

  it('folds to the same state from the stored stream as step by step, with one sealing key', () => {
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        const { states, log } = runEmergency(commands);
        expect(foldSafetyEmergencyEvents(JSON.parse(JSON.stringify(log)) as SafetyEmergencyEvent[])).toEqual(
          states.at(-1),
        );
        expect(new Set(findSealedValues(log).map(({ value }) => value.keyId)).size).toBeLessThanOrEqual(1);
      }),
      PARAMETERS,
    );
  });

  it('reaches the interesting states, so the properties above are not vacuous', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(emergencySequence, (commands) => {
        for (const event of runEmergency(commands).log) reached.add(event.type);
      }),
      { numRuns: 300, seed: 20210302 },
    );
    expect([...reached]).toEqual(
      expect.arrayContaining([
        'EmergencyRecorded',
        'EmergencyOpenedFromIncident',
        'OperationsCentreCalled',
        'PatrolDispatched',
        'OtherForcesAlerted',
        'PatrolArrived',
        'PatrolReportFiled',
        'EmergencyClosed',
      ]),
    );
  });
});
