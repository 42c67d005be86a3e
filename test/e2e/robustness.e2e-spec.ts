import fc from 'fast-check';
import { TestApp } from '../support/test-app';

/**
 * Nothing a caller sends may crash the process or produce a 500: every route of the OpenAPI document gets
 * arbitrary JSON bodies, query strings and path parameters, and must answer below 500.
 */
describe('robustness: arbitrary input never produces a 500', () => {
  let app: TestApp;
  let routes: Array<{ method: 'get' | 'post'; path: string }>;
  let caseId: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await TestApp.start();
    tokens.operator = await app.bearer({ sub: 'operator-7', role: 'operator', lines: ['sostienimi'] });
    tokens.supervisor = await app.bearer({ sub: 'supervisor-1', role: 'supervisor', lines: ['sostienimi'] });
    tokens.admin = await app.bearer({ role: 'admin' });
    const opened = await app
      .http()
      .post('/cases')
      .set('Authorization', tokens.operator)
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
    caseId = opened.body.caseId;
    const doc = (await app.http().get('/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m): m is 'get' | 'post' => m === 'get' || m === 'post')
        .map((method) => ({ method, path })),
    );
  });
  afterAll(async () => app?.stop());

  const pathWith = (template: string, filler: (name: string) => string) =>
    template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(filler(name)));

  it('answers every route, with arbitrary bodies and parameters, below 500', async () => {
    expect(routes.length).toBeGreaterThan(20);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom('operator', 'supervisor', 'admin'),
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom(
              'categories',
              'note',
              'lineId',
              'outcome',
              'number',
              'consent',
              'sharedFields',
              'occurredAt',
              'expectedVersion',
              'serviceId',
              'level',
              'kind',
            ),
            fc.jsonValue(),
          ),
        ),
        fc.oneof(fc.constant(caseId), fc.string({ maxLength: 40 }), fc.uuid()),
        fc.dictionary(
          fc.constantFrom(
            'limit',
            'after',
            'waitFor',
            'lineId',
            'phase',
            'atRisk',
            'from',
            'to',
            'caseId',
            'before',
            'status',
          ),
          fc.string({ maxLength: 30 }),
        ),
        async (route, who, body, param, query) => {
          const path = pathWith(route.path, (name) =>
            name === 'caseId' ? param : param.split('').reverse().join('') || 'x',
          );
          const request =
            route.method === 'get'
              ? app.http().get(path).query(query)
              : app.http().post(path).set('Content-Type', 'application/json').send(JSON.stringify(body));
          const response = await request.set('Authorization', tokens[who]!);
          if (response.status >= 500)
            throw new Error(
              `${route.method.toUpperCase()} ${route.path} answered ${response.status}: ${JSON.stringify(response.body)}`,
            );
          if (response.status >= 400) expect(response.body.code).toEqual(expect.any(String));
        },
      ),
      { numRuns: 400, seed: 2026 },
    );
  });
});
