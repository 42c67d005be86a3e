import { TestApp } from '../support/test-app';

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'media',
  ageBand: 'unknown',
  gender: 'not_stated',
  concern: 'not_stated',
  heardOfLine: 'not_stated',
};

describe('hardening: headers a browser and a shared cache obey, and a budget per caller', () => {
  let app: TestApp;
  let operator: string;

  beforeAll(async () => {
    app = await TestApp.start({ rateLimitPerMinute: 20 });
    operator = await app.bearer({ sub: 'operator-7', role: 'operator', lines: ['sostienimi'] });
  });
  afterAll(async () => app?.stop());

  it('sends security headers, no X-Powered-By, and no-store on what opens personal data', async () => {
    const opened = await app.http().post('/cases').set('Authorization', operator).send(firstContact).expect(201);
    const read = await app.http().get(`/cases/${opened.body.caseId}/history`).set('Authorization', operator);
    expect(read.status).toBe(200);
    expect(read.headers['x-powered-by']).toBeUndefined();
    expect(read.headers['cache-control']).toBe('no-store');
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    expect(read.headers['content-security-policy']).toContain("default-src 'self'");
    const docs = await app.http().get('/docs').redirects(1);
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers 429 with Retry-After once a caller spends its budget, without touching another caller', async () => {
    const spender = await app.bearer({ sub: 'operator-spender', role: 'operator', lines: ['sostienimi'] });
    const statuses: number[] = [];
    let refused: { headers: Record<string, string>; body: { code?: string } } | undefined;
    for (let attempt = 0; attempt < 25; attempt++) {
      const response = await app.http().get('/queues/mine').set('Authorization', spender);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    expect(refused?.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    const other = await app.bearer({ sub: 'operator-other', role: 'operator', lines: ['sostienimi'] });
    await app.http().get('/queues/mine').set('Authorization', other).expect(200);
  });
});
