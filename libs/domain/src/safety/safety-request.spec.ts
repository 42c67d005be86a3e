import { findSealedValues } from '../shared/sealed';
import type { SafetyRequestCommand } from './safety-request.commands';
import {
  HOUR,
  MEETING_AT,
  REQUEST_ID,
  REQUEST_KEY,
  UNIT_ID,
  acknowledged,
  at,
  cancelled,
  confirmed,
  declined,
  director,
  draftFields,
  drafted,
  heldWithoutIncident,
  informationProvided,
  informationRequested,
  liaison,
  officer,
  operations,
  otherUnitOfficer,
  otherUnitWorker,
  requestCommand,
  requestEvent,
  requestSpec as spec,
  sealed,
  sent,
  worker,
} from './testing/safety-fixtures';

const draft = (fields: Partial<Parameters<typeof requestCommand<'DraftSafetyRequest'>>[1]> = {}) =>
  requestCommand('DraftSafetyRequest', { ...draftFields, occurredAt: at(0), ...fields });

/** The officer sends at `occurredAt`, under the 48-hour rule unless told otherwise. */
const sendAt = (occurredAt: string, noticeHours = 48) =>
  requestCommand('SendSafetyRequest', { noticeHours, actor: officer, occurredAt });

const outcome = (fields: Partial<Parameters<typeof requestCommand<'RecordMeetingOutcome'>>[1]> = {}) =>
  requestCommand('RecordMeetingOutcome', { outcome: 'no_incident', occurredAt: at(73 * HOUR), ...fields });

describe('drafting a request for police presence', () => {
  it('records the meeting, the sealed personal values, the risk and who drafted it', () =>
    spec.given([]).when(draft()).then([drafted()]));

  it('lets the unit officer draft too', () =>
    spec
      .given([])
      .when(draft({ actor: officer }))
      .then([drafted({ actor: officer })]));

  it('holds no personal value in the state, only the key they are sealed with', () =>
    spec
      .given([])
      .when(draft())
      .thenState((state) => {
        expect(state).toMatchObject({
          status: 'draft',
          requestId: REQUEST_ID,
          unitId: UNIT_ID,
          meetingAt: MEETING_AT,
          risk: 'high',
        });
        expect(state.sealingKeyId).toBe(REQUEST_KEY);
        expect(findSealedValues(state)).toEqual([]);
      }));

  it('refuses a second draft with the same id', () =>
    spec.given([drafted()]).when(draft()).thenThrows('REQUEST_ALREADY_DRAFTED', 'requestId'));

  it('refuses a social worker drafting for another unit', () =>
    spec
      .given([])
      .when(draft({ actor: otherUnitWorker }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it('refuses a unit role without a unit', () =>
    spec
      .given([])
      .when(draft({ actor: { id: 'sw-1', role: 'social_worker' } }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it.each([liaison, operations, director])('refuses the $role', (actor) =>
    spec.given([]).when(draft({ actor })).thenThrows('ROLE_NOT_ALLOWED', 'actor.role'),
  );

  it('refuses a role outside the protocol', () =>
    spec
      .given([])
      .when(draft({ actor: { id: 'x', role: 'mayor' as never, unitId: UNIT_ID } }))
      .thenThrows('INVALID_VALUE', 'actor.role'));

  it('refuses a command without actor', () =>
    spec
      .given([])
      .when(draft({ actor: undefined as never }))
      .thenThrows('VALUE_REQUIRED', 'actor'));

  it('refuses personal data in plain text', () =>
    spec
      .given([])
      .when(draft({ serviceUser: 'Mario Rossi' as never }))
      .thenThrows('INVALID_SEALED_VALUE', 'serviceUser'));

  it('refuses values sealed with two different keys', () =>
    spec
      .given([])
      .when(draft({ factsSummary: sealed('facts', 'another-key') }))
      .thenThrows('SEALING_KEY_MISMATCH', 'factsSummary'));

  it('refuses a meeting that is not in the future', () =>
    spec
      .given([])
      .when(draft({ meetingAt: at(0) }))
      .thenThrows('MEETING_TIME_PASSED', 'meetingAt'));

  it('refuses a risk outside the vocabulary', () =>
    spec
      .given([])
      .when(draft({ risk: 'extreme' as never }))
      .thenThrows('INVALID_VALUE', 'risk'));

  it('refuses a time without offset', () =>
    spec
      .given([])
      .when(draft({ occurredAt: '2021-03-08T09:00:00' }))
      .thenThrows('INVALID_TIMESTAMP', 'occurredAt'));

  it('refuses a request without id', () =>
    spec
      .given([])
      .when(draft({ requestId: ' ' }))
      .thenThrows('VALUE_REQUIRED', 'requestId'));
});

describe('editing a draft', () => {
  const edit = (fields: Partial<Parameters<typeof requestCommand<'EditSafetyRequestDraft'>>[1]>) =>
    requestCommand('EditSafetyRequestDraft', { occurredAt: at(20), ...fields });

  it('records only the fields that changed', () =>
    spec
      .given([drafted()])
      .when(edit({ risk: 'moderate', factsSummary: sealed('new facts') }))
      .then([
        requestEvent('SafetyRequestDraftEdited', {
          risk: 'moderate',
          factsSummary: sealed('new facts'),
          occurredAt: at(20),
        }),
      ]));

  it('moves the meeting, and the notice is then counted to the new time', () =>
    spec
      .given([drafted(), requestEvent('SafetyRequestDraftEdited', { meetingAt: at(49 * HOUR), occurredAt: at(20) })])
      .when(sendAt(at(60)))
      .then([sent({ noticeMinutes: 48 * HOUR, late: false })]));

  it('refuses an edit that changes nothing', () => spec.given([drafted()]).when(edit({})).thenThrows('VALUE_REQUIRED'));

  it('refuses editing after the request was sent', () =>
    spec
      .given([drafted(), sent()])
      .when(edit({ risk: 'low' }))
      .thenThrows('REQUEST_ALREADY_SENT'));

  it('refuses a value sealed with another key than the request’s', () =>
    spec
      .given([drafted()])
      .when(edit({ address: sealed('elsewhere', 'another-key') }))
      .thenThrows('SEALING_KEY_MISMATCH', 'address'));

  it('refuses moving the meeting into the past', () =>
    spec
      .given([drafted()])
      .when(edit({ meetingAt: at(5) }))
      .thenThrows('MEETING_TIME_PASSED', 'meetingAt'));

  it('refuses the officer of another unit', () =>
    spec
      .given([drafted()])
      .when(edit({ risk: 'low', actor: otherUnitOfficer }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it('refuses the police liaison', () =>
    spec
      .given([drafted()])
      .when(edit({ risk: 'low', actor: liaison }))
      .thenThrows('ROLE_NOT_ALLOWED', 'actor.role'));
});

describe('sending the request to the police', () => {
  it('is done by the unit officer, with the notice given and the rule it was measured against', () =>
    spec
      .given([drafted()])
      .when(sendAt(at(60)))
      .then([sent()]));

  it('refuses a social worker: only the responsible officer may send', () =>
    spec
      .given([drafted()])
      .when(requestCommand('SendSafetyRequest', { noticeHours: 48, actor: worker, occurredAt: at(60) }))
      .thenThrows('ONLY_UNIT_OFFICER_MAY_SEND', 'actor.role'));

  it.each([liaison, operations, director])('refuses the $role: only the responsible officer may send', (actor) =>
    spec
      .given([drafted()])
      .when(requestCommand('SendSafetyRequest', { noticeHours: 48, actor, occurredAt: at(60) }))
      .thenThrows('ONLY_UNIT_OFFICER_MAY_SEND', 'actor.role'),
  );

  it('refuses the officer of another unit', () =>
    spec
      .given([drafted()])
      .when(requestCommand('SendSafetyRequest', { noticeHours: 48, actor: otherUnitOfficer, occurredAt: at(60) }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  describe('notice', () => {
    it('is not late with exactly 48 hours', () =>
      spec
        .given([drafted()])
        .when(sendAt(at(72 * HOUR - 48 * HOUR)))
        .then([sent({ noticeMinutes: 48 * HOUR, late: false, occurredAt: at(24 * HOUR) })]));

    it('is late with 47 hours 59 minutes', () =>
      spec
        .given([drafted()])
        .when(sendAt(at(24 * HOUR + 1)))
        .then([sent({ noticeMinutes: 48 * HOUR - 1, late: true, occurredAt: at(24 * HOUR + 1) })]));

    it('is late even one second short of 48 hours', () =>
      spec
        .given([drafted()])
        .when(sendAt('2021-03-09T08:00:01.000Z'))
        .then([sent({ noticeMinutes: 48 * HOUR - 1, late: true, occurredAt: '2021-03-09T08:00:01.000Z' })]));

    it('is measured against the notice configured at the time', () =>
      spec
        .given([drafted()])
        .when(sendAt(at(60), 72))
        .then([sent({ noticeHoursRequired: 72, noticeMinutes: 71 * HOUR, late: true })]));

    it('is the same instant whatever the offset it is written in', () =>
      spec
        .given([drafted()])
        .when(sendAt('2021-03-09T09:00:00+01:00'))
        .then([sent({ noticeMinutes: 48 * HOUR, late: false, occurredAt: '2021-03-09T09:00:00+01:00' })]));

    it('is kept on the request for monitoring', () =>
      spec
        .given([drafted()])
        .when(sendAt(at(24 * HOUR + 1)))
        .thenState((state) =>
          expect(state).toMatchObject({
            status: 'sent',
            late: true,
            noticeMinutes: 48 * HOUR - 1,
            sentAt: at(24 * HOUR + 1),
          }),
        ));
  });

  it('refuses sending once the meeting has started', () =>
    spec.given([drafted()]).when(sendAt(MEETING_AT)).thenThrows('MEETING_TIME_PASSED', 'occurredAt'));

  it('refuses a negative notice rule', () =>
    spec
      .given([drafted()])
      .when(sendAt(at(60), -1))
      .thenThrows('INVALID_VALUE', 'noticeHours'));

  it('refuses sending twice', () =>
    spec
      .given([drafted(), sent()])
      .when(sendAt(at(90)))
      .thenThrows('REQUEST_ALREADY_SENT'));

  it('refuses sending a cancelled request', () =>
    spec
      .given([drafted(), cancelled()])
      .when(sendAt(at(500)))
      .thenThrows('REQUEST_CANCELLED'));

  it('refuses a request that was never drafted', () =>
    spec
      .given([])
      .when(sendAt(at(60)))
      .thenThrows('REQUEST_NOT_DRAFTED'));

  it('refuses a command for another request', () =>
    spec
      .given([drafted()])
      .when({ ...sendAt(at(60)), requestId: 'request-0002' })
      .thenThrows('REQUEST_ID_MISMATCH', 'requestId'));
});

describe("the police liaison's answer", () => {
  const confirm = (fields: Partial<Parameters<typeof requestCommand<'ConfirmPolicePresence'>>[1]> = {}) =>
    requestCommand('ConfirmPolicePresence', {
      officers: 2,
      presentFrom: at(72 * HOUR - 15),
      actor: liaison,
      occurredAt: at(300),
      ...fields,
    });
  const decline = () =>
    requestCommand('DeclinePolicePresence', { reason: 'no_officers_available', actor: liaison, occurredAt: at(300) });
  const askMore = () =>
    requestCommand('RequestMoreInformation', {
      question: sealed('is he known to carry weapons?'),
      actor: liaison,
      occurredAt: at(180),
    });
  const giveMore = (actor = worker) =>
    requestCommand('ProvideMoreInformation', { information: sealed('not known'), actor, occurredAt: at(240) });

  it('acknowledges receipt', () =>
    spec
      .given([drafted(), sent()])
      .when(requestCommand('AcknowledgeSafetyRequest', { actor: liaison, occurredAt: at(120) }))
      .then([acknowledged()]));

  it('refuses acknowledging twice', () =>
    spec
      .given([drafted(), sent(), acknowledged()])
      .when(requestCommand('AcknowledgeSafetyRequest', { actor: liaison, occurredAt: at(130) }))
      .thenThrows('REQUEST_ALREADY_ACKNOWLEDGED'));

  it('refuses acknowledging a draft', () =>
    spec
      .given([drafted()])
      .when(requestCommand('AcknowledgeSafetyRequest', { actor: liaison, occurredAt: at(120) }))
      .thenThrows('REQUEST_NOT_SENT'));

  it('refuses a social worker acknowledging for the police', () =>
    spec
      .given([drafted(), sent()])
      .when(requestCommand('AcknowledgeSafetyRequest', { actor: worker, occurredAt: at(120) }))
      .thenThrows('ROLE_NOT_ALLOWED', 'actor.role'));

  it('asks for more information, which the unit gives', () => {
    spec.given([drafted(), sent(), acknowledged()]).when(askMore()).then([informationRequested()]);
    spec
      .given([drafted(), sent(), acknowledged(), informationRequested()])
      .when(giveMore())
      .then([informationProvided()]);
  });

  it('then decides', () =>
    spec
      .given([drafted(), sent(), acknowledged(), informationRequested(), informationProvided()])
      .when(confirm())
      .thenState((state) => {
        expect(state.answer).toEqual({
          kind: 'confirmed',
          officers: 2,
          presentFrom: at(72 * HOUR - 15),
          answeredAt: at(300),
        });
        expect(state).toMatchObject({ informationRequests: 1, informationPending: false });
      }));

  it('refuses a second question while the first is unanswered', () =>
    spec
      .given([drafted(), sent(), informationRequested()])
      .when(askMore())
      .thenThrows('INFORMATION_ALREADY_REQUESTED'));

  it('may ask again once answered', () =>
    spec
      .given([drafted(), sent(), informationRequested(), informationProvided()])
      .when(askMore())
      .thenState((state) => expect(state).toMatchObject({ informationRequests: 2, informationPending: true })));

  it('refuses information nobody asked for', () =>
    spec.given([drafted(), sent()]).when(giveMore()).thenThrows('INFORMATION_NOT_REQUESTED'));

  it('refuses information from another unit', () =>
    spec
      .given([drafted(), sent(), informationRequested()])
      .when(giveMore(otherUnitWorker))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it('refuses a question in plain text', () =>
    spec
      .given([drafted(), sent()])
      .when(
        requestCommand('RequestMoreInformation', {
          question: 'weapons?' as never,
          actor: liaison,
          occurredAt: at(180),
        }),
      )
      .thenThrows('INVALID_SEALED_VALUE', 'question'));

  it('confirms presence: how many officers, from when', () =>
    spec.given([drafted(), sent()]).when(confirm()).then([confirmed()]));

  it('declines with a reason', () => spec.given([drafted(), sent()]).when(decline()).then([declined()]));

  it('refuses confirming after declining', () =>
    spec.given([drafted(), sent(), declined()]).when(confirm()).thenThrows('REQUEST_ALREADY_ANSWERED'));

  it('refuses declining after confirming', () =>
    spec.given([drafted(), sent(), confirmed()]).when(decline()).thenThrows('REQUEST_ALREADY_ANSWERED'));

  it('refuses confirming twice', () =>
    spec.given([drafted(), sent(), confirmed()]).when(confirm()).thenThrows('REQUEST_ALREADY_ANSWERED'));

  it('refuses asking for information once answered', () =>
    spec.given([drafted(), sent(), declined()]).when(askMore()).thenThrows('REQUEST_ALREADY_ANSWERED'));

  it('refuses answering a draft', () => spec.given([drafted()]).when(confirm()).thenThrows('REQUEST_NOT_SENT'));

  it('refuses answering a cancelled request', () =>
    spec.given([drafted(), sent(), cancelled()]).when(decline()).thenThrows('REQUEST_CANCELLED'));

  it('refuses no officers', () =>
    spec
      .given([drafted(), sent()])
      .when(confirm({ officers: 0 }))
      .thenThrows('INVALID_VALUE', 'officers'));

  it('refuses a presence without a time', () =>
    spec
      .given([drafted(), sent()])
      .when(confirm({ presentFrom: 'soon' }))
      .thenThrows('INVALID_TIMESTAMP', 'presentFrom'));

  it('refuses the operations centre answering for the command', () =>
    spec
      .given([drafted(), sent()])
      .when(confirm({ actor: operations }))
      .thenThrows('ROLE_NOT_ALLOWED', 'actor.role'));

  it('refuses a reason outside the vocabulary', () =>
    spec
      .given([drafted(), sent()])
      .when(requestCommand('DeclinePolicePresence', { reason: 'busy' as never, actor: liaison, occurredAt: at(300) }))
      .thenThrows('INVALID_VALUE', 'reason'));
});

describe('the area director', () => {
  const commands: SafetyRequestCommand[] = [
    requestCommand('EditSafetyRequestDraft', { risk: 'low' }),
    requestCommand('SendSafetyRequest', { noticeHours: 48 }),
    requestCommand('AcknowledgeSafetyRequest', {}),
    requestCommand('ConfirmPolicePresence', { officers: 1, presentFrom: MEETING_AT }),
    requestCommand('RecordMeetingOutcome', { outcome: 'no_incident' }),
    requestCommand('CancelSafetyRequest', { reason: 'other' }),
  ].map((command) => ({ ...command, actor: director }));

  it.each(commands.map((c) => [c.type, c] as const))('only reads: refuses %s', (_type, command) =>
    spec
      .given([drafted()])
      .when(command)
      .thenThrows(command.type === 'SendSafetyRequest' ? 'ONLY_UNIT_OFFICER_MAY_SEND' : 'ROLE_NOT_ALLOWED'),
  );
});

describe("the meeting's outcome", () => {
  it('records a meeting without incident', () =>
    spec.given([drafted(), sent(), confirmed()]).when(outcome()).then([heldWithoutIncident()]));

  it('records an incident, naming the emergency record opened for it', () =>
    spec
      .given([drafted(), sent(), confirmed()])
      .when(outcome({ outcome: 'incident', incidentKind: 'threat', emergencyId: 'emergency-0001' }))
      .then([
        requestEvent('IncidentAtMeetingReported', {
          incidentKind: 'threat',
          emergencyId: 'emergency-0001',
          occurredAt: at(73 * HOUR),
        }),
      ]));

  it('concludes the request, linked to the emergency', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ outcome: 'incident', incidentKind: 'physical_aggression', emergencyId: 'emergency-0001' }))
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'concluded',
          outcome: 'incident',
          incidentKind: 'physical_aggression',
          emergencyId: 'emergency-0001',
        }),
      ));

  it('is recorded even when the police declined, for monitoring', () =>
    spec.given([drafted(), sent(), declined()]).when(outcome()).then([heldWithoutIncident()]));

  it('refuses an outcome before the request was sent', () =>
    spec.given([drafted()]).when(outcome()).thenThrows('REQUEST_NOT_SENT'));

  it('refuses an outcome before the meeting time', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ occurredAt: at(71 * HOUR) }))
      .thenThrows('MEETING_NOT_YET_HELD', 'occurredAt'));

  it('refuses an incident without its kind', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ outcome: 'incident', emergencyId: 'e-1' }))
      .thenThrows('VALUE_REQUIRED', 'incidentKind'));

  it('refuses an incident without the emergency it opens', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ outcome: 'incident', incidentKind: 'threat' }))
      .thenThrows('VALUE_REQUIRED', 'emergencyId'));

  it('refuses an emergency for a meeting without incident', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ emergencyId: 'e-1' }))
      .thenThrows('INVALID_VALUE', 'emergencyId'));

  it('refuses an incident kind outside the vocabulary', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ outcome: 'incident', incidentKind: 'insult' as never, emergencyId: 'e-1' }))
      .thenThrows('INVALID_VALUE', 'incidentKind'));

  it('refuses recording it twice', () =>
    spec.given([drafted(), sent(), heldWithoutIncident()]).when(outcome()).thenThrows('OUTCOME_ALREADY_RECORDED'));

  it('refuses any further step once concluded', () =>
    spec
      .given([drafted(), sent(), heldWithoutIncident()])
      .when(requestCommand('DeclinePolicePresence', { reason: 'other', actor: liaison, occurredAt: at(74 * HOUR) }))
      .thenThrows('OUTCOME_ALREADY_RECORDED'));

  it('refuses an outcome for a cancelled request', () =>
    spec.given([drafted(), sent(), cancelled()]).when(outcome()).thenThrows('REQUEST_CANCELLED'));

  it('refuses a worker of another unit', () =>
    spec
      .given([drafted(), sent()])
      .when(outcome({ actor: otherUnitWorker }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));
});

describe('cancelling a request', () => {
  const cancel = (fields: Partial<Parameters<typeof requestCommand<'CancelSafetyRequest'>>[1]> = {}) =>
    requestCommand('CancelSafetyRequest', { reason: 'meeting_cancelled', occurredAt: at(400), ...fields });

  it('cancels a draft', () => spec.given([drafted()]).when(cancel()).then([cancelled()]));

  it('cancels a request the police already confirmed', () =>
    spec
      .given([drafted(), sent(), confirmed()])
      .when(cancel())
      .thenState((state) =>
        expect(state).toMatchObject({
          status: 'cancelled',
          cancellationReason: 'meeting_cancelled',
          cancelledAt: at(400),
        }),
      ));

  it('refuses cancelling once the meeting time has come', () =>
    spec
      .given([drafted(), sent()])
      .when(cancel({ occurredAt: MEETING_AT }))
      .thenThrows('MEETING_TIME_PASSED', 'occurredAt'));

  it('refuses cancelling twice', () =>
    spec.given([drafted(), cancelled()]).when(cancel()).thenThrows('REQUEST_CANCELLED'));

  it('refuses a reason outside the vocabulary', () =>
    spec
      .given([drafted()])
      .when(cancel({ reason: 'bored' as never }))
      .thenThrows('INVALID_VALUE', 'reason'));

  it('tells another unit nothing about the request, not even that it was cancelled', () =>
    spec
      .given([drafted(), cancelled()])
      .when(cancel({ actor: otherUnitOfficer }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it('refuses the police cancelling the unit’s request', () =>
    spec
      .given([drafted(), sent()])
      .when(cancel({ actor: liaison }))
      .thenThrows('ROLE_NOT_ALLOWED', 'actor.role'));
});

describe('a command the protocol does not know', () => {
  it('is refused as invalid', () =>
    spec
      .given([drafted()])
      .when({ ...requestCommand('AcknowledgeSafetyRequest', {}), type: 'ArrestEveryone' } as never)
      .thenThrows('INVALID_VALUE', 'type'));
});
