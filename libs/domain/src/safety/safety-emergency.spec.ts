import { findSealedValues } from '../shared/sealed';
import type { SafetyEmergencyCommand } from './safety-emergency.commands';
import {
  EMERGENCY_ID,
  EMERGENCY_KEY,
  UNIT_ID,
  at,
  director,
  emergencyClosed,
  emergencyCommand,
  emergencyEvent,
  emergencyRecorded,
  emergencySpec as spec,
  liaison,
  officer,
  operations,
  operationsCentreCalled,
  otherUnitOfficer,
  otherUnitWorker,
  patrolArrived,
  patrolDispatched,
  sealedForEmergency,
  worker,
} from './testing/safety-fixtures';

const record = (fields: Partial<Parameters<typeof emergencyCommand<'RecordEmergencyInProgress'>>[1]> = {}) =>
  emergencyCommand('RecordEmergencyInProgress', {
    unitId: UNIT_ID,
    kind: 'verbal_aggression',
    startedAt: at(0),
    location: sealedForEmergency('waiting room, via Rubattino 81'),
    colleaguesCalled: true,
    colleaguesCount: 2,
    occurredAt: at(2),
    ...fields,
  });

const call = (minute = 3, actor = worker) =>
  emergencyCommand('RecordOperationsCentreCall', { actor, occurredAt: at(minute) });
const dispatch = (minute = 8, actor = operations) =>
  emergencyCommand('RecordPatrolDispatch', { actor, occurredAt: at(minute) });
const arrive = (minute = 20, actor = operations) =>
  emergencyCommand('RecordPatrolArrival', { actor, occurredAt: at(minute) });
const report = (sharedWithDirectorate: readonly string[] = ['report_summary', 'follow_up_actions'], actor = liaison) =>
  emergencyCommand('RecordPatrolReport', {
    sharedWithDirectorate: sharedWithDirectorate as never,
    actor,
    occurredAt: at(48 * 60),
  });
const alert = (forces: readonly string[], minute = 9) =>
  emergencyCommand('RecordOtherForcesAlerted', { forces: forces as never, actor: operations, occurredAt: at(minute) });

const reportFiled = () =>
  emergencyEvent('PatrolReportFiled', {
    sharedWithDirectorate: ['report_summary', 'follow_up_actions'],
    actor: liaison,
    occurredAt: at(48 * 60),
  });

describe('recording an emergency in progress', () => {
  it('records the kind, the place, when it started and the colleagues called', () =>
    spec.given([]).when(record()).then([emergencyRecorded()]));

  it('records the call to the operations centre as its own step, at the time of the call', () =>
    spec
      .given([])
      .when(record({ operationsCentreCalledAt: at(1) }))
      .then([emergencyRecorded(), emergencyEvent('OperationsCentreCalled', { occurredAt: at(1) })]));

  it('records that no colleague was called', () =>
    spec
      .given([])
      .when(record({ colleaguesCalled: false, colleaguesCount: undefined }))
      .then([
        emergencyEvent('EmergencyRecorded', {
          emergencyId: EMERGENCY_ID,
          unitId: UNIT_ID,
          kind: 'verbal_aggression',
          startedAt: at(0),
          location: sealedForEmergency('waiting room, via Rubattino 81'),
          colleaguesCalled: false,
          occurredAt: at(2),
        }),
      ]));

  it('keeps no personal value in the state, only its key', () =>
    spec
      .given([])
      .when(record())
      .thenState((state) => {
        expect(state).toMatchObject({
          status: 'in_progress',
          unitId: UNIT_ID,
          startedAt: at(0),
          recordedAt: at(2),
          sealingKeyId: EMERGENCY_KEY,
        });
        expect(findSealedValues(state)).toEqual([]);
      }));

  it('refuses recording the same emergency twice', () =>
    spec.given([emergencyRecorded()]).when(record()).thenThrows('EMERGENCY_ALREADY_RECORDED', 'emergencyId'));

  it('refuses a worker of another unit', () =>
    spec
      .given([])
      .when(record({ actor: otherUnitWorker }))
      .thenThrows('OTHER_UNIT', 'actor.unitId'));

  it.each([liaison, operations, director])('refuses the $role', (actor) =>
    spec.given([]).when(record({ actor })).thenThrows('ROLE_NOT_ALLOWED', 'actor.role'),
  );

  it('refuses a location in plain text', () =>
    spec
      .given([])
      .when(record({ location: 'via Rubattino 81' as never }))
      .thenThrows('INVALID_SEALED_VALUE', 'location'));

  it('refuses an event that has not started yet', () =>
    spec
      .given([])
      .when(record({ startedAt: at(5) }))
      .thenThrows('STARTED_AFTER_RECORDING', 'startedAt'));

  it('refuses a call before the event started', () =>
    spec
      .given([])
      .when(record({ startedAt: at(1), operationsCentreCalledAt: at(0) }))
      .thenThrows('BEFORE_EMERGENCY_STARTED', 'operationsCentreCalledAt'));

  it('refuses a count of colleagues when none was called', () =>
    spec
      .given([])
      .when(record({ colleaguesCalled: false, colleaguesCount: 2 }))
      .thenThrows('INVALID_VALUE', 'colleaguesCount'));

  it('refuses a count of zero colleagues called', () =>
    spec
      .given([])
      .when(record({ colleaguesCount: 0 }))
      .thenThrows('INVALID_VALUE', 'colleaguesCount'));

  it('refuses a kind outside the vocabulary', () =>
    spec
      .given([])
      .when(record({ kind: 'noise' as never }))
      .thenThrows('INVALID_VALUE', 'kind'));

  it('refuses a step of an emergency never recorded', () =>
    spec.given([]).when(dispatch()).thenThrows('EMERGENCY_NOT_RECORDED'));

  it('refuses a command for another emergency', () =>
    spec
      .given([emergencyRecorded()])
      .when({ ...dispatch(), emergencyId: 'emergency-0002' })
      .thenThrows('EMERGENCY_ID_MISMATCH', 'emergencyId'));
});

describe('calling the operations centre', () => {
  it('is recorded by the unit at the time of the call', () =>
    spec.given([emergencyRecorded()]).when(call()).then([operationsCentreCalled()]));

  it('refuses recording the call twice', () =>
    spec
      .given([emergencyRecorded(), operationsCentreCalled()])
      .when(call(4))
      .thenThrows('OPERATIONS_CENTRE_ALREADY_CALLED'));

  it('refuses a call after the dispatch it led to', () =>
    spec
      .given([emergencyRecorded(), patrolDispatched(8)])
      .when(call(9))
      .thenThrows('DISPATCH_BEFORE_CALL', 'occurredAt'));

  it('refuses a call before the event started', () =>
    spec
      .given([emergencyRecorded({ startedAt: at(1) })])
      .when(call(0))
      .thenThrows('BEFORE_EMERGENCY_STARTED', 'occurredAt'));

  it('refuses the officer of another unit', () =>
    spec.given([emergencyRecorded()]).when(call(3, otherUnitOfficer)).thenThrows('OTHER_UNIT', 'actor.unitId'));
});

describe('the operations centre', () => {
  it('records the patrol sent', () =>
    spec.given([emergencyRecorded(), operationsCentreCalled()]).when(dispatch()).then([patrolDispatched()]));

  it('records the patrol sent even before the unit has written down its call', () =>
    spec.given([emergencyRecorded()]).when(dispatch()).then([patrolDispatched()]));

  it('records the patrol arrival', () =>
    spec
      .given([emergencyRecorded(), operationsCentreCalled(), patrolDispatched()])
      .when(arrive())
      .then([patrolArrived()]));

  it('alerts other forces, with or without a patrol of its own', () =>
    spec
      .given([emergencyRecorded(), operationsCentreCalled()])
      .when(alert(['carabinieri', 'ambulance_118', 'carabinieri']))
      .then([
        emergencyEvent('OtherForcesAlerted', {
          forces: ['carabinieri', 'ambulance_118'],
          actor: operations,
          occurredAt: at(9),
        }),
      ]));

  it('records only the forces not alerted before', () =>
    spec
      .given([
        emergencyRecorded(),
        emergencyEvent('OtherForcesAlerted', { forces: ['carabinieri'], actor: operations, occurredAt: at(9) }),
      ])
      .when(alert(['carabinieri', 'fire_brigade'], 12))
      .then([
        emergencyEvent('OtherForcesAlerted', { forces: ['fire_brigade'], actor: operations, occurredAt: at(12) }),
      ]));

  it('refuses alerting only forces already alerted', () =>
    spec
      .given([
        emergencyRecorded(),
        emergencyEvent('OtherForcesAlerted', { forces: ['state_police'], actor: operations, occurredAt: at(9) }),
      ])
      .when(alert(['state_police'], 12))
      .thenThrows('FORCES_ALREADY_ALERTED', 'forces'));

  it('refuses an empty list of forces', () =>
    spec.given([emergencyRecorded()]).when(alert([])).thenThrows('VALUE_REQUIRED', 'forces'));

  it('refuses a force outside the vocabulary', () =>
    spec
      .given([emergencyRecorded()])
      .when(alert(['army']))
      .thenThrows('INVALID_VALUE', 'forces'));

  it('refuses recording the arrival before any dispatch', () =>
    spec.given([emergencyRecorded(), operationsCentreCalled()]).when(arrive()).thenThrows('ARRIVAL_BEFORE_DISPATCH'));

  it('refuses an arrival time earlier than the dispatch time', () =>
    spec
      .given([emergencyRecorded(), patrolDispatched(8)])
      .when(arrive(7))
      .thenThrows('ARRIVAL_BEFORE_DISPATCH', 'occurredAt'));

  it('accepts an arrival at the very minute of dispatch', () =>
    spec
      .given([emergencyRecorded(), patrolDispatched(8)])
      .when(arrive(8))
      .then([patrolArrived(8)]));

  it('refuses a dispatch before the call', () =>
    spec
      .given([emergencyRecorded(), operationsCentreCalled(5)])
      .when(dispatch(4))
      .thenThrows('DISPATCH_BEFORE_CALL', 'occurredAt'));

  it('refuses a second dispatch', () =>
    spec.given([emergencyRecorded(), patrolDispatched()]).when(dispatch(9)).thenThrows('PATROL_ALREADY_DISPATCHED'));

  it('refuses a second arrival', () =>
    spec
      .given([emergencyRecorded(), patrolDispatched(), patrolArrived()])
      .when(arrive(25))
      .thenThrows('PATROL_ALREADY_ARRIVED'));

  it('refuses a dispatch before the event started', () =>
    spec
      .given([emergencyRecorded({ startedAt: at(1) })])
      .when(dispatch(0))
      .thenThrows('BEFORE_EMERGENCY_STARTED', 'occurredAt'));

  it.each([worker, officer, liaison, director])('refuses the $role recording a dispatch', (actor) =>
    spec.given([emergencyRecorded()]).when(dispatch(8, actor)).thenThrows('ROLE_NOT_ALLOWED', 'actor.role'),
  );

  it('acts on the emergency of any unit: it has no unit of its own', () =>
    spec
      .given([emergencyRecorded({ unitId: 'unit-municipio-9' })])
      .when(dispatch())
      .then([patrolDispatched()]));
});

describe("the patrol's report", () => {
  const arrivedPatrol = [emergencyRecorded(), operationsCentreCalled(), patrolDispatched(), patrolArrived()];

  it('is recorded by the police liaison with what was shared with the directorate', () =>
    spec.given(arrivedPatrol).when(report()).then([reportFiled()]));

  it('records that nothing was shared', () =>
    spec
      .given(arrivedPatrol)
      .when(report(['none']))
      .thenState((state) =>
        expect(state).toMatchObject({ sharedWithDirectorate: ['none'], reportFiledAt: at(48 * 60) }),
      ));

  it("refuses 'none' together with shared items", () =>
    spec
      .given(arrivedPatrol)
      .when(report(['none', 'report_summary']))
      .thenThrows('INVALID_VALUE', 'sharedWithDirectorate'));

  it('refuses an empty answer: say none', () =>
    spec.given(arrivedPatrol).when(report([])).thenThrows('VALUE_REQUIRED', 'sharedWithDirectorate'));

  it('refuses an item outside the closed list', () =>
    spec
      .given(arrivedPatrol)
      .when(report(['full_report']))
      .thenThrows('INVALID_VALUE', 'sharedWithDirectorate'));

  it('refuses a report of a patrol that never arrived', () =>
    spec.given([emergencyRecorded(), patrolDispatched()]).when(report()).thenThrows('PATROL_NOT_ARRIVED'));

  it('refuses a second report', () =>
    spec
      .given([...arrivedPatrol, reportFiled()])
      .when(report())
      .thenThrows('REPORT_ALREADY_FILED'));

  it.each([worker, officer, operations, director])('refuses the $role', (actor) =>
    spec
      .given(arrivedPatrol)
      .when(report(['none'], actor))
      .thenThrows('ROLE_NOT_ALLOWED', 'actor.role'),
  );
});

describe('closing the emergency record', () => {
  const close = (actor = officer, minute = 24 * 60) =>
    emergencyCommand('CloseEmergency', { actor, occurredAt: at(minute) });

  it('closes it', () => spec.given([emergencyRecorded()]).when(close()).then([emergencyClosed()]));

  it('may be closed by the police liaison once the report is in', () =>
    spec
      .given([emergencyRecorded(), patrolDispatched(), patrolArrived(), reportFiled()])
      .when(close(liaison, 49 * 60))
      .thenState((state) => expect(state).toMatchObject({ status: 'closed', closedAt: at(49 * 60) })));

  it('refuses every step once closed', () => {
    const steps: SafetyEmergencyCommand[] = [call(), dispatch(), alert(['carabinieri']), close()];
    for (const step of steps)
      spec.given([emergencyRecorded(), emergencyClosed()]).when(step).thenThrows('EMERGENCY_CLOSED');
  });

  it('refuses the officer of another unit', () =>
    spec.given([emergencyRecorded()]).when(close(otherUnitOfficer)).thenThrows('OTHER_UNIT', 'actor.unitId'));

  it('refuses the operations centre', () =>
    spec.given([emergencyRecorded()]).when(close(operations)).thenThrows('ROLE_NOT_ALLOWED', 'actor.role'));
});
