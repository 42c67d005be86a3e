import { decodeJwt, decodeProtectedHeader } from 'jose';
import { OidcProviderProcess, type ProviderSettings } from '../support/oidc-provider-process';
import { TestApp } from '../support/test-app';

const AUDIENCE = 'helpline-api';
const API = 'https://helpline.example/api';
const API_SHORT_LIVED = 'https://helpline.example/api/short-lived';
const BILLING = 'https://billing.example/';

const settings: ProviderSettings = {
  clientId: 'helpline-console',
  redirectUri: 'http://127.0.0.1:4173/signed-in',
  accounts: {
    'giulia.operator': { roles: ['operator'], lines: ['sostienimi'] },
    'marco.serd': { roles: ['service_staff'], service_id: 'esempio-serd-centro' },
    'sara.supervisor': { roles: ['supervisor', 'evaluator'], lines: ['sostienimi'] },
    'ugo.unknown': { roles: ['operator', 'superuser'], lines: ['sostienimi'] },
  },
  resources: {
    [API]: { audience: AUDIENCE, ttlSeconds: 300 },
    [API_SHORT_LIVED]: { audience: AUDIENCE, ttlSeconds: 1 },
    [BILLING]: { audience: 'billing', ttlSeconds: 300 },
  },
};

/**
 * The API behind a real OpenID provider (oidc-provider, certified), started by the test: the authorization-code flow
 * with PKCE run over HTTP as a browser would, a JWT access token for the API (resource indicator, audience =
 * AUTH_AUDIENCE) with the claims the API reads, accepted on real routes; tokens of another issuer, for another
 * audience, without one, expired, or with a role the API does not know, refused.
 */
describe('the API behind a real OpenID provider', () => {
  let provider: OidcProviderProcess;
  let otherProvider: OidcProviderProcess;
  let app: TestApp;

  beforeAll(async () => {
    [provider, otherProvider] = await Promise.all([
      OidcProviderProcess.start(settings),
      OidcProviderProcess.start(settings),
    ]);
    const discovery = await provider.discovery();
    app = await TestApp.start({
      auth: {
        kind: 'jwks',
        jwksUrl: String(discovery.jwks_uri),
        issuer: String(discovery.issuer),
        audience: AUDIENCE,
        claims: { roles: 'roles', lines: 'lines', service: 'service_id', unit: 'unit_id' },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await provider?.stop();
    await otherProvider?.stop();
  });

  const me = (token: string) => app.http().get('/me').set('Authorization', `Bearer ${token}`);
  const refused = async (token: string) => {
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    return response.body as { detail: string };
  };

  it('signs an operator in through the code flow with PKCE, and the API takes their access token on real routes', async () => {
    const tokens = await provider.signIn('giulia.operator', API);
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: provider.issuer,
      aud: AUDIENCE,
      sub: 'giulia.operator',
      client_id: 'helpline-console',
      roles: ['operator'],
      lines: ['sostienimi'],
    });

    expect((await me(tokens.access_token).expect(200)).body).toMatchObject({
      id: 'giulia.operator',
      role: 'operator',
      roles: ['operator'],
      lines: ['sostienimi'],
    });
    const opened = await app
      .http()
      .post('/cases')
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .send({
        lineId: 'sostienimi',
        channel: 'phone',
        callerType: 'person_concerned',
        ageBand: 'unknown',
        gender: 'not_stated',
        concern: 'not_stated',
        heardOfLine: 'not_stated',
      })
      .expect(201);
    const view = await app
      .http()
      .get(`/cases/${opened.body.caseId}`)
      .set('Authorization', `Bearer ${tokens.access_token}`)
      .expect(200);
    expect(view.body.assignedOperatorId).toBe('giulia.operator');
  });

  it("maps a service's staff and a person with two roles from the provider's claims", async () => {
    const staff = await provider.signIn('marco.serd', API);
    expect((await me(staff.access_token).expect(200)).body).toMatchObject({
      role: 'service_staff',
      serviceId: 'esempio-serd-centro',
    });
    await app.http().get('/handoffs').set('Authorization', `Bearer ${staff.access_token}`).expect(200);

    const supervisor = await provider.signIn('sara.supervisor', API);
    const bearer = `Bearer ${supervisor.access_token}`;
    await app.http().get('/access-log').set('Authorization', bearer).expect(200);
    await app.http().get('/evaluation/report?month=2020-03').set('Authorization', bearer).expect(200);
    await app.http().get('/handoffs').set('Authorization', bearer).expect(403);
  });

  it('refuses a token of another issuer, even for the same audience and claims', async () => {
    const foreign = await otherProvider.signIn('giulia.operator', API);
    expect(decodeJwt(foreign.access_token)).toMatchObject({ aud: AUDIENCE, iss: otherProvider.issuer });
    await refused(foreign.access_token);
  });

  it('refuses a token for another audience, and the provider tokens that have none of ours', async () => {
    const billing = await provider.signIn('giulia.operator', BILLING);
    expect(decodeJwt(billing.access_token).aud).toBe('billing');
    expect((await refused(billing.access_token)).detail).toMatch(/aud/);

    // Without a resource indicator the provider issues an opaque token for its own userinfo: not one for the API.
    const opaque = await provider.signIn('giulia.operator');
    expect(opaque.access_token.split('.')).toHaveLength(1);
    await refused(opaque.access_token);
    // The ID token is for the client (aud = its client id), never a bearer token for the API.
    expect(decodeJwt(opaque.id_token).aud).toBe('helpline-console');
    await refused(opaque.id_token);
  });

  it('refuses an expired token', async () => {
    const shortLived = await provider.signIn('giulia.operator', API_SHORT_LIVED);
    const { exp } = decodeJwt(shortLived.access_token);
    // Wait until the provider's own expiry has passed (whole seconds), then one more.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp! * 1000 - Date.now()) + 1_100));
    expect((await refused(shortLived.access_token)).detail).toMatch(/expired/);
  });

  it('refuses a token that grants a role the API does not know', async () => {
    const tokens = await provider.signIn('ugo.unknown', API);
    expect(decodeJwt(tokens.access_token).roles).toEqual(['operator', 'superuser']);
    await refused(tokens.access_token);
  });
});
