import { findSealedValues } from '../shared/sealed';
import {
  HOUR,
  at,
  cancelled,
  director,
  drafted,
  emergencyCommand,
  emergencyEvent,
  emergencyRecorded,
  emergencySpec,
  heldWithoutIncident,
  informationRequested,
  liaison,
  officer,
  operations,
  patrolDispatched,
  requestCommand,
  requestEvent,
  requestSpec,
  sealed,
  sent,
  worker,
} from './testing/safety-fixtures';

const eraseRequest = (fields: Partial<Parameters<typeof requestCommand<'EraseSafetyRequestPersonalData'>>[1]> = {}) =>
  requestCommand('EraseSafetyRequestPersonalData', {
    reason: 'data_subject_request',
    actor: director,
    occurredAt: at(80 * HOUR),
    ...fields,
  });

const requestErased = () =>
  requestEvent('SafetyRequestPersonalDataErased', {
    reason: 'data_subject_request',
    actor: director,
    occurredAt: at(80 * HOUR),
  });

describe("erasing a request's personal data", () => {
  it('records the erasure, who gave it and why', () =>
    requestSpec.given([drafted(), sent()]).when(eraseRequest()).then([requestErased()]));

  it('keeps the dates and the steps in the state, and no sealed value', () =>
    requestSpec
      .given([drafted(), sent(), informationRequested()])
      .when(eraseRequest())
      .thenState((state) => {
        expect(state.personalDataErasedAt).toBe(at(80 * HOUR));
        expect(state).toMatchObject({ status: 'sent', sentAt: at(60), draftedAt: at(0), informationRequests: 1 });
        expect(findSealedValues(state)).toEqual([]);
      }));

  it('erases a concluded request, and a cancelled one', () => {
    requestSpec.given([drafted(), sent(), heldWithoutIncident()]).when(eraseRequest()).then([requestErased()]);
    requestSpec.given([drafted(), cancelled()]).when(eraseRequest()).then([requestErased()]);
  });

  it('is given by the area director only', () => {
    for (const actor of [worker, officer, liaison, operations]) {
      requestSpec.given([drafted(), sent()]).when(eraseRequest({ actor })).thenThrows('ROLE_NOT_ALLOWED', 'actor.role');
    }
  });

  it('refuses to erase twice', () =>
    requestSpec.given([drafted(), sent(), requestErased()]).when(eraseRequest()).thenThrows('PERSONAL_DATA_ERASED'));

  it('refuses a reason outside the vocabulary', () =>
    requestSpec
      .given([drafted(), sent()])
      .when(eraseRequest({ reason: 'bored' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));

  it('refuses a request never drafted', () =>
    requestSpec.given([]).when(eraseRequest()).thenThrows('REQUEST_NOT_DRAFTED'));
});

describe('a request after erasure', () => {
  const erased = [drafted(), sent(), requestErased()];

  it('refuses a question of the police: it could only be sealed with a destroyed key', () =>
    requestSpec
      .given(erased)
      .when(
        requestCommand('RequestMoreInformation', { question: sealed('q'), actor: liaison, occurredAt: at(81 * HOUR) }),
      )
      .thenThrows('PERSONAL_DATA_ERASED', 'question'));

  it("refuses the unit's answer", () =>
    requestSpec
      .given([drafted(), sent(), informationRequested(), requestErased()])
      .when(requestCommand('ProvideMoreInformation', { information: sealed('a'), occurredAt: at(81 * HOUR) }))
      .thenThrows('PERSONAL_DATA_ERASED', 'information'));

  it('refuses a draft edit with personal values', () =>
    requestSpec
      .given([drafted(), requestErased()])
      .when(requestCommand('EditSafetyRequestDraft', { address: sealed('elsewhere') }))
      .thenThrows('PERSONAL_DATA_ERASED', 'address'));

  it('goes on with steps that carry no personal value', () =>
    requestSpec
      .given(erased)
      .when(requestCommand('AcknowledgeSafetyRequest', { actor: liaison, occurredAt: at(81 * HOUR) }))
      .then([requestEvent('SafetyRequestAcknowledged', { actor: liaison, occurredAt: at(81 * HOUR) })]));
});

const eraseEmergency = (
  fields: Partial<Parameters<typeof emergencyCommand<'EraseSafetyEmergencyPersonalData'>>[1]> = {},
) =>
  emergencyCommand('EraseSafetyEmergencyPersonalData', {
    reason: 'retention_policy',
    actor: director,
    occurredAt: at(90),
    ...fields,
  });

const emergencyErased = () =>
  emergencyEvent('SafetyEmergencyPersonalDataErased', {
    reason: 'retention_policy',
    actor: director,
    occurredAt: at(90),
  });

describe("erasing an emergency's personal data", () => {
  it('records the erasure and keeps the timeline', () =>
    emergencySpec.given([emergencyRecorded(), patrolDispatched()]).when(eraseEmergency()).then([emergencyErased()]));

  it('keeps no sealed value in the state', () =>
    emergencySpec
      .given([emergencyRecorded()])
      .when(eraseEmergency())
      .thenState((state) => {
        expect(state.personalDataErasedAt).toBe(at(90));
        expect(state.startedAt).toBe(at(0));
        expect(findSealedValues(state)).toEqual([]);
      }));

  it('erases a closed record too', () =>
    emergencySpec
      .given([emergencyRecorded(), emergencyEvent('EmergencyClosed', { occurredAt: at(60) })])
      .when(eraseEmergency())
      .then([emergencyErased()]));

  it('is given by the area director only', () => {
    for (const actor of [worker, officer, liaison, operations]) {
      emergencySpec
        .given([emergencyRecorded()])
        .when(eraseEmergency({ actor }))
        .thenThrows('ROLE_NOT_ALLOWED', 'actor.role');
    }
  });

  it('refuses to erase twice', () =>
    emergencySpec
      .given([emergencyRecorded(), emergencyErased()])
      .when(eraseEmergency())
      .thenThrows('PERSONAL_DATA_ERASED'));

  it('goes on with steps that carry no personal value', () =>
    emergencySpec
      .given([emergencyRecorded(), emergencyErased()])
      .when(emergencyCommand('RecordPatrolDispatch', { actor: operations, occurredAt: at(95) }))
      .then([emergencyEvent('PatrolDispatched', { actor: operations, occurredAt: at(95) })]));
});
