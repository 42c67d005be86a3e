import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import type { KeyLike } from 'jose';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

/**
 * The API behind a city's OpenID provider, shaped like Keycloak: realm roles under `realm_access.roles` beside the
 * provider's own (offline_access, default-roles-…), the audience and issuer checked, a person with two roles.
 */
describe('tokens of an OpenID provider (Keycloak-shaped)', () => {
  let app: TestApp;
  let jwksServer: Server;
  let privateKey: KeyLike;
  let otherKey: KeyLike;
  let issuer: string;
  const audience = 'helpline-api';

  const sign = (
    claims: JWTPayload,
    options: { key?: KeyLike; issuer?: string | null; audience?: string | null } = {},
  ) => {
    let jwt = new SignJWT({ typ: 'Bearer', azp: 'helpline-console', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'realm-key' })
      .setSubject('f3b6c0de-0000-4000-8000-000000000001')
      .setIssuedAt()
      .setExpirationTime('5m');
    const chosenIssuer = options.issuer === undefined ? issuer : options.issuer;
    const chosenAudience = options.audience === undefined ? [audience, 'account'] : options.audience;
    if (chosenIssuer) jwt = jwt.setIssuer(chosenIssuer);
    if (chosenAudience) jwt = jwt.setAudience(chosenAudience);
    return jwt.sign(options.key ?? privateKey);
  };
  const realmRoles = (...roles: string[]) => ({
    realm_access: { roles: ['offline_access', 'uma_authorization', 'default-roles-comune-milano', ...roles] },
    resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
  });
  const me = async (token: string) => app.http().get('/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'realm-key', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
    issuer = `${base}/realms/comune-milano`;
    app = await TestApp.start({
      auth: {
        kind: 'jwks',
        jwksUrl: `${issuer}/protocol/openid-connect/certs`,
        issuer,
        audience,
        claims: { roles: 'realm_access.roles', lines: 'lines', service: 'service_id', unit: 'unit_id' },
      },
    });
  });
  afterAll(async () => {
    await app?.stop();
    jwksServer?.close();
  });

  it("signs an operator in with the realm's roles, ignoring the provider's own, and lets them open a case", async () => {
    const token = await sign({ ...realmRoles('operator'), lines: ['sostienimi'], preferred_username: 'giulia' });
    const who = await me(token);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ role: 'operator', roles: ['operator'], lines: ['sostienimi'] });
    await app
      .http()
      .post('/cases')
      .set('Authorization', `Bearer ${token}`)
      .send({
        lineId: 'sostienimi',
        channel: 'phone',
        callerType: 'media',
        ageBand: 'unknown',
        gender: 'not_stated',
        concern: 'not_stated',
        heardOfLine: 'not_stated',
      })
      .expect(201);
  });

  it('lets a person with two roles act in the one each route admits', async () => {
    const token = await sign({ ...realmRoles('supervisor', 'evaluator'), lines: ['sostienimi'] });
    const report = await app.http().get('/evaluation/report?month=2020-03').set('Authorization', `Bearer ${token}`);
    expect(report.status).toBe(200);
    const access = await app.http().get('/access-log').set('Authorization', `Bearer ${token}`);
    expect(access.status).toBe(200);
    const handoffs = await app.http().get('/handoffs').set('Authorization', `Bearer ${token}`);
    expect(handoffs.status).toBe(403);
    expect(handoffs.body.code).toBe('FORBIDDEN_ROLE');
  });

  it.each([
    ['no audience', () => sign({ ...realmRoles('operator'), lines: ['sostienimi'] }, { audience: null })],
    ['another audience', () => sign({ ...realmRoles('operator'), lines: ['sostienimi'] }, { audience: 'billing' })],
    ['no issuer', () => sign({ ...realmRoles('operator'), lines: ['sostienimi'] }, { issuer: null })],
    [
      'another issuer',
      () => sign({ ...realmRoles('operator'), lines: ['sostienimi'] }, { issuer: 'http://127.0.0.1/realms/other' }),
    ],
    ['another key', () => sign({ ...realmRoles('operator'), lines: ['sostienimi'] }, { key: otherKey })],
    ['an unknown role', () => sign({ ...realmRoles('operator', 'superuser'), lines: ['sostienimi'] })],
    ['no role of ours', () => sign({ ...realmRoles(), lines: ['sostienimi'] })],
    ['an unknown line', () => sign({ ...realmRoles('operator'), lines: ['sostienimi', 'no-such-line'] })],
    [
      'a development HS256 token',
      () =>
        new SignJWT({ role: 'admin', lines: [] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('intruder')
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(TEST_JWT_SECRET)),
    ],
  ])('refuses a token with %s (401, same error shape)', async (_what, mint) => {
    const response = await me(await mint());
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', reason: expect.any(String) });
  });
});
