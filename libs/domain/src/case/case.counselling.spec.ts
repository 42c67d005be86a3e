import { at, command, event, firstContact, sealed, spec } from '../testing/case-fixtures';

const psychLineContact = firstContact({ lineId: 'psych-emergency', concern: 'other' });

describe('request framed', () => {
  it('records the manifest request with its sealed note', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['information_on_services', 'listening'], note: sealed('request') }))
      .then([
        event('RequestFramed', { categories: ['information_on_services', 'listening'], note: sealed('request') }),
      ]));

  it('keeps each category once', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['listening', 'listening'] }))
      .then([event('RequestFramed', { categories: ['listening'] })]));

  it('moves the case to framing', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['listening'] }))
      .thenState((state) => expect(state).toMatchObject({ phase: 'framing', furthestPhase: 'framing' })));

  it('refuses a request without categories', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: [] }))
      .thenThrows('VALUE_REQUIRED', 'categories'));

  it('refuses a category outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['gossip' as never] }))
      .thenThrows('INVALID_VALUE', 'categories'));
});

describe('problem reframed', () => {
  it('records the real problem with its sealed note', () =>
    spec
      .given([firstContact(), event('RequestFramed', { categories: ['information_on_services'] })])
      .when(command('ReframeProblem', { categories: ['relative_addiction'], note: sealed('real problem') }))
      .then([event('ProblemReframed', { categories: ['relative_addiction'], note: sealed('real problem') })]));

  it('refuses a problem without categories', () =>
    spec
      .given([firstContact()])
      .when(command('ReframeProblem', { categories: [] }))
      .thenThrows('VALUE_REQUIRED', 'categories'));

  it('refuses a request category where a problem category is expected', () =>
    spec
      .given([firstContact()])
      .when(command('ReframeProblem', { categories: ['listening' as never] }))
      .thenThrows('INVALID_VALUE', 'categories'));
});

describe('goal set', () => {
  it('records the goal with its sealed description', () =>
    spec
      .given([firstContact()])
      .when(command('SetGoal', { goalKind: 'contact_a_service', description: sealed('goal') }))
      .then([event('GoalSet', { goalKind: 'contact_a_service', description: sealed('goal') })]));

  it('refuses a goal outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('SetGoal', { goalKind: 'win' as never }))
      .thenThrows('INVALID_VALUE', 'goalKind'));
});

describe('risk flagged', () => {
  it('records level and kind', () =>
    spec
      .given([firstContact()])
      .when(command('FlagRisk', { level: 'high', kind: 'overdose', note: sealed('risk') }))
      .then([event('RiskFlagged', { level: 'high', kind: 'overdose', note: sealed('risk') })]));

  it('keeps the latest level and every kind seen', () =>
    spec
      .given([firstContact(), event('RiskFlagged', { level: 'imminent', kind: 'self_harm', occurredAt: at(1) })])
      .when(command('FlagRisk', { level: 'moderate', kind: 'violence_suffered' }))
      .thenState((state) =>
        expect(state.risk).toEqual({ level: 'moderate', kinds: ['self_harm', 'violence_suffered'], flaggedAt: at(10) }),
      ));

  it('refuses a level outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('FlagRisk', { level: 'extreme' as never, kind: 'self_harm' }))
      .thenThrows('INVALID_VALUE', 'level'));

  it('refuses a kind outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('FlagRisk', { level: 'low', kind: 'boredom' as never }))
      .thenThrows('INVALID_VALUE', 'kind'));
});

describe('safety escalated', () => {
  it('records what was done', () =>
    spec
      .given([firstContact(), event('RiskFlagged', { level: 'imminent', kind: 'harm_to_others' })])
      .when(command('EscalateSafety', { action: 'emergency_services_called' }))
      .then([event('SafetyEscalated', { action: 'emergency_services_called' })]));

  it('refuses an action outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('EscalateSafety', { action: 'panic' as never }))
      .thenThrows('INVALID_VALUE', 'action'));
});

describe('legal advice given', () => {
  it('records the topic', () =>
    spec
      .given([psychLineContact])
      .when(command('GiveLegalAdvice', { topic: 'victim_rights' }))
      .then([event('LegalAdviceGiven', { topic: 'victim_rights' })]));

  it('refuses a topic outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('GiveLegalAdvice', { topic: 'taxes' as never }))
      .thenThrows('INVALID_VALUE', 'topic'));
});

describe('operator assigned', () => {
  it('assigns the operator', () =>
    spec
      .given([firstContact()])
      .when(command('AssignOperator', { operatorId: 'operator-7' }))
      .then([event('OperatorAssigned', { operatorId: 'operator-7' })]));

  it('reassigns to another operator', () =>
    spec
      .given([firstContact(), event('OperatorAssigned', { operatorId: 'operator-7' })])
      .when(command('AssignOperator', { operatorId: 'operator-8' }))
      .thenState((state) => expect(state.assignedOperatorId).toBe('operator-8')));

  it('refuses to assign the operator already assigned', () =>
    spec
      .given([firstContact(), event('OperatorAssigned', { operatorId: 'operator-7' })])
      .when(command('AssignOperator', { operatorId: 'operator-7' }))
      .thenThrows('OPERATOR_ALREADY_ASSIGNED', 'operatorId'));

  it('refuses an assignment without operator', () =>
    spec
      .given([firstContact()])
      .when(command('AssignOperator', { operatorId: '' }))
      .thenThrows('VALUE_REQUIRED', 'operatorId'));
});

describe('supervision note added', () => {
  it('records the sealed note of the supervisor', () =>
    spec
      .given([firstContact()])
      .when(command('AddSupervisionNote', { supervisorId: 'supervisor-1', note: sealed('supervision') }))
      .then([event('SupervisionNoteAdded', { supervisorId: 'supervisor-1', note: sealed('supervision') })]));

  it('refuses a supervision note without note', () =>
    spec
      .given([firstContact()])
      .when(command('AddSupervisionNote', { supervisorId: 'supervisor-1', note: undefined as never }))
      .thenThrows('VALUE_REQUIRED', 'note'));

  it('refuses a supervision note without supervisor', () =>
    spec
      .given([firstContact()])
      .when(command('AddSupervisionNote', { supervisorId: '', note: sealed('supervision') }))
      .thenThrows('VALUE_REQUIRED', 'supervisorId'));
});

describe('sessions with the line professionals', () => {
  const SESSION_TIME = '2020-03-16T10:00:00.000Z';
  const scheduled = event('SessionScheduled', {
    sessionId: 's-1',
    scheduledFor: '2020-03-16T10:00:00.000Z',
    mode: 'video',
    professionalId: 'psy-1',
  });

  it('schedules a video session on a line that offers video', () =>
    spec
      .given([psychLineContact])
      .when(
        command('ScheduleSession', {
          sessionId: 's-1',
          scheduledFor: '2020-03-16T10:00:00.000Z',
          mode: 'video',
          professionalId: 'psy-1',
        }),
      )
      .then([scheduled]));

  it('puts the case in accompaniment', () =>
    spec
      .given([psychLineContact])
      .when(
        command('ScheduleSession', { sessionId: 's-1', scheduledFor: at(600), mode: 'phone', professionalId: 'psy-1' }),
      )
      .thenState((state) => expect(state.phase).toBe('accompaniment')));

  it('refuses a video session on a line without video', () =>
    spec
      .given([firstContact()])
      .when(
        command('ScheduleSession', { sessionId: 's-1', scheduledFor: at(600), mode: 'video', professionalId: 'psy-1' }),
      )
      .thenThrows('CHANNEL_NOT_OFFERED', 'mode'));

  it('refuses the same session twice', () =>
    spec
      .given([psychLineContact, scheduled])
      .when(
        command('ScheduleSession', { sessionId: 's-1', scheduledFor: at(600), mode: 'phone', professionalId: 'psy-1' }),
      )
      .thenThrows('SESSION_ALREADY_SCHEDULED', 'sessionId'));

  it('refuses a session at an invalid time', () =>
    spec
      .given([psychLineContact])
      .when(
        command('ScheduleSession', {
          sessionId: 's-1',
          scheduledFor: 'monday',
          mode: 'phone',
          professionalId: 'psy-1',
        }),
      )
      .thenThrows('INVALID_TIMESTAMP', 'scheduledFor'));

  it('records a session held, with its sealed notes', () =>
    spec
      .given([psychLineContact, scheduled])
      .when(command('RecordSessionHeld', { sessionId: 's-1', note: sealed('session'), occurredAt: SESSION_TIME }))
      .then([event('SessionHeld', { sessionId: 's-1', note: sealed('session'), occurredAt: SESSION_TIME })]));

  it('records a session missed', () =>
    spec
      .given([psychLineContact, scheduled])
      .when(command('RecordSessionMissed', { sessionId: 's-1', occurredAt: '2020-03-16T10:30:00.000Z' }))
      .then([event('SessionMissed', { sessionId: 's-1', occurredAt: '2020-03-16T10:30:00.000Z' })]));

  it('refuses a session held or missed before its time', () => {
    spec
      .given([psychLineContact, scheduled])
      .when(command('RecordSessionHeld', { sessionId: 's-1', occurredAt: '2020-03-16T09:59:00.000Z' }))
      .thenThrows('APPOINTMENT_NOT_YET_DUE', 'occurredAt');
    spec
      .given([psychLineContact, scheduled])
      .when(command('RecordSessionMissed', { sessionId: 's-1' }))
      .thenThrows('APPOINTMENT_NOT_YET_DUE', 'occurredAt');
  });

  it('refuses to hold a session never scheduled', () =>
    spec
      .given([psychLineContact])
      .when(command('RecordSessionHeld', { sessionId: 's-1' }))
      .thenThrows('SESSION_NOT_SCHEDULED', 'sessionId'));

  it('refuses to hold a session twice', () =>
    spec
      .given([psychLineContact, scheduled, event('SessionHeld', { sessionId: 's-1' })])
      .when(command('RecordSessionHeld', { sessionId: 's-1' }))
      .thenThrows('SESSION_NOT_SCHEDULED', 'sessionId'));

  it('refuses to miss a session already held', () =>
    spec
      .given([psychLineContact, scheduled, event('SessionHeld', { sessionId: 's-1' })])
      .when(command('RecordSessionMissed', { sessionId: 's-1' }))
      .thenThrows('SESSION_NOT_SCHEDULED', 'sessionId'));
});

describe("taken in charge by the line's team", () => {
  it('records who took the case in charge', () =>
    spec
      .given([psychLineContact])
      .when(command('TakeInChargeByLine', { professionalId: 'psy-1' }))
      .then([event('TakenInChargeByLine', { professionalId: 'psy-1' })]));

  it('refuses to take the case in charge twice', () =>
    spec
      .given([psychLineContact, event('TakenInChargeByLine', { professionalId: 'psy-1' })])
      .when(command('TakeInChargeByLine', { professionalId: 'psy-2' }))
      .thenThrows('ALREADY_TAKEN_IN_CHARGE'));

  it('refuses to take in charge without a professional', () =>
    spec
      .given([psychLineContact])
      .when(command('TakeInChargeByLine', { professionalId: '' }))
      .thenThrows('VALUE_REQUIRED', 'professionalId'));
});
