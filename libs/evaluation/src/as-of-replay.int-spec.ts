import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { liveTables, ProjectionRunner, TableNames } from '@helpline/projections';
import { EVALUATION_TABLES, evaluationProjection, EvaluationTable } from './evaluation.projection';
import { ABANDONED_AS_OF_AFTER_MS, EvaluationReports, ReportAccess, withAsOfReplay } from './evaluation-reports';
import { renderReportCsv, renderReportJson } from './report/render-data';
import { renderReportHtml } from './report/render-html';
import type { EvaluationReport } from './report/report.model';
import { formatPosition } from '@helpline/event-store';
import { CaseHistory, CaseWriter, projectLive, rome, sealed, untilVisible } from './testing/case-history';

// The project-level testTimeout is not applied on every run (see the directory suites); the history takes time.
jest.setTimeout(120_000);

const FULL: ReportAccess = { audience: 'line', lines: '*', smallCellThreshold: 5 };
const EVALUATOR: ReportAccess = { audience: 'evaluator', lines: '*', smallCellThreshold: 3 };

async function snapshot(
  database: TestDatabase,
  tables: TableNames<EvaluationTable>,
): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const base of EVALUATION_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(tables[base])}`.execute(database.db);
    result[base] = rows
      .map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
      )
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return result;
}

/** Two weeks of a line's work, day by day, in the order it happened (the log's order). */
async function fortnight(history: CaseHistory, firstDay: number, days: number, cases: CaseWriter[]): Promise<void> {
  for (let day = firstDay; day < firstDay + days; day++) {
    const date = `2020-03-${String(day).padStart(2, '0')}`;
    for (const [index, earlier] of cases.entries()) {
      if ((index + day) % 5 !== 0 || earlier.state.status !== 'open') continue;
      const pending = Object.values(earlier.state.callbacks).find((cb) => cb.status === 'pending');
      if (pending)
        await earlier.run({
          type: 'CompleteCallback',
          occurredAt: rome(`${date}T09:30`),
          callbackId: pending.callbackId,
          resolution: 'caller_reached',
        });
      const referral = Object.values(earlier.state.referrals)[0];
      if (!referral)
        await earlier.run({
          type: 'ProposeReferral',
          occurredAt: rome(`${date}T11:00`),
          referralId: `r-${day}`,
          serviceId: 'esempio-serd-centro',
        });
      else if (referral.status === 'proposed')
        await earlier.run({
          type: 'SendHandoff',
          occurredAt: rome(`${date}T11:00`),
          referralId: referral.referralId,
          consent: { given: true, method: 'verbal' },
          sharedFields: [],
        });
      else if (referral.status === 'sent' && day % 2)
        await earlier.run({
          type: 'AcceptHandoff',
          occurredAt: rome(`${date}T11:00`),
          referralId: referral.referralId,
        });
      else if (referral.status === 'sent')
        await earlier.run({
          type: 'DeclineHandoff',
          occurredAt: rome(`${date}T11:00`),
          referralId: referral.referralId,
          reason: 'no_capacity',
        });
      else if (referral.status === 'accepted')
        await earlier.run({
          type: 'RecordTakenIntoCare',
          occurredAt: rome(`${date}T11:00`),
          referralId: referral.referralId,
        });
      else await earlier.run({ type: 'CloseCase', occurredAt: rome(`${date}T12:00`), outcome: 'referred_to_service' });
      if (earlier.state.status === 'open')
        await earlier.run({
          type: 'RecordFollowUpContact',
          occurredAt: rome(`${date}T12:30`),
          channel: 'phone',
          direction: 'outbound',
          outOfHours: false,
        });
    }
    const opened = await history.open(rome(`${date}T14:00`), {
      callerType: day % 3 === 0 ? 'family_or_acquaintance' : 'person_concerned',
      ageBand: day % 2 ? '40_50' : '50_60',
    });
    await opened.run({ type: 'FrameRequest', occurredAt: rome(`${date}T14:05`), categories: ['listening'] });
    cases.push(opened);
    if (day % 4 === 0) {
      const ooh = await history.open(rome(`${date}T22:00`), { channel: 'voicemail', outOfHours: true });
      await ooh.run({
        type: 'RequestCallback',
        occurredAt: rome(`${date}T22:01`),
        callbackId: 'cb',
        number: sealed(date),
        callerPseudonym: `ps_${day % 8}`,
      });
      cases.push(ooh);
    }
  }
}

describe('a replay as of a date', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
  });
  afterAll(async () => {
    await store.close();
    await database.close();
  });

  it('equals the live projection stopped at that date, leaves the live tables alone, and drops its schema', async () => {
    const history = new CaseHistory(store);
    const cases: CaseWriter[] = [];
    await fortnight(history, 1, 15, cases);
    await projectLive(database, store, 7);
    const cutOff = '2020-03-15';
    const atTheTime = new EvaluationReports({
      database,
      eventStore: store,
      now: () => new Date('2020-03-15T22:59:59.999Z'),
    });
    const liveThen = await snapshot(database, liveTables(evaluationProjection));
    const liveFull = await atTheTime.report({ from: '2020-03', to: '2020-03' }, FULL);
    // Evaluators get a month once it has ended: a mid-month figure would differ from the month's by a few days.
    await expect(atTheTime.report({ month: '2020-03' }, EVALUATOR)).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
      field: 'month',
    });
    expect(liveFull.lines[0]!.headline.contacts).toBeGreaterThan(20);

    // The log goes on past the date; the live model follows it.
    await fortnight(history, 16, 14, cases);
    await projectLive(database, store);
    const liveNow = await snapshot(database, liveTables(evaluationProjection));
    expect(liveNow).not.toEqual(liveThen);

    await untilVisible(database, store);
    const replayed = await withAsOfReplay(database, store, '2020-03-15T22:59:59.999Z', (tables) =>
      snapshot(database, tables),
    );
    expect(replayed).toEqual(liveThen);

    const reports = new EvaluationReports({ database, eventStore: store, now: () => new Date('2026-01-01T00:00:00Z') });
    const replayFull = await reports.report({ month: '2020-03', asOf: cutOff }, FULL);
    await expect(reports.report({ month: '2020-03', asOf: cutOff }, EVALUATOR)).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
      field: 'month',
    });
    expect(replayFull.asOf).toBe('2020-03-15T22:59:59.999Z');
    // The same figures; each says which log it came from (the live model's checkpoint, the replay's head).
    expect({ ...replayFull, asOf: null, log: null }).toEqual({ ...liveFull, log: null });
    expect(liveFull.log.position).toMatch(/^\d+:\d+$/);

    expect(await snapshot(database, liveTables(evaluationProjection) as TableNames<EvaluationTable>)).toEqual(liveNow);
    const { rows } = await sql<{
      name: string;
    }>`select nspname as name from pg_namespace where nspname like 'evaluation_asof_%'`.execute(database.db);
    expect(rows).toEqual([]);
  });

  it('drops the schema of a replay whose process died hours ago, not one that may still be running', async () => {
    const seconds = (ms: number) => Math.floor(ms / 1000);
    const abandoned = `evaluation_asof_${seconds(Date.now() - ABANDONED_AS_OF_AFTER_MS - 60_000)}_0badc0de`;
    const recent = `evaluation_asof_${seconds(Date.now() - 60_000)}_00c0ffee`;
    for (const name of [abandoned, recent]) {
      await sql`create schema ${sql.id(name)}`.execute(database.db);
      await sql`create table ${sql.id(name, 'evaluation_cases')} (case_id text)`.execute(database.db);
    }
    try {
      await untilVisible(database, store);
      await withAsOfReplay(database, store, '2020-03-20T22:59:59.999Z', async () => undefined);
      const { rows } = await sql<{
        name: string;
      }>`select nspname as name from pg_namespace where nspname like 'evaluation_asof_%' order by 1`.execute(
        database.db,
      );
      expect(rows.map((row) => row.name)).toEqual([recent]);
    } finally {
      for (const name of [abandoned, recent])
        await sql`drop schema if exists ${sql.id(name)} cascade`.execute(database.db);
    }
  });

  it('gives byte-identical JSON, CSV and HTML for the same log and date', async () => {
    const reports = new EvaluationReports({ database, eventStore: store });
    const render = async () => {
      const report = await reports.report({ month: '2020-03', asOf: '2020-04-30' }, EVALUATOR);
      return [renderReportJson(report), renderReportCsv(report), renderReportHtml(report)];
    };
    const [first, second] = [await render(), await render()];
    expect(second).toEqual(first);
    expect(first[0]).toContain('"asOf": "2020-04-30T21:59:59.999Z"');
  });

  it('counts what occurred by the date, even when it was recorded later', async () => {
    const reports = new EvaluationReports({ database, eventStore: store });
    const before = await reports.report({ month: '2020-03', asOf: '2020-03-10' }, FULL);
    const history = new CaseHistory(store);
    // Entered today, but the call came in on 9 March.
    await history.open(rome('2020-03-09T15:00'), { callerType: 'social_or_health_worker' });
    // A replay reads the log up to the head readers can see; under load that trails the last commit a moment.
    await untilVisible(database, store);
    const after = await reports.report({ month: '2020-03', asOf: '2020-03-10' }, FULL);
    expect(after.lines[0]!.headline.firstContacts).toBe(before.lines[0]!.headline.firstContacts! + 1);
  });

  it('reproduces a published report byte for byte from its log position, late entries or not', async () => {
    const reports = new EvaluationReports({ database, eventStore: store });
    const render = (report: EvaluationReport) => [
      renderReportJson(report),
      renderReportCsv(report),
      renderReportHtml(report),
    ];
    await untilVisible(database, store);
    const published = await reports.report({ month: '2020-03', asOf: '2020-03-31' }, EVALUATOR);
    const publishedFiles = render(published);
    expect(published.log.position).toBe(formatPosition(await store.headPosition()));
    expect(published.log.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const file of publishedFiles) expect(file).toContain(published.log.position);

    // Entries written after publication, about calls before the date.
    const history = new CaseHistory(store);
    for (let late = 0; late < 6; late++)
      await history.open(rome(`2020-03-2${late % 4}T16:00`), { callerType: 'social_or_health_worker' });
    await untilVisible(database, store);

    const knownNow = await reports.report({ month: '2020-03', asOf: '2020-03-31' }, EVALUATOR);
    expect(knownNow.log.position).not.toBe(published.log.position);
    expect(knownNow.lines[0]!.headline.firstContacts).not.toBe(published.lines[0]!.headline.firstContacts);
    const asPublished = await reports.report(
      { month: '2020-03', asOf: '2020-03-31', upToPosition: published.log.position },
      EVALUATOR,
    );
    expect(render(asPublished)).toEqual(publishedFiles);

    await expect(
      reports.report({ month: '2020-03', asOf: '2020-03-31', upToPosition: '99999999999:1' }, EVALUATOR),
    ).rejects.toMatchObject({ code: 'INVALID_POSITION', field: 'upToPosition' });
    await expect(
      reports.report({ month: '2020-03', upToPosition: published.log.position }, EVALUATOR),
    ).rejects.toMatchObject({ code: 'INVALID_POSITION', field: 'upToPosition' });
  });

  it('rebuilds the whole history under a new definition when the projection version is raised', async () => {
    await projectLive(database, store);
    const live = liveTables(evaluationProjection) as TableNames<EvaluationTable>;
    await sql`update evaluation_contacts set channel = 'stale definition'`.execute(database.db);
    const next = new ProjectionRunner({
      database,
      eventStore: store,
      projections: [{ ...evaluationProjection, version: evaluationProjection.version + 1 }],
      metrics: false,
      minPollMs: 1,
      maxPollMs: 20,
    });
    try {
      await next.start();
      // The stored version is older: the runner rebuilds from the whole log, then swaps the new tables in.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const status = (await next.status()).find((s) => s.name === evaluationProjection.name)!;
        if (status.storedVersion === evaluationProjection.version + 1) break;
        if (Date.now() > deadline) throw new Error('the rebuild did not finish');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await next.stop();
    }
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from evaluation_contacts where channel = 'stale definition'`.execute(database.db);
    expect(rows[0]!.n).toBe(0);
    expect(await snapshot(database, live)).toEqual(
      await withAsOfReplay(database, store, '2100-01-01T00:00:00Z', (tables) => snapshot(database, tables)),
    );
  });
});
