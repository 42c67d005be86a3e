import { InvalidTokenError, mintDevelopmentToken, principalFromClaims, TokenVerifier } from './token.service';
import { isUnitRole, ROLES } from './principal';

describe('the safety protocol roles in the token model', () => {
  it('knows the platform roles and the five roles of the safety protocol', () => {
    expect(ROLES).toEqual([
      'operator',
      'supervisor',
      'service_staff',
      'evaluator',
      'admin',
      'social_worker',
      'unit_officer',
      'police_liaison',
      'police_operations',
      'area_director',
    ]);
    expect(ROLES.filter(isUnitRole)).toEqual(['social_worker', 'unit_officer']);
  });

  it("takes a unit's staff member's unit from the unit_id claim, and refuses a unit role without one", () => {
    expect(
      principalFromClaims({
        sub: 'sw-1',
        role: 'social_worker',
        unit_id: 'unit-municipio-4',
      }),
    ).toEqual({
      id: 'sw-1',
      role: 'social_worker',
      roles: ['social_worker'],
      lines: [],
      serviceId: undefined,
      unitId: 'unit-municipio-4',
    });
    expect(() => principalFromClaims({ sub: 'po-1', role: 'unit_officer' })).toThrow(InvalidTokenError);
    expect(principalFromClaims({ sub: 'pl-1', role: 'police_liaison' })).toEqual({
      id: 'pl-1',
      role: 'police_liaison',
      roles: ['police_liaison'],
      lines: [],
      serviceId: undefined,
    });
    expect(principalFromClaims({ sub: 'op-1', role: 'operator', lines: ['sostienimi'] })).not.toHaveProperty('unitId');
  });

  it('mints and verifies a development token with --unit', async () => {
    const secret = 'a-development-secret-long-enough-for-hs256';
    const token = await mintDevelopmentToken(secret, { sub: 'po-1', role: 'unit_officer', unitId: 'unit-municipio-4' });
    await expect(new TokenVerifier({ kind: 'hs256', secret }).verify(token)).resolves.toMatchObject({
      role: 'unit_officer',
      unitId: 'unit-municipio-4',
    });
  });
});
