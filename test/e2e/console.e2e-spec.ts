import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TestApp } from '../support/test-app';

const COMMITTED_DOCUMENT = resolve(__dirname, '..', '..', 'apps', 'console', 'src', 'api', 'openapi.json');

describe('the development sign-in of the console', () => {
  describe('in the embedded development mode', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await TestApp.start({ developmentMode: true });
    });
    afterAll(async () => {
      await app?.stop();
    });

    it('lists the demo identities of the start-up log, with no token needed', async () => {
      const { body } = await app.http().get('/development/identities').expect(200);
      expect(body.map((identity: { id: string }) => identity.id)).toEqual(
        expect.arrayContaining(['demo-operator', 'demo-supervisor', 'demo-serd-staff', 'demo-evaluator', 'demo-admin']),
      );
      expect(body.find((identity: { id: string }) => identity.id === 'demo-serd-staff')).toMatchObject({
        role: 'service_staff',
        serviceId: 'esempio-serd-centro',
      });
    });

    it('mints a token the API accepts for the identity picked, and none for an unknown one', async () => {
      const { body } = await app.http().post('/development/sign-in').send({ identity: 'demo-operator' }).expect(200);
      const me = await app.http().get('/me').set('Authorization', `Bearer ${body.token}`).expect(200);
      expect(me.body).toMatchObject({ id: 'demo-operator', role: 'operator', lines: ['sostienimi'] });
      const unknown = await app.http().post('/development/sign-in').send({ identity: 'someone-else' }).expect(404);
      expect(unknown.body.code).toBe('UNKNOWN_IDENTITY');
      const malformed = await app.http().post('/development/sign-in').send({}).expect(400);
      expect(malformed.body.errors[0].field).toBe('identity');
    });

    it('documents the routes the console is generated from exactly as apps/console/src/api/openapi.json holds them', async () => {
      // When this fails, a route changed: run `npm run openapi` and commit the regenerated client with the change.
      const { body } = await app.http().get('/docs/openapi.json').expect(200);
      expect(body).toEqual(JSON.parse(readFileSync(COMMITTED_DOCUMENT, 'utf8')));
    });
  });

  it('does not exist outside the development mode', async () => {
    const app = await TestApp.start({ developmentMode: false });
    try {
      await app.http().get('/development/identities').expect(404);
      await app.http().post('/development/sign-in').send({ identity: 'demo-operator' }).expect(404);
    } finally {
      await app.stop();
    }
  });

  it('does not exist beside an OpenID provider', async () => {
    const app = await TestApp.start({
      developmentMode: false,
      auth: { kind: 'jwks', jwksUrl: 'http://127.0.0.1:9/jwks', issuer: 'https://id.example', audience: 'helpline' },
    });
    try {
      await app.http().get('/development/identities').expect(404);
      await app.http().post('/development/sign-in').send({ identity: 'demo-operator' }).expect(404);
    } finally {
      await app.stop();
    }
  });
});

describe('the console served by the API', () => {
  let app: TestApp;
  let consoleDir: string;
  beforeAll(async () => {
    consoleDir = mkdtempSync(join(tmpdir(), 'helpline-console-e2e-'));
    mkdirSync(join(consoleDir, 'assets'));
    writeFileSync(
      join(consoleDir, 'index.html'),
      '<!doctype html><title>console</title><script type="module" src="/console/assets/app.js"></script>',
    );
    writeFileSync(join(consoleDir, 'assets', 'app.js'), 'console.log("console");');
    app = await TestApp.start({}, { consoleDir });
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('opens at / and answers its page for every path under /console/, with a policy that admits its own scripts only', async () => {
    await app.http().get('/').expect(302).expect('Location', '/console/');
    for (const path of ['/console/', '/console/queue', '/console/cases/6f1c2a9e-0000-4000-8000-000000000001']) {
      const page = await app
        .http()
        .get(path)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect(page.text).toContain('<title>console</title>');
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    }
    await app
      .http()
      .get('/console/assets/app.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
  });

  it('leaves the API where it is: its routes still answer JSON, and /docs the OpenAPI page', async () => {
    await app.http().get('/cases/6f1c2a9e-0000-4000-8000-000000000001').expect(401).expect('Content-Type', /json/);
    await app.http().get('/health').expect(200).expect('Content-Type', /json/);
    await app.http().get('/docs/openapi.json').expect(200);
  });
});
