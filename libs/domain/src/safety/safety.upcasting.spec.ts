import { EventSchemaError } from '../shared/upcasting';
import { CASE_EVENT_TYPES } from '../case/case.events';
import { SAFETY_EMERGENCY_EVENT_TYPES, safetyEmergencyEventSchemaVersions } from './safety-emergency.events';
import { SAFETY_REQUEST_EVENT_TYPES, safetyRequestEventSchemaVersions } from './safety-request.events';
import { upcastSafetyEmergencyEvent, upcastSafetyRequestEvent } from './safety.upcasting';

describe('safety event schema versions', () => {
  it('gives every event type a version, starting at 1', () => {
    expect(SAFETY_REQUEST_EVENT_TYPES).toHaveLength(12);
    expect(SAFETY_EMERGENCY_EVENT_TYPES).toHaveLength(9);
    for (const type of SAFETY_REQUEST_EVENT_TYPES)
      expect(safetyRequestEventSchemaVersions[type]).toBeGreaterThanOrEqual(1);
    for (const type of SAFETY_EMERGENCY_EVENT_TYPES)
      expect(safetyEmergencyEventSchemaVersions[type]).toBeGreaterThanOrEqual(1);
  });

  it('names no event like another aggregate’s, since projections read one global log by type', () => {
    const all = [...SAFETY_REQUEST_EVENT_TYPES, ...SAFETY_EMERGENCY_EVENT_TYPES, ...CASE_EVENT_TYPES];
    expect(new Set(all).size).toBe(all.length);
  });

  it('reads a current event as it was written', () => {
    const data = {
      reason: 'meeting_cancelled',
      actor: { id: 'sw-1', role: 'social_worker', unitId: 'u' },
      occurredAt: '2021-03-08T10:00:00.000Z',
    };
    expect(upcastSafetyRequestEvent('SafetyRequestCancelled', 1, data)).toEqual({
      type: 'SafetyRequestCancelled',
      data,
    });
    expect(upcastSafetyEmergencyEvent('EmergencyClosed', 1, data)).toEqual({ type: 'EmergencyClosed', data });
  });

  it('refuses an event of the other safety stream', () => {
    expect(() => upcastSafetyRequestEvent('PatrolArrived', 1, {})).toThrow(EventSchemaError);
    expect(() => upcastSafetyEmergencyEvent('SafetyRequestSent', 1, {})).toThrow(EventSchemaError);
  });

  it('refuses a version newer than the code', () => {
    expect(() => upcastSafetyEmergencyEvent('PatrolArrived', 2, {})).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SCHEMA_VERSION' }),
    );
  });
});
