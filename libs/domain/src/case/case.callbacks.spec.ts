import {
  at,
  callbackRequested,
  callerOf,
  command,
  event,
  firstContact,
  personalDataErased,
  sealed,
  spec,
} from '../testing/case-fixtures';

const employeeLineContact = firstContact({
  lineId: 'employee-support',
  callerType: 'person_concerned',
  ageBand: 'unknown',
  gender: 'not_stated',
  concern: 'not_stated',
  heardOfLine: 'not_stated',
});

describe('call-back requested', () => {
  it('keeps the sealed number and the pseudonym, due within 4 opening hours of SostieniMi', () =>
    spec
      .given([firstContact()])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('+39 335 000 0000'),
          ...callerOf('pseudonym-1'),
          // Saturday 14 March 2020, 10:00 in Rome: the line is open until 17:00.
          occurredAt: '2020-03-14T09:00:00.000Z',
        }),
      )
      .then([
        callbackRequested('cb-1', { dueAt: '2020-03-14T13:00:00.000Z', occurredAt: '2020-03-14T09:00:00.000Z' }),
      ]));

  it('counts only opening time for a voicemail left on Saturday night', () =>
    spec
      .given([firstContact({ channel: 'voicemail', outOfHours: true })])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('+39 335 000 0000'),
          ...callerOf('pseudonym-1'),
          occurredAt: '2020-03-14T22:30:00+01:00',
        }),
      )
      // Sunday opens at 9:00 (08:00Z); four opening hours later it is 13:00 in Rome.
      .then([
        callbackRequested('cb-1', { dueAt: '2020-03-15T12:00:00.000Z', occurredAt: '2020-03-14T22:30:00+01:00' }),
      ]));

  it('on the employee line, keeps a sealed name or alias too and is due within 2 hours, night or day', () =>
    spec
      .given([employeeLineContact])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('number'),
          nameOrAlias: sealed('Marco'),
          ...callerOf('pseudonym-1'),
          occurredAt: '2020-03-15T02:10:00+01:00',
        }),
      )
      .then([
        event('CallbackRequested', {
          callbackId: 'cb-1',
          number: sealed('number'),
          nameOrAlias: sealed('Marco'),
          ...callerOf('pseudonym-1'),
          dueAt: '2020-03-15T03:10:00.000Z',
          occurredAt: '2020-03-15T02:10:00+01:00',
        }),
      ]));

  it('is tracked as pending', () =>
    spec
      .given([firstContact()])
      .when(command('RequestCallback', { callbackId: 'cb-1', number: sealed('n'), ...callerOf('p') }))
      .thenState((state) =>
        expect(state.callbacks['cb-1']).toMatchObject({ status: 'pending', attempts: 0, number: sealed('n') }),
      ));

  it('refuses the same call-back twice', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('RequestCallback', { callbackId: 'cb-1', number: sealed('n'), ...callerOf('p') }))
      .thenThrows('CALLBACK_ALREADY_REQUESTED', 'callbackId'));

  it('refuses a call-back without a number', () =>
    spec
      .given([firstContact()])
      .when(command('RequestCallback', { callbackId: 'cb-1', number: undefined as never, ...callerOf('p') }))
      .thenThrows('VALUE_REQUIRED', 'number'));

  it('refuses a number that is not sealed', () =>
    spec
      .given([firstContact()])
      .when(command('RequestCallback', { callbackId: 'cb-1', number: '+39 335 000 0000' as never, ...callerOf('p') }))
      .thenThrows('INVALID_SEALED_VALUE', 'number'));

  it('refuses a call-back without the caller pseudonym', () =>
    spec
      .given([firstContact()])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('n'),
          ...callerOf('p'),
          callerPseudonym: undefined as never,
        }),
      )
      .thenThrows('VALUE_REQUIRED', 'callerPseudonym'));

  it('refuses a name on a line that keeps callers anonymous', () =>
    spec
      .given([firstContact()])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('n'),
          nameOrAlias: sealed('Anna'),
          ...callerOf('p'),
        }),
      )
      .thenThrows('FIELD_NOT_COLLECTED', 'nameOrAlias'));
});

describe('call-back attempted', () => {
  it('refuses an attempt or a completion dated before the call-back was requested', () => {
    const requested = [firstContact(), callbackRequested('cb-1', { occurredAt: at(5) })];
    spec
      .given(requested)
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'no_answer', occurredAt: at(4) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt');
    spec
      .given(requested)
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'caller_reached', occurredAt: at(4) }))
      .thenThrows('OCCURRED_BEFORE_PREVIOUS_STEP', 'occurredAt');
  });

  it('records the outcome of the attempt', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'no_answer' }))
      .then([event('CallbackAttempted', { callbackId: 'cb-1', outcome: 'no_answer' })]));

  it('counts the attempts', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackAttempted', { callbackId: 'cb-1', outcome: 'busy' }),
      ])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'voicemail_left' }))
      .thenState((state) =>
        expect(state.callbacks['cb-1']).toMatchObject({ attempts: 2, lastAttemptOutcome: 'voicemail_left' }),
      ));

  it('refuses an attempt for a call-back that was not requested', () =>
    spec
      .given([firstContact()])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'reached' }))
      .thenThrows('CALLBACK_NOT_REQUESTED', 'callbackId'));

  it('refuses an attempt after the call-back was completed', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'caller_reached' }),
      ])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'reached' }))
      .thenThrows('CALLBACK_ALREADY_COMPLETED', 'callbackId'));

  it('refuses an attempt once the number was discarded', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'retention_elapsed' }),
      ])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'reached' }))
      .thenThrows('CALLBACK_NUMBER_DISCARDED', 'callbackId'));

  it('refuses an attempt once personal data were erased', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1'), personalDataErased()])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'reached' }))
      .thenThrows('PERSONAL_DATA_ERASED', 'callbackId'));

  it('refuses an outcome outside the vocabulary', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('RecordCallbackAttempt', { callbackId: 'cb-1', outcome: 'hung_up' as never }))
      .thenThrows('INVALID_VALUE', 'outcome'));
});

describe('call-back completed', () => {
  it('completes the call-back and destroys the number with it', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackAttempted', { callbackId: 'cb-1', outcome: 'reached' }),
      ])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'caller_reached' }))
      .then([
        event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'caller_reached' }),
        event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'callback_completed' }),
      ]));

  it('leaves no number in the state', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'attempts_exhausted' }))
      .thenState((state) =>
        expect(state.callbacks['cb-1']).toMatchObject({ status: 'completed', number: null, numberDiscardedAt: at(10) }),
      ));

  it('does not discard a number already gone', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'retention_elapsed' }),
      ])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'caller_recontacted_line' }))
      .then([event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'caller_recontacted_line' })]));

  it('can complete a call-back whose number was erased: completion needs no number', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1'), personalDataErased()])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'attempts_exhausted' }))
      .then([event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'attempts_exhausted' })]));

  it('refuses to complete a call-back that was not requested', () =>
    spec
      .given([firstContact()])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'caller_reached' }))
      .thenThrows('CALLBACK_NOT_REQUESTED', 'callbackId'));

  it('refuses to complete a call-back twice', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'caller_reached' }),
      ])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'caller_reached' }))
      .thenThrows('CALLBACK_ALREADY_COMPLETED', 'callbackId'));

  it('refuses a resolution outside the vocabulary', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('CompleteCallback', { callbackId: 'cb-1', resolution: 'done' as never }))
      .thenThrows('INVALID_VALUE', 'resolution'));
});

describe('call-back number discarded on request', () => {
  it('destroys the number when its retention time has passed', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'retention_elapsed' }))
      .then([event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'retention_elapsed' })]));

  it('refuses a call-back that was not requested', () =>
    spec
      .given([firstContact()])
      .when(command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'caller_request' }))
      .thenThrows('CALLBACK_NOT_REQUESTED', 'callbackId'));

  it('refuses a number already discarded', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('CallbackCompleted', { callbackId: 'cb-1', resolution: 'caller_reached' }),
        event('CallbackNumberDiscarded', { callbackId: 'cb-1', reason: 'callback_completed' }),
      ])
      .when(command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'retention_elapsed' }))
      .thenThrows('CALLBACK_NUMBER_DISCARDED', 'callbackId'));

  it('refuses a number already erased', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1'), personalDataErased()])
      .when(command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'retention_elapsed' }))
      .thenThrows('PERSONAL_DATA_ERASED', 'callbackId'));

  it('leaves the reasons the domain gives itself to the domain', () =>
    spec
      .given([firstContact(), callbackRequested('cb-1')])
      .when(command('DiscardCallbackNumber', { callbackId: 'cb-1', reason: 'callback_completed' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));
});
