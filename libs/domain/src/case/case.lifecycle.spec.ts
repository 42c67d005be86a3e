import type { CaseCommand } from './case.commands';
import {
  CASE_ID,
  at,
  callbackRequested,
  callerOf,
  caseClosed,
  command,
  event,
  firstContact,
  handoffSent,
  referralProposed,
  sealed,
  spec,
} from '../testing/case-fixtures';

const recordFirstContact = (fields: Partial<Parameters<typeof command<'RecordFirstContact'>>[1]> = {}) =>
  command('RecordFirstContact', {
    lineId: 'sostienimi',
    channel: 'phone',
    callerType: 'family_or_acquaintance',
    ageBand: '40_50',
    gender: 'female',
    concern: 'cocaine',
    heardOfLine: 'web_search',
    outOfHours: false,
    occurredAt: at(0),
    ...fields,
  });

describe('first contact', () => {
  it('opens the case with the contact profile', () => spec.given([]).when(recordFirstContact()).then([firstContact()]));

  it('records a voicemail left out of hours as such', () =>
    spec
      .given([])
      .when(recordFirstContact({ channel: 'voicemail', outOfHours: true }))
      .then([firstContact({ channel: 'voicemail', outOfHours: true })]));

  it('assigns the case to the operator who opens it, in the one opening event', () =>
    spec
      .given([])
      .when(recordFirstContact({ assignTo: 'operator-7' }))
      .then([firstContact({ assignedOperatorId: 'operator-7' })]));

  it('shows the opener as the assigned operator, and the case as theirs to reassign', () => {
    spec
      .given([])
      .when(recordFirstContact({ assignTo: 'operator-7' }))
      .thenState((state) => expect(state.assignedOperatorId).toBe('operator-7'));
    spec
      .given([firstContact({ assignedOperatorId: 'operator-7' })])
      .when(command('AssignOperator', { operatorId: 'operator-7' }))
      .thenThrows('OPERATOR_ALREADY_ASSIGNED', 'operatorId');
  });

  it('leaves a case opened without an assignee unassigned (and reads older first contacts so)', () =>
    spec
      .given([])
      .when(recordFirstContact())
      .thenState((state) => expect(state.assignedOperatorId).toBeNull()));

  it('refuses an empty assignee', () =>
    spec
      .given([])
      .when(recordFirstContact({ assignTo: ' ' }))
      .thenThrows('VALUE_REQUIRED', 'assignTo'));

  it('puts the case in the first-contact phase', () =>
    spec
      .given([])
      .when(recordFirstContact())
      .thenState((state) => {
        expect(state).toMatchObject({
          status: 'open',
          caseId: CASE_ID,
          lineId: 'sostienimi',
          phase: 'first_contact',
          furthestPhase: 'first_contact',
          contacts: 1,
        });
      }));

  it('accepts the employee line, which knows nothing about the caller but how to call back', () =>
    spec
      .given([])
      .when(
        recordFirstContact({
          lineId: 'employee-support',
          callerType: 'person_concerned',
          ageBand: 'unknown',
          gender: 'not_stated',
          concern: 'not_stated',
          heardOfLine: 'not_stated',
        }),
      )
      .then([
        firstContact({
          lineId: 'employee-support',
          callerType: 'person_concerned',
          ageBand: 'unknown',
          gender: 'not_stated',
          concern: 'not_stated',
          heardOfLine: 'not_stated',
        }),
      ]));

  it('refuses a second first contact', () =>
    spec.given([firstContact()]).when(recordFirstContact()).thenThrows('CASE_ALREADY_OPENED'));

  it('refuses an unknown line', () =>
    spec
      .given([])
      .when(recordFirstContact({ lineId: 'nowhere' }))
      .thenThrows('UNKNOWN_LINE', 'lineId'));

  it('refuses a channel the line does not offer', () =>
    spec
      .given([])
      .when(recordFirstContact({ channel: 'video' }))
      .thenThrows('CHANNEL_NOT_OFFERED', 'channel'));

  it('refuses a profile field the line does not collect', () =>
    spec
      .given([])
      .when(
        recordFirstContact({
          lineId: 'employee-support',
          gender: 'not_stated',
          concern: 'not_stated',
          heardOfLine: 'not_stated',
        }),
      )
      .thenThrows('FIELD_NOT_COLLECTED', 'ageBand'));

  it('refuses a value outside the vocabulary', () =>
    spec
      .given([])
      .when(recordFirstContact({ callerType: 'journalist' as never }))
      .thenThrows('INVALID_VALUE', 'callerType'));

  it('refuses a missing in-or-out-of-hours flag', () =>
    spec
      .given([])
      .when(recordFirstContact({ outOfHours: undefined as never }))
      .thenThrows('INVALID_VALUE', 'outOfHours'));

  it('refuses a case without id', () =>
    spec
      .given([])
      .when(recordFirstContact({ caseId: ' ' }))
      .thenThrows('VALUE_REQUIRED', 'caseId'));

  it('refuses a time without offset', () =>
    spec
      .given([])
      .when(recordFirstContact({ occurredAt: '2020-03-14T10:00:00' }))
      .thenThrows('INVALID_TIMESTAMP', 'occurredAt'));
});

describe('a case not yet opened', () => {
  const commands: CaseCommand[] = [
    command('RecordFollowUpContact', { channel: 'phone', direction: 'inbound', outOfHours: false }),
    command('RequestCallback', { callbackId: 'cb-1', number: sealed('number'), ...callerOf('p') }),
    command('FrameRequest', { categories: ['listening'] }),
    command('ProposeReferral', { referralId: 'ref-1', serviceId: 'serd' }),
    command('CloseCase', { outcome: 'information_given' }),
    command('ReopenCase', { reason: 'caller_recontacted' }),
    command('ErasePersonalData', { reason: 'caller_request' }),
  ];

  it.each(commands.map((c) => [c.type, c] as const))('refuses %s', (_type, c) =>
    spec.given([]).when(c).thenThrows('CASE_NOT_OPENED'),
  );
});

it('refuses a command addressed to another case', () =>
  spec
    .given([firstContact()])
    .when(command('FrameRequest', { caseId: 'case-9999', categories: ['listening'] }))
    .thenThrows('CASE_ID_MISMATCH', 'caseId'));

it('refuses a command at an invalid time', () =>
  spec
    .given([firstContact()])
    .when(command('FrameRequest', { occurredAt: 'yesterday', categories: ['listening'] }))
    .thenThrows('INVALID_TIMESTAMP', 'occurredAt'));

describe('follow-up contact', () => {
  it('records another contact of the same caller', () =>
    spec
      .given([firstContact()])
      .when(command('RecordFollowUpContact', { channel: 'whatsapp', direction: 'inbound', outOfHours: true }))
      .then([event('FollowUpContactRecorded', { channel: 'whatsapp', direction: 'inbound', outOfHours: true })]));

  it('counts the contacts', () =>
    spec
      .given([firstContact()])
      .when(command('RecordFollowUpContact', { channel: 'phone', direction: 'outbound', outOfHours: false }))
      .thenState((state) => expect(state).toMatchObject({ contacts: 2, lastContactAt: at(10) })));

  it('refuses a channel the line does not offer', () =>
    spec
      .given([firstContact()])
      .when(command('RecordFollowUpContact', { channel: 'video', direction: 'inbound', outOfHours: false }))
      .thenThrows('CHANNEL_NOT_OFFERED', 'channel'));

  it('refuses an unknown direction', () =>
    spec
      .given([firstContact()])
      .when(command('RecordFollowUpContact', { channel: 'phone', direction: 'sideways' as never, outOfHours: false }))
      .thenThrows('INVALID_VALUE', 'direction'));
});

describe('closing', () => {
  it('closes with an outcome', () =>
    spec
      .given([firstContact()])
      .when(command('CloseCase', { outcome: 'information_given', occurredAt: at(20) }))
      .then([caseClosed('information_given')]));

  it('keeps a sealed closing note', () =>
    spec
      .given([firstContact()])
      .when(command('CloseCase', { outcome: 'other', note: sealed('closing note') }))
      .then([event('CaseClosed', { outcome: 'other', note: sealed('closing note') })]));

  it('destroys the call-back numbers still held, before closing', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1'), callbackRequested('cb-2')])
      .when(command('CloseCase', { outcome: 'not_reachable' }))
      .then([
        event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'case_closed' }),
        event('CallbackNumberDiscarded', { callbackId: 'cb-2', reason: 'case_closed' }),
        event('CaseClosed', { outcome: 'not_reachable' }),
      ]));

  it('refuses to close without an outcome', () =>
    spec
      .given([firstContact()])
      .when(command('CloseCase', { outcome: undefined as never }))
      .thenThrows('OUTCOME_REQUIRED', 'outcome'));

  it('refuses an outcome outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('CloseCase', { outcome: 'solved' as never }))
      .thenThrows('INVALID_VALUE', 'outcome'));

  it('refuses to close twice', () =>
    spec
      .given([firstContact(), caseClosed()])
      .when(command('CloseCase', { outcome: 'information_given' }))
      .thenThrows('CASE_CLOSED'));

  it('marks the case closed and remembers where it was', () =>
    spec
      .given([firstContact(), event('RequestFramed', { categories: ['information_on_services'] })])
      .when(command('CloseCase', { outcome: 'information_given' }))
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'closed',
          phase: 'closed',
          phaseBeforeClosing: 'framing',
          furthestPhase: 'framing',
          outcome: 'information_given',
        }),
      ));
});

describe('a closed case', () => {
  const refused: CaseCommand[] = [
    command('RecordFollowUpContact', { channel: 'phone', direction: 'inbound', outOfHours: false }),
    command('RequestCallback', { callbackId: 'cb-9', number: sealed('number'), ...callerOf('p') }),
    command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'no_answer' }),
    command('CompleteCallback', { callbackId: 'cb-1', resolution: 'attempts_exhausted' }),
    command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'retention_elapsed' }),
    command('FrameRequest', { categories: ['listening'] }),
    command('ReframeProblem', { categories: ['relative_addiction'] }),
    command('SetGoal', { goalKind: 'contact_a_service' }),
    command('FlagRisk', { level: 'high', kind: 'self_harm' }),
    command('EscalateSafety', { action: 'supervisor_alerted' }),
    command('GiveLegalAdvice', { topic: 'drug_law_sanctions' }),
    command('ProposeReferral', { referralId: 'ref-2', serviceId: 'smi-2' }),
    command('SendHandoff', { referralId: 'ref-1', consent: { given: true, method: 'verbal' }, sharedFields: [] }),
    command('WithdrawReferral', { referralId: 'ref-1', reason: 'caller_changed_mind' }),
    command('EscalateHandoff', { referralId: 'ref-1' }),
    command('ExpireReferral', { referralId: 'ref-1' }),
    command('AssignOperator', { operatorId: 'operator-7' }),
    command('AddSupervisionNote', { supervisorId: 'supervisor-1', note: sealed('supervision') }),
    command('ScheduleSession', { sessionId: 's-1', scheduledFor: at(600), mode: 'phone', professionalId: 'psy-1' }),
    command('RecordSessionHeld', { sessionId: 's-1' }),
    command('RecordSessionMissed', { sessionId: 's-1' }),
    command('TakeInChargeByLine', { professionalId: 'psy-1' }),
    command('CloseCase', { outcome: 'other' }),
  ];
  const closed = [firstContact(), callbackRequested('cb-1'), referralProposed('ref-1'), caseClosed()];

  it.each(refused.map((c) => [c.type, c] as const))('refuses %s', (_type, c) =>
    spec.given(closed).when(c).thenThrows('CASE_CLOSED'),
  );

  it('can be reopened', () =>
    spec
      .given(closed)
      .when(command('ReopenCase', { reason: 'caller_recontacted', occurredAt: at(40) }))
      .then([event('CaseReopened', { reason: 'caller_recontacted', occurredAt: at(40) })]));

  it('resumes where it was when reopened', () =>
    spec
      .given([firstContact(), referralProposed('ref-1'), handoffSent('ref-1'), caseClosed('referred_to_service')])
      .when(command('ReopenCase', { reason: 'service_feedback', occurredAt: at(40) }))
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'open',
          phase: 'accompaniment',
          outcome: null,
          phaseBeforeClosing: null,
        }),
      ));

  describe("the service's side of a referral sent before closing", () => {
    const closedAfterSending = [firstContact(), referralProposed('ref-1'), handoffSent('ref-1'), caseClosed()];

    it('takes the acceptance, and the case stays closed', () =>
      spec
        .given(closedAfterSending)
        .when(command('AcceptHandoff', { referralId: 'ref-1', occurredAt: at(40) }))
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'closed', phase: 'closed', outcome: 'information_given' });
          expect(state.referrals['ref-1']).toMatchObject({ status: 'accepted', acceptedAt: at(40) });
        }));

    it('takes a decline', () =>
      spec
        .given(closedAfterSending)
        .when(command('DeclineHandoff', { referralId: 'ref-1', reason: 'no_capacity', occurredAt: at(40) }))
        .then([event('HandoffDeclined', { referralId: 'ref-1', reason: 'no_capacity', occurredAt: at(40) })]));

    it('takes an appointment, its move, the attendance and the care', () => {
      const accepted = [...closedAfterSending, event('HandoffAccepted', { referralId: 'ref-1', occurredAt: at(40) })];
      spec
        .given(accepted)
        .when(command('ScheduleAppointment', { referralId: 'ref-1', appointmentAt: at(600), occurredAt: at(41) }))
        .then([event('AppointmentScheduled', { referralId: 'ref-1', appointmentAt: at(600), occurredAt: at(41) })]);
      const appointmentSet = [
        ...accepted,
        event('AppointmentScheduled', { referralId: 'ref-1', appointmentAt: at(600), occurredAt: at(41) }),
      ];
      spec
        .given(appointmentSet)
        .when(command('RecordAppointmentAttended', { referralId: 'ref-1', occurredAt: at(600) }))
        .then([event('AppointmentAttended', { referralId: 'ref-1', occurredAt: at(600) })]);
      spec
        .given(appointmentSet)
        .when(command('RecordAppointmentMissed', { referralId: 'ref-1', occurredAt: at(660) }))
        .then([event('AppointmentMissed', { referralId: 'ref-1', occurredAt: at(660) })]);
      spec
        .given(accepted)
        .when(command('RecordTakenIntoCare', { referralId: 'ref-1', occurredAt: at(50) }))
        .thenState((state) => {
          expect(state.status).toBe('closed');
          expect(state.referrals['ref-1']).toMatchObject({ status: 'taken_into_care', takenIntoCareAt: at(50) });
        });
    });

    it('still refuses the operator side: proposing and sending', () => {
      spec
        .given(closedAfterSending)
        .when(command('ProposeReferral', { referralId: 'ref-2', serviceId: 'smi-2' }))
        .thenThrows('CASE_CLOSED');
      spec
        .given([firstContact(), referralProposed('ref-1'), caseClosed()])
        .when(
          command('SendHandoff', { referralId: 'ref-1', consent: { given: true, method: 'verbal' }, sharedFields: [] }),
        )
        .thenThrows('CASE_CLOSED');
    });
  });

  it('can still have personal data erased', () =>
    spec
      .given(closed)
      .when(command('ErasePersonalData', { reason: 'retention_policy' }))
      .then([event('PersonalDataErased', { reason: 'retention_policy' })]));
});

describe('reopening', () => {
  it('refuses a reopening dated before the closing', () =>
    spec
      .given([firstContact(), caseClosed()])
      .when(command('ReopenCase', { reason: 'caller_recontacted', occurredAt: at(19) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt'));

  it('refuses to reopen an open case', () =>
    spec
      .given([firstContact()])
      .when(command('ReopenCase', { reason: 'caller_recontacted' }))
      .thenThrows('CASE_NOT_CLOSED'));

  it('refuses a reason outside the vocabulary', () =>
    spec
      .given([firstContact(), caseClosed()])
      .when(command('ReopenCase', { reason: 'because' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));
});

describe('phases', () => {
  it('follows the counselling path and keeps the furthest phase reached', () =>
    spec
      .given([
        firstContact(),
        event('RequestFramed', { categories: ['information_on_services'] }),
        event('ProblemReframed', { categories: ['relative_addiction'] }),
        event('GoalSet', { goalKind: 'contact_a_service' }),
        referralProposed('ref-1'),
      ])
      .when(command('ReframeProblem', { categories: ['family_relationships'] }))
      .thenState((state) => expect(state).toMatchObject({ phase: 'reframing', furthestPhase: 'orientation' })));

  it('lets an information-only call close right after framing', () =>
    spec
      .given([firstContact(), event('RequestFramed', { categories: ['information_on_services'] })])
      .when(command('CloseCase', { outcome: 'information_given' }))
      .then([event('CaseClosed', { outcome: 'information_given' })]));

  it('reaches accompaniment when the line takes the case in charge without a referral', () =>
    spec
      .given([firstContact()])
      .when(command('TakeInChargeByLine', { professionalId: 'psy-1' }))
      .thenState((state) => expect(state).toMatchObject({ phase: 'accompaniment', furthestPhase: 'accompaniment' })));
});

describe('time order of a case', () => {
  it('refuses a follow-up dated before the first contact', () =>
    spec
      .given([firstContact()])
      .when(
        command('RecordFollowUpContact', {
          channel: 'phone',
          direction: 'inbound',
          outOfHours: false,
          occurredAt: at(-1),
        }),
      )
      .thenThrows('OCCURRED_BEFORE_CASE_OPENED', 'occurredAt'));

  it('refuses a handoff acceptance dated before the first contact', () =>
    spec
      .given([firstContact(), referralProposed('ref-1'), handoffSent('ref-1')])
      .when(command('AcceptHandoff', { referralId: 'ref-1', occurredAt: '2020-03-13T09:00:00.000Z' }))
      .thenThrows('OCCURRED_BEFORE_CASE_OPENED', 'occurredAt'));

  it('accepts a command at the very instant of the first contact, written with another offset', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['listening'], occurredAt: '2020-03-14T10:00:00+01:00' }))
      .then([event('RequestFramed', { categories: ['listening'], occurredAt: '2020-03-14T10:00:00+01:00' })]));
});
