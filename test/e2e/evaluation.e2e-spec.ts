import { PostgresEventStore } from '@helpline/event-store/postgres';
import { CaseHistory, rome } from '../../libs/evaluation/src/testing/case-history';
import { TestApp } from '../support/test-app';

// The project-level testTimeout is not applied on every run (see the directory suites); the history takes time.
jest.setTimeout(120_000);

const evaluator = { sub: 'evaluator-1', role: 'evaluator' as const };
const supervisor = { sub: 'supervisor-1', role: 'supervisor' as const, lines: ['sostienimi'] };
const admin = { sub: 'admin-1', role: 'admin' as const };
const operator = { sub: 'operator-1', role: 'operator' as const, lines: ['sostienimi'] };

describe('the evaluation report over HTTP', () => {
  let app: TestApp;
  let store: PostgresEventStore;

  beforeAll(async () => {
    app = await TestApp.start();
    store = new PostgresEventStore(app.database);
    const history = new CaseHistory(store);
    for (let day = 2; day <= 13; day++) {
      const date = `2020-03-${String(day).padStart(2, '0')}`;
      await history.open(rome(`${date}T10:00`), { callerType: day % 4 === 0 ? 'media' : 'person_concerned' });
      await history.open(rome(`${date}T11:00`), { callerType: 'family_or_acquaintance', gender: 'male' });
    }
    for (const user of [evaluator, supervisor, admin, operator]) tokens.set(user, await app.bearer(user));
    await history.open(rome('2020-03-05T10:00'), {
      lineId: 'employee-support',
      channel: 'phone',
      ageBand: 'unknown',
      gender: 'not_stated',
      concern: 'not_stated',
      heardOfLine: 'not_stated',
    });
  });
  afterAll(async () => {
    await store.close();
    await app?.stop();
  });

  const tokens = new Map<object, string>();
  // Not async: a supertest request is a thenable, and returning it from an async function would send it at once.
  const get = (path: string, user: Parameters<TestApp['bearer']>[0]) =>
    app.http().get(path).set('Authorization', tokens.get(user)!);

  /** The in-process projection runner catches up with the appends; the report then has the month's contacts. */
  async function caughtUp(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await get('/evaluation/report?month=2020-03&line=sostienimi', admin);
      if (response.body.lines?.[0]?.headline?.contacts === 24) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the evaluation read model did not catch up');
  }

  it('gives evaluators aggregates only, small cells suppressed, without the employee line', async () => {
    await caughtUp();
    const response = await get('/evaluation/report?month=2020-03', evaluator).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toMatchObject({
      kind: 'helpline-evaluation-report',
      audience: 'evaluator',
      period: { from: '2020-03', to: '2020-03' },
      suppression: { threshold: 5 },
    });
    expect(response.body.lines.map((l: { lineId: string }) => l.lineId)).toEqual(['sostienimi', 'psych-emergency']);
    const callers = response.body.lines[0].tables.find((t: { id: string }) => t.id === 'contacts_by_caller_type');
    expect(callers.rowTotals[callers.rows.indexOf('media')]).toBeNull();
    expect(callers.rowTotals[callers.rows.indexOf('family_or_acquaintance')]).toBe(12);
    expect(JSON.stringify(response.body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/);
    await get('/evaluation/report?month=2020-03&line=employee-support', evaluator).expect(404);
  });

  it("gives a supervisor the full report of their own lines, and an administrator every line's", async () => {
    const mine = await get('/evaluation/report?from=2020-03&to=2020-03', supervisor).expect(200);
    expect(mine.body.audience).toBe('line');
    expect(mine.body.suppression).toBeNull();
    expect(mine.body.lines.map((l: { lineId: string }) => l.lineId)).toEqual(['sostienimi']);
    const callers = mine.body.lines[0].tables.find((t: { id: string }) => t.id === 'contacts_by_caller_type');
    expect(callers.rowTotals[callers.rows.indexOf('media')]).toBe(3);
    const preview = await get('/evaluation/report?month=2020-03&audience=evaluator', supervisor).expect(200);
    expect(preview.body.audience).toBe('evaluator');
    const all = await get('/evaluation/report?month=2020-03', admin).expect(200);
    expect(all.body.lines.map((l: { lineId: string }) => l.lineId)).toEqual([
      'sostienimi',
      'employee-support',
      'psych-emergency',
    ]);
  });

  it('replays as of a date, and answers in CSV and HTML', async () => {
    const asOf = await get('/evaluation/report?month=2020-03&asOf=2020-03-31', evaluator).expect(200);
    expect(asOf.body.asOf).toBe('2020-03-31T21:59:59.999Z');
    const csv = await get('/evaluation/report?month=2020-03&format=csv', evaluator).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="evaluation-2020-03.csv"');
    expect(csv.text.split('\r\n')[0]).toBe('line_id,section,table,row,column,value,status');
    const html = await get('/evaluation/report?month=2020-03&format=html', evaluator).expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<svg');
    expect(html.text).toContain('lang="en"');
  });

  it('reproduces a published report from the log position it prints, late entries left out', async () => {
    const path = '/evaluation/report?month=2020-03&asOf=2020-03-31&line=sostienimi';
    const published = await get(path, evaluator).expect(200);
    expect(published.body.log.position).toMatch(/^\d+:\d+$/);
    await new CaseHistory(store).open(rome('2020-03-20T10:00'), { callerType: 'media' });
    for (let attempt = 0; ; attempt++) {
      const knownNow = await get(path, evaluator).expect(200);
      if (knownNow.body.log.position !== published.body.log.position) break;
      if (attempt > 100) throw new Error('the late entry never became visible');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const asPublished = await get(`${path}&upToPosition=${published.body.log.position}`, evaluator).expect(200);
    expect(asPublished.text).toBe(published.text);
    const csv = await get(`${path}&upToPosition=${published.body.log.position}&format=csv`, evaluator).expect(200);
    expect(csv.text).toContain(`log_position,,${published.body.log.position},`);

    const malformed = await get(`${path}&upToPosition=yesterday`, evaluator).expect(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
    const beyond = await get(`${path}&upToPosition=9999999999999:1`, evaluator).expect(400);
    expect(beyond.body).toMatchObject({ code: 'INVALID_POSITION', reason: expect.stringMatching(/^upToPosition /) });
  });

  it('refuses operators, and periods it cannot read', async () => {
    await get('/evaluation/report?month=2020-03', operator).expect(403);
    const bad = await get('/evaluation/report?month=2020-3', evaluator).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const both = await get('/evaluation/report?month=2020-03&from=2020-01', evaluator).expect(400);
    expect(both.body.code).toBe('INVALID_PERIOD');
    // Evaluators get months, calendar quarters and calendar years that have ended, nothing in between.
    await get('/evaluation/report?from=2020-01&to=2020-03', evaluator).expect(200);
    await get('/evaluation/report?from=2020-01&to=2020-12', evaluator).expect(200);
    const twoMonths = await get('/evaluation/report?from=2020-02&to=2020-03', evaluator).expect(400);
    expect(twoMonths.body).toMatchObject({ code: 'INVALID_PERIOD', errors: [{ field: 'from' }] });
    expect(twoMonths.body.reason).toMatch(/quarter/);
    const running = await get('/evaluation/report?month=2020-03&asOf=2020-03-20', evaluator).expect(400);
    expect(running.body).toMatchObject({ code: 'INVALID_PERIOD', errors: [{ field: 'month' }] });
    // Supervisors still get any span of their line's full figures.
    await get('/evaluation/report?from=2020-02&to=2020-03', supervisor).expect(200);
  });
});
