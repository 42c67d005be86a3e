import { findSealedValues } from '../shared/sealed';
import {
  callbackRequested,
  callerOf,
  caseClosed,
  command,
  event,
  firstContact,
  personalDataErased,
  sealed,
  spec,
} from '../testing/case-fixtures';

describe('personal data erased', () => {
  it('records the erasure', () =>
    spec
      .given([firstContact()])
      .when(command('ErasePersonalData', { reason: 'caller_request' }))
      .then([event('PersonalDataErased', { reason: 'caller_request' })]));

  it('marks the case erased and keeps no sealed value or pseudonym in the state', () =>
    spec
      .given([
        firstContact(),
        callbackRequested('cb-1'),
        event('SupervisionNoteAdded', { supervisorId: 'supervisor-1', note: sealed('supervision') }),
      ])
      .when(command('ErasePersonalData', { reason: 'caller_request' }))
      .thenState((state) => {
        expect(state.personalDataErased).toBe(true);
        expect(findSealedValues(state)).toEqual([]);
        expect(state.callbacks['cb-1']).toMatchObject({ number: null, status: 'pending' });
      }));

  it('erases a closed case too', () =>
    spec
      .given([firstContact(), caseClosed()])
      .when(command('ErasePersonalData', { reason: 'retention_policy' }))
      .then([event('PersonalDataErased', { reason: 'retention_policy' })]));

  it('refuses to erase twice', () =>
    spec
      .given([firstContact(), personalDataErased()])
      .when(command('ErasePersonalData', { reason: 'caller_request' }))
      .thenThrows('PERSONAL_DATA_ERASED'));

  it('refuses a reason outside the vocabulary', () =>
    spec
      .given([firstContact()])
      .when(command('ErasePersonalData', { reason: 'bored' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));
});

describe('after erasure', () => {
  const erased = [firstContact(), callbackRequested('cb-1'), personalDataErased()];

  it('refuses a new call-back: its number could only be sealed with a destroyed key', () =>
    spec
      .given(erased)
      .when(command('RequestCallback', { callbackId: 'cb-2', number: sealed('n'), ...callerOf('p') }))
      .thenThrows('PERSONAL_DATA_ERASED', 'number'));

  it('refuses a sealed note', () =>
    spec
      .given(erased)
      .when(command('FrameRequest', { categories: ['listening'], note: sealed('note') }))
      .thenThrows('PERSONAL_DATA_ERASED', 'note'));

  it('refuses a supervision note', () =>
    spec
      .given(erased)
      .when(command('AddSupervisionNote', { supervisorId: 'supervisor-1', note: sealed('note') }))
      .thenThrows('PERSONAL_DATA_ERASED', 'note'));

  it('goes on with what needs no personal data', () =>
    spec
      .given(erased)
      .when(command('FrameRequest', { categories: ['listening'] }))
      .then([event('RequestFramed', { categories: ['listening'] })]));

  it('can still be closed without a note', () =>
    spec
      .given(erased)
      .when(command('CloseCase', { outcome: 'caller_withdrew' }))
      .then([event('CaseClosed', { outcome: 'caller_withdrew' })]));
});

describe('sealed values', () => {
  const employeeLineContact = firstContact({
    lineId: 'employee-support',
    ageBand: 'unknown',
    gender: 'not_stated',
    concern: 'not_stated',
    heardOfLine: 'not_stated',
  });

  it('must all be sealed with the case key, so one erased key covers them all', () =>
    spec
      .given([firstContact(), event('RequestFramed', { categories: ['listening'], note: sealed('note', 'case-key') })])
      .when(
        command('SetGoal', { goalKind: 'contact_a_service', description: sealed('description', 'another-case-key') }),
      )
      .thenThrows('SEALING_KEY_MISMATCH', 'description'));

  const callbackWithItsOwnKey = callbackRequested('cb-1', {
    number: sealed('n', 'callback-key'),
    callerPseudonym: sealed('p', 'case-key-a'),
  });

  it("seal a call-back's contact with a key of its own, and its caller's pseudonym with the case key", () =>
    spec
      .given([firstContact(), callbackWithItsOwnKey])
      .when(command('FrameRequest', { categories: ['listening'], note: sealed('note', 'case-key-a') }))
      .thenState((state) => expect(state.sealingKeyId).toBe('case-key-a')));

  it("never take the call-back's own key for the case key", () =>
    spec
      .given([firstContact(), callbackWithItsOwnKey])
      .when(command('FrameRequest', { categories: ['listening'], note: sealed('note', 'callback-key') }))
      .thenThrows('SEALING_KEY_MISMATCH', 'note'));

  it("refuse a caller's pseudonym sealed with the call-back's key instead of the case's", () =>
    spec
      .given([firstContact(), callbackWithItsOwnKey])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-2',
          number: sealed('n', 'callback-key-2'),
          ...callerOf('p'),
          callerPseudonym: sealed('p', 'callback-key-2'),
        }),
      )
      .thenThrows('SEALING_KEY_MISMATCH', 'callerPseudonym'));

  it('set the case key with the first one seen', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['listening'], note: sealed('note', 'key-a') }))
      .thenState((state) => expect(state.sealingKeyId).toBe('key-a')));

  it('must agree with each other inside one command', () =>
    spec
      .given([employeeLineContact])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('n', 'key-a'),
          nameOrAlias: sealed('name', 'key-b'),
          ...callerOf('p'),
        }),
      )
      .thenThrows('SEALING_KEY_MISMATCH', 'nameOrAlias'));

  it('are never plaintext: a note given as text is refused', () =>
    spec
      .given([firstContact()])
      .when(command('FrameRequest', { categories: ['listening'], note: 'my son uses cocaine' as never }))
      .thenThrows('INVALID_SEALED_VALUE', 'note'));

  it('refuses a plaintext name on the employee line', () =>
    spec
      .given([employeeLineContact])
      .when(
        command('RequestCallback', {
          callbackId: 'cb-1',
          number: sealed('n'),
          nameOrAlias: 'Marco' as never,
          ...callerOf('p'),
        }),
      )
      .thenThrows('INVALID_SEALED_VALUE', 'nameOrAlias'));

  it('refuses an empty ciphertext', () =>
    spec
      .given([firstContact()])
      .when(command('SetGoal', { goalKind: 'other', description: { keyId: 'case-key-0001', ciphertext: '' } }))
      .thenThrows('INVALID_SEALED_VALUE', 'description'));
});
