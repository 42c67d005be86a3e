import { millisBetween } from './safety.rules';
import type { SafetyEmergencyState } from './safety-emergency.state';

/*
 * The emergency timeline, measured from the times of the recorded steps (nobody types a duration). Each helper
 * gives minutes, with fractions when the steps were recorded to the second, or null while a step is missing.
 */

function minutesBetween(from: string | null, to: string | null): number | null {
  return from && to ? millisBetween(from, to) / 60_000 : null;
}

/** From the unit's call to the operations centre to the patrol being sent. */
export function minutesFromCallToDispatch(state: SafetyEmergencyState): number | null {
  return minutesBetween(state.operationsCentreCalledAt, state.patrolDispatchedAt);
}

/** From the patrol being sent to its arrival. */
export function minutesFromDispatchToArrival(state: SafetyEmergencyState): number | null {
  return minutesBetween(state.patrolDispatchedAt, state.patrolArrivedAt);
}

/** From the unit's call to the patrol's arrival: what the people waiting lived through. */
export function minutesFromCallToArrival(state: SafetyEmergencyState): number | null {
  return minutesBetween(state.operationsCentreCalledAt, state.patrolArrivedAt);
}
