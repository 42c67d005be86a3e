import { SignJWT } from 'jose';
import { TestApp } from '../support/test-app';

describe('the front door: health, docs and identity', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('answers liveness and readiness without a token', async () => {
    await app
      .http()
      .get('/health')
      .expect(200)
      .expect(({ body }) => expect(body.status).toBe('ok'));
    const ready = await app.http().get('/health/ready').expect(200);
    expect(ready.body.info.database.status).toBe('up');
    expect(ready.body.info.migrations).toEqual({ status: 'up', pending: 0 });
  });

  it('serves the OpenAPI page and document', async () => {
    await app.http().get('/docs').expect(200).expect('content-type', /html/);
    const doc = await app.http().get('/docs/openapi.json').expect(200);
    expect(doc.body.paths['/health/ready']).toBeDefined();
    expect(doc.body.components.securitySchemes.bearer).toBeDefined();
  });

  it('refuses a request without a token with 401 and a code', async () => {
    const response = await app.http().get('/me').expect(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('refuses a forged, expired or role-less token with 401', async () => {
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    await app.http().get('/me').set('Authorization', `Bearer ${forged}`).expect(401);
    const expired = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuedAt(1)
      .setExpirationTime(2)
      .sign(new TextEncoder().encode('test-secret-that-is-long-enough-for-hs256-signing'));
    const expiredResponse = await app.http().get('/me').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(expiredResponse.body.reason).toMatch(/expired/);
    const roleless = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('test-secret-that-is-long-enough-for-hs256-signing'));
    await app.http().get('/me').set('Authorization', `Bearer ${roleless}`).expect(401);
    await app.http().get('/me').set('Authorization', 'Basic abc').expect(401);
  });

  it('tells a user who they are from their token', async () => {
    const response = await app
      .http()
      .get('/me')
      .set('Authorization', await app.bearer({ sub: 'op-7', role: 'operator', lines: ['sostienimi'] }))
      .expect(200);
    expect(response.body).toEqual({ id: 'op-7', role: 'operator', roles: ['operator'], lines: ['sostienimi'] });
  });

  it('answers unknown routes with 404 in the error shape and malformed JSON with 400', async () => {
    const missing = await app
      .http()
      .get('/no-such-route')
      .set('Authorization', await app.bearer({ role: 'admin' }))
      .expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const malformed = await app
      .http()
      .post('/me')
      .set('Authorization', await app.bearer({ role: 'admin' }))
      .set('Content-Type', 'application/json')
      .send('{"broken":')
      .expect(400);
    expect(malformed.body.code).toBe('MALFORMED_REQUEST');
    expect(JSON.stringify(malformed.body)).not.toContain('broken');
  });
});
