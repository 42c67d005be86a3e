import type { Principal } from '@helpline/auth';
import {
  foldSafetyEmergencyEvents,
  foldSafetyRequestEvents,
  initialSafetyRequestState,
  type SafetyRequestEvent,
} from '@helpline/domain';
import {
  canSeeEmergency,
  canSeeRequest,
  opensEmergencyPersonalData,
  opensRequestPersonalData,
  registerScopeOf,
} from './safety-access';
import { safetyActorOf } from './safety-actor';

const UNIT = 'unit-municipio-4';
const sealed = { keyId: 'k', ciphertext: 'c' };
const actor = { id: 'sw-1', role: 'social_worker' as const, unitId: UNIT };
const drafted: SafetyRequestEvent = {
  type: 'SafetyRequestDrafted',
  data: {
    requestId: 'r1',
    unitId: UNIT,
    meetingAt: '2026-12-01T10:00:00Z',
    address: sealed,
    serviceUser: sealed,
    factsSummary: sealed,
    risk: 'high',
    actor,
    occurredAt: '2026-11-20T10:00:00Z',
  },
};
const sent: SafetyRequestEvent = {
  type: 'SafetyRequestSent',
  data: {
    noticeHoursRequired: 48,
    noticeMinutes: 9000,
    late: false,
    actor: { id: 'po-1', role: 'unit_officer', unitId: UNIT },
    occurredAt: '2026-11-21T10:00:00Z',
  },
};
const draft = foldSafetyRequestEvents([drafted]);
const sentRequest = foldSafetyRequestEvents([drafted, sent]);
const emergency = foldSafetyEmergencyEvents([
  {
    type: 'EmergencyRecorded',
    data: {
      emergencyId: 'e1',
      unitId: UNIT,
      kind: 'threat',
      startedAt: '2026-11-25T10:00:00Z',
      colleaguesCalled: false,
      location: sealed,
      actor,
      occurredAt: '2026-11-25T10:01:00Z',
    },
  },
]);

const p = (role: Principal['role'], unitId?: string): Principal => ({
  id: `${role}-1`,
  role,
  lines: [],
  ...(unitId ? { unitId } : {}),
});

describe('who sees which safety record, and whose eyes its personal values are opened for', () => {
  it.each([
    // role, unit, sees the draft, sees it sent, personal values once sent, sees the emergency, its place
    ['social_worker', UNIT, true, true, true, true, true],
    ['unit_officer', UNIT, true, true, true, true, true],
    ['social_worker', 'unit-municipio-8', false, false, false, false, false],
    ['unit_officer', 'unit-municipio-8', false, false, false, false, false],
    ['police_liaison', undefined, false, true, true, true, true],
    ['police_operations', undefined, false, true, false, true, true],
    ['area_director', undefined, false, true, true, true, true],
    ['operator', undefined, false, false, false, false, false],
    ['evaluator', undefined, false, false, false, false, false],
    ['admin', undefined, false, false, false, false, false],
  ] as const)('%s of %s', (role, unitId, seesDraft, seesSent, opensSent, seesEmergency, opensEmergency) => {
    const principal = p(role, unitId);
    expect(canSeeRequest(principal, draft)).toBe(seesDraft);
    expect(canSeeRequest(principal, sentRequest)).toBe(seesSent);
    expect(opensRequestPersonalData(principal, sentRequest)).toBe(opensSent);
    expect(canSeeEmergency(principal, emergency)).toBe(seesEmergency);
    expect(opensEmergencyPersonalData(principal, emergency)).toBe(opensEmergency);
  });

  it('never shows a record that does not exist', () => {
    expect(canSeeRequest(p('area_director'), initialSafetyRequestState)).toBe(false);
  });

  it('scopes the register: own unit for its staff, every unit for the director, nothing for anyone else', () => {
    expect(registerScopeOf(p('social_worker', UNIT))).toEqual({ unitId: UNIT });
    expect(registerScopeOf(p('area_director'))).toBe('all');
    expect(registerScopeOf(p('police_liaison'))).toBe('none');
    expect(registerScopeOf(p('evaluator'))).toBe('none');
  });

  it('maps a token to the domain actor: a unit role with its unit, a police role without, a platform role not at all', () => {
    expect(safetyActorOf(p('unit_officer', UNIT))).toEqual({
      id: 'unit_officer-1',
      role: 'unit_officer',
      unitId: UNIT,
    });
    expect(safetyActorOf(p('police_liaison'))).toEqual({ id: 'police_liaison-1', role: 'police_liaison' });
    expect(() => safetyActorOf(p('operator'))).toThrow(
      expect.objectContaining({ kind: 'forbidden', code: 'FORBIDDEN_ROLE' }),
    );
  });
});
