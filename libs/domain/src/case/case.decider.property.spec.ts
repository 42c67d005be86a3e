import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { findSealedValues, type Sealed } from '../shared/sealed';
import { SEED_LINES as lines } from '../lines/lines';
import { COMMANDS_ACCEPTED_WHEN_CLOSED, type CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';
import { decide, evolve, foldCaseEvents, initialState } from './case.decider';
import { isOpenReferral, type CaseState } from './case.state';
import {
  AGE_BANDS,
  CALLBACK_ATTEMPT_OUTCOMES,
  CALLBACK_RESOLUTIONS,
  CALLER_TYPES,
  CASE_OUTCOMES,
  CASE_PHASES,
  CHANNELS,
  CONCERNS,
  CONSENT_METHODS,
  CONTACT_DIRECTIONS,
  DECLINE_REASONS,
  ERASURE_REASONS,
  GENDERS,
  GOAL_KINDS,
  HEARD_OF_LINE_SOURCES,
  LEGAL_ADVICE_TOPICS,
  PROBLEM_CATEGORIES,
  REFERRAL_WITHDRAWAL_REASONS,
  REOPEN_REASONS,
  REQUEST_CATEGORIES,
  REQUESTED_DISCARD_REASONS,
  RISK_KINDS,
  RISK_LEVELS,
  SAFETY_ESCALATION_ACTIONS,
  SESSION_MODES,
  SHARED_FIELDS,
  type CollectedField,
  type SharedField,
} from './vocabularies';

/*
 * A model of what operators, services and scheduled jobs may send: valid-ish commands over a few ids, so that
 * sequences hit both the happy paths and the refusals (unknown ids, wrong order, wrong line, erased data...).
 */

const CASE_ID = 'case-prop';
const START = Date.UTC(2020, 2, 28, 20, 0); // the weekend daylight saving starts in Rome

const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const referralId = oneOf(['ref-1', 'ref-2', 'ref-3']);
const serviceId = oneOf(['serd-1', 'smi-2']);
const callbackId = oneOf(['cb-1', 'cb-2', 'cb-3']);
const sessionId = oneOf(['s-1', 's-2']);
const instant = fc
  .integer({ min: 0, max: 60 * 24 * 30 })
  .map((minutes) => new Date(START + minutes * 60_000).toISOString());
const sealedValue: fc.Arbitrary<Sealed> = fc
  .tuple(fc.constantFrom('case-key', 'case-key', 'case-key', 'other-key'), fc.constantFrom('a', 'b', 'c'))
  .map(([keyId, text]) => ({ keyId, ciphertext: `ciphertext(${text})` }));
const maybeSealed = fc.option(sealedValue, { nil: undefined });

type Fields = Omit<CaseCommand, 'caseId' | 'occurredAt'>;
const commandOf = <T extends Fields>(arb: fc.Arbitrary<T>) => arb as fc.Arbitrary<Fields>;

/** Line-aware, so most first contacts open the case; some still break the line's rules. */
const firstContact = commandOf(
  oneOf(lines).chain((line) => {
    const collected = (field: CollectedField) => line.collectedFields.includes(field);
    const profile = <T extends string>(field: CollectedField, unknown: T, vocabulary: readonly T[]) =>
      fc.oneof(
        { weight: 9, arbitrary: collected(field) ? oneOf(vocabulary) : fc.constant(unknown) },
        { weight: 1, arbitrary: oneOf(vocabulary) },
      );
    return fc.record({
      type: fc.constant('RecordFirstContact' as const),
      lineId: fc.constant(line.id),
      channel: fc.oneof({ weight: 9, arbitrary: oneOf(line.channels) }, { weight: 1, arbitrary: oneOf(CHANNELS) }),
      callerType: oneOf(CALLER_TYPES),
      ageBand: profile('age_band', 'unknown', AGE_BANDS),
      gender: profile('gender', 'not_stated', GENDERS),
      concern: profile('concern', 'not_stated', CONCERNS),
      heardOfLine: profile('heard_of_line', 'not_stated', HEARD_OF_LINE_SOURCES),
      outOfHours: fc.boolean(),
    });
  }),
);

/** Mostly consistent handoffs (consent, summary note when shared), sometimes not. */
const sendHandoff = commandOf(
  fc
    .record({
      referralId,
      consentGiven: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      method: oneOf(CONSENT_METHODS),
      sharedFields: fc.oneof(
        { weight: 8, arbitrary: fc.subarray(['age_band', 'gender', 'concern'] as SharedField[]) },
        { weight: 2, arbitrary: fc.subarray([...SHARED_FIELDS]) },
      ),
      note: sealedValue,
      consistentNote: fc.oneof(
        { weight: 9, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
    })
    .map(({ referralId, consentGiven, method, sharedFields, note, consistentNote }) => ({
      type: 'SendHandoff' as const,
      referralId,
      consent: { given: consentGiven, method },
      sharedFields,
      summaryNote: sharedFields.includes('summary_note') === consistentNote ? note : undefined,
    })),
);

const anyCommand: fc.Arbitrary<Fields> = fc.oneof(
  firstContact,
  commandOf(
    fc.record({
      type: fc.constant('RecordFollowUpContact' as const),
      channel: oneOf(CHANNELS),
      direction: oneOf(CONTACT_DIRECTIONS),
      outOfHours: fc.boolean(),
    }),
  ),
  commandOf(
    fc.record(
      {
        type: fc.constant('RequestCallback' as const),
        callbackId,
        number: sealedValue,
        callerPseudonym: sealedValue,
        callerLookupHint: fc.constantFrom('1', '2'),
        returningCaller: fc.boolean(),
        nameOrAlias: sealedValue,
      },
      { requiredKeys: ['type', 'callbackId', 'number', 'callerPseudonym', 'callerLookupHint', 'returningCaller'] },
    ),
  ),
  commandOf(
    fc.record({
      type: fc.constant('RecordCallbackAttempt' as const),
      callbackId,
      outcome: oneOf(CALLBACK_ATTEMPT_OUTCOMES),
    }),
  ),
  commandOf(
    fc.record({ type: fc.constant('CompleteCallback' as const), callbackId, resolution: oneOf(CALLBACK_RESOLUTIONS) }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('DiscardCallbackNumber' as const),
      callbackId,
      reason: oneOf(REQUESTED_DISCARD_REASONS),
    }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('FrameRequest' as const),
      categories: fc.array(oneOf(REQUEST_CATEGORIES), { maxLength: 3 }),
      note: maybeSealed,
    }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('ReframeProblem' as const),
      categories: fc.array(oneOf(PROBLEM_CATEGORIES), { maxLength: 3 }),
      note: maybeSealed,
    }),
  ),
  commandOf(
    fc.record({ type: fc.constant('SetGoal' as const), goalKind: oneOf(GOAL_KINDS), description: maybeSealed }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('FlagRisk' as const),
      level: oneOf(RISK_LEVELS),
      kind: oneOf(RISK_KINDS),
      note: maybeSealed,
    }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('EscalateSafety' as const),
      action: oneOf(SAFETY_ESCALATION_ACTIONS),
      note: maybeSealed,
    }),
  ),
  commandOf(
    fc.record({ type: fc.constant('GiveLegalAdvice' as const), topic: oneOf(LEGAL_ADVICE_TOPICS), note: maybeSealed }),
  ),
  {
    weight: 4,
    arbitrary: commandOf(fc.record({ type: fc.constant('ProposeReferral' as const), referralId, serviceId })),
  },
  { weight: 4, arbitrary: sendHandoff },
  {
    weight: 4,
    arbitrary: commandOf(
      fc.record({
        type: fc.constant('AcceptHandoff' as const),
        referralId,
        appointmentAt: fc.option(instant, { nil: undefined }),
      }),
    ),
  },
  commandOf(
    fc.record({
      type: fc.constant('DeclineHandoff' as const),
      referralId,
      reason: oneOf(DECLINE_REASONS),
      suggestedServiceId: fc.option(serviceId, { nil: undefined }),
    }),
  ),
  {
    weight: 3,
    arbitrary: commandOf(
      fc.record({ type: fc.constant('ScheduleAppointment' as const), referralId, appointmentAt: instant }),
    ),
  },
  {
    weight: 3,
    arbitrary: commandOf(fc.record({ type: fc.constant('RecordAppointmentAttended' as const), referralId })),
  },
  commandOf(fc.record({ type: fc.constant('RecordAppointmentMissed' as const), referralId })),
  { weight: 3, arbitrary: commandOf(fc.record({ type: fc.constant('RecordTakenIntoCare' as const), referralId })) },
  commandOf(
    fc.record({
      type: fc.constant('WithdrawReferral' as const),
      referralId,
      reason: oneOf(REFERRAL_WITHDRAWAL_REASONS),
    }),
  ),
  commandOf(fc.record({ type: fc.constant('EscalateHandoff' as const), referralId })),
  commandOf(fc.record({ type: fc.constant('ExpireReferral' as const), referralId })),
  commandOf(fc.record({ type: fc.constant('AssignOperator' as const), operatorId: fc.constantFrom('op-1', 'op-2') })),
  commandOf(
    fc.record({
      type: fc.constant('AddSupervisionNote' as const),
      supervisorId: fc.constant('sup-1'),
      note: sealedValue,
    }),
  ),
  commandOf(
    fc.record({
      type: fc.constant('ScheduleSession' as const),
      sessionId,
      scheduledFor: instant,
      mode: oneOf(SESSION_MODES),
      professionalId: fc.constant('psy-1'),
    }),
  ),
  commandOf(fc.record({ type: fc.constant('RecordSessionHeld' as const), sessionId, note: maybeSealed })),
  commandOf(fc.record({ type: fc.constant('RecordSessionMissed' as const), sessionId })),
  commandOf(fc.record({ type: fc.constant('TakeInChargeByLine' as const), professionalId: fc.constant('psy-1') })),
  commandOf(
    fc.record({
      type: fc.constant('CloseCase' as const),
      outcome: fc.option(oneOf(CASE_OUTCOMES), { nil: undefined, freq: 8 }),
      note: maybeSealed,
    }),
  ),
  {
    weight: 2,
    arbitrary: commandOf(fc.record({ type: fc.constant('ReopenCase' as const), reason: oneOf(REOPEN_REASONS) })),
  },
  commandOf(fc.record({ type: fc.constant('ErasePersonalData' as const), reason: oneOf(ERASURE_REASONS) })),
);

/** Rarely, a command addressed to another case or at a time that is not an instant. */
const anomaly = fc.oneof(
  { weight: 38, arbitrary: fc.constant('none' as const) },
  { weight: 1, arbitrary: fc.constant('another_case' as const) },
  { weight: 1, arbitrary: fc.constant('not_a_time' as const) },
);

/** Mostly cases that start with a first contact; sometimes not, to exercise CASE_NOT_OPENED. */
const commandSequence: fc.Arbitrary<CaseCommand[]> = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: firstContact.map((c) => [c]) }, { weight: 1, arbitrary: fc.constant([]) }),
    fc.array(fc.tuple(anyCommand, anomaly), { maxLength: 80, size: 'max' }),
  )
  .map(
    ([head, tail]) =>
      [...head.map((fields) => [fields, 'none'] as const), ...tail].map(([fields, odd], index) => ({
        ...fields,
        caseId: odd === 'another_case' ? 'another-case' : CASE_ID,
        occurredAt: odd === 'not_a_time' ? 'not-a-time' : new Date(START + index * 17 * 60_000).toISOString(),
      })) as CaseCommand[],
  );

interface Run {
  readonly states: CaseState[];
  readonly log: CaseEvent[];
  readonly outcomes: { command: CaseCommand; before: CaseState; events?: CaseEvent[]; error?: unknown }[];
}

function run(commands: readonly CaseCommand[]): Run {
  let state = initialState;
  const states = [state];
  const log: CaseEvent[] = [];
  const outcomes: Run['outcomes'] = [];
  for (const command of commands) {
    const before = state;
    let events: CaseEvent[];
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
}

const phaseRank = (state: CaseState): number => (state.furthestPhase ? CASE_PHASES.indexOf(state.furthestPhase) : -1);
const PARAMETERS = { numRuns: 300 };

describe('every sequence of commands on a case', () => {
  it('refuses only with domain errors', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        for (const { error } of run(commands).outcomes) {
          if (error !== undefined) expect(error).toBeInstanceOf(DomainError);
        }
      }),
      PARAMETERS,
    );
  });

  it('never holds two open referrals to the same service', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        for (const state of run(commands).states) {
          const services = Object.values(state.referrals)
            .filter(isOpenReferral)
            .map((referral) => referral.serviceId);
          expect(new Set(services).size).toBe(services.length);
        }
      }),
      PARAMETERS,
    );
  });

  it('lets a closed case accept only reopening (and erasure)', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        for (const { command, before, events } of run(commands).outcomes) {
          if (before.status === 'closed' && events) expect(COMMANDS_ACCEPTED_WHEN_CLOSED).toContain(command.type);
        }
      }),
      PARAMETERS,
    );
  });

  it('never moves the furthest phase reached backwards', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const ranks = run(commands).states.map(phaseRank);
        ranks.slice(1).forEach((rank, index) => expect(rank).toBeGreaterThanOrEqual(ranks[index]!));
      }),
      PARAMETERS,
    );
  });

  it('folds to the same state from the stream as step by step', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const { states, log } = run(commands);
        // Through JSON too: the state must survive the trip through the event store.
        const stored = JSON.parse(JSON.stringify(log)) as CaseEvent[];
        expect(foldCaseEvents(stored)).toEqual(states[states.length - 1]);
      }),
      PARAMETERS,
    );
  });

  it('never writes a sealed value after personal data were erased, nor keeps one in the state', () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const { states, log } = run(commands);
        const erasedAt = log.findIndex((event) => event.type === 'PersonalDataErased');
        if (erasedAt >= 0) expect(findSealedValues(log.slice(erasedAt + 1))).toEqual([]);
        for (const state of states) if (state.personalDataErased) expect(findSealedValues(state)).toEqual([]);
      }),
      PARAMETERS,
    );
  });

  it("seals every personal value of the case with one key, and each call-back's contact with one of its own", () => {
    fc.assert(
      fc.property(commandSequence, (commands) => {
        const log = run(commands).log;
        // A call-back's number and name have a key of their own; its caller's pseudonym has the case's.
        const ofCallback = ({ path }: { path: string }) => /^data\.(number|nameOrAlias)$/.test(path);
        const caseValues = findSealedValues(log.filter((event) => event.type !== 'CallbackRequested'));
        const callbacks = log.filter((event) => event.type === 'CallbackRequested');
        const pseudonyms = callbacks.flatMap((callback) =>
          findSealedValues(callback).filter((found) => !ofCallback(found)),
        );
        expect(new Set([...caseValues, ...pseudonyms].map(({ value }) => value.keyId)).size).toBeLessThanOrEqual(1);
        for (const callback of callbacks) {
          expect(
            new Set(
              findSealedValues(callback)
                .filter(ofCallback)
                .map(({ value }) => value.keyId),
            ).size,
          ).toBe(1);
        }
      }),
      PARAMETERS,
    );
  });

  it('reaches the interesting states, so the properties above are not vacuous', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(commandSequence, (commands) => {
        for (const { events } of run(commands).outcomes) for (const event of events ?? []) reached.add(event.type);
      }),
      { numRuns: 400, seed: 20200329 },
    );
    expect([...reached]).toEqual(
      expect.arrayContaining([
        'HandoffSent',
        'AppointmentScheduled',
        'TakenIntoCare',
        'CaseReopened',
        'PersonalDataErased',
      ]),
    );
  });
});
