import { foldSafetyEmergencyEvents } from './safety-emergency.decider';
import {
  minutesFromCallToArrival,
  minutesFromCallToDispatch,
  minutesFromDispatchToArrival,
} from './safety-emergency.timeline';
import {
  emergencyEvent,
  emergencyRecorded,
  operations,
  operationsCentreCalled,
  patrolArrived,
  patrolDispatched,
} from './testing/safety-fixtures';

describe('the emergency timeline', () => {
  it('measures call to dispatch and dispatch to arrival from the times of the steps', () => {
    const state = foldSafetyEmergencyEvents([
      emergencyRecorded(),
      operationsCentreCalled(3),
      patrolDispatched(8),
      patrolArrived(20),
    ]);
    expect(minutesFromCallToDispatch(state)).toBe(5);
    expect(minutesFromDispatchToArrival(state)).toBe(12);
    expect(minutesFromCallToArrival(state)).toBe(17);
  });

  it('keeps the seconds, as fractions of a minute', () => {
    const state = foldSafetyEmergencyEvents([
      emergencyRecorded(),
      emergencyEvent('OperationsCentreCalled', { occurredAt: '2021-03-08T08:03:00Z' }),
      emergencyEvent('PatrolDispatched', { actor: operations, occurredAt: '2021-03-08T08:04:30Z' }),
    ]);
    expect(minutesFromCallToDispatch(state)).toBe(1.5);
  });

  it('reads instants written with different offsets as the same timeline', () => {
    const state = foldSafetyEmergencyEvents([
      emergencyRecorded(),
      emergencyEvent('OperationsCentreCalled', { occurredAt: '2021-03-08T09:03:00+01:00' }),
      emergencyEvent('PatrolDispatched', { actor: operations, occurredAt: '2021-03-08T08:10:00Z' }),
    ]);
    expect(minutesFromCallToDispatch(state)).toBe(7);
  });

  it('does not depend on the order the steps were written down in', () => {
    // The operations centre recorded its dispatch before the unit wrote down its call.
    const state = foldSafetyEmergencyEvents([emergencyRecorded(), patrolDispatched(8), operationsCentreCalled(3)]);
    expect(minutesFromCallToDispatch(state)).toBe(5);
  });

  it('is null while a step is missing', () => {
    const recorded = foldSafetyEmergencyEvents([emergencyRecorded()]);
    expect(minutesFromCallToDispatch(recorded)).toBeNull();
    expect(minutesFromDispatchToArrival(recorded)).toBeNull();

    const dispatchedWithoutCall = foldSafetyEmergencyEvents([
      emergencyRecorded(),
      patrolDispatched(8),
      patrolArrived(20),
    ]);
    expect(minutesFromCallToDispatch(dispatchedWithoutCall)).toBeNull();
    expect(minutesFromCallToArrival(dispatchedWithoutCall)).toBeNull();
    expect(minutesFromDispatchToArrival(dispatchedWithoutCall)).toBe(12);
  });
});
