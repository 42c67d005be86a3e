import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import type { Settings } from '@helpline/config';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import type { LogPosition } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { type AnyProjection, liveTables, ProjectionRunner, type ProjectionRunnerOptions } from '@helpline/projections';
import { seedHistory } from '@helpline/seed-history';
import { allProjections } from './projection-runner';

// Seeding the history through the domain takes a while on a shared machine (as in the evaluation's history test).
jest.setTimeout(600_000);

const settings = {
  masterKey: randomBytes(32),
  pseudonymSecret: 'rebuild-fast-path-test-pseudonym-secret-0123456789',
  callbackNumberRetentionHours: 72,
  smallCellThreshold: 5,
  keyStoreDir: mkdtempSync(join(tmpdir(), 'helpline-rebuild-keys-')),
} as Settings;

/**
 * The live path applies the log in small batches, one transaction each; a rebuild by the fast path folds windows
 * of thousands of events per transaction, reads the next window while applying one and (on a PostgreSQL server)
 * fills UNLOGGED shadow tables. Both go through each projection's own `apply`; this shows they give the same rows.
 */
describe('A rebuild by the fast path on the seeded history', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let head: LogPosition;
  let eventCount: number;
  const runners: ProjectionRunner[] = [];
  const runner = (options: Partial<ProjectionRunnerOptions>) => {
    const created = new ProjectionRunner({
      database,
      eventStore: store,
      projections: [...allProjections],
      metrics: new Registry(),
      leaseMs: 2_000,
      standbyPollMs: 20,
      maxPollMs: 50,
      retryMinMs: 10,
      retryMaxMs: 100,
      ...options,
    });
    runners.push(created);
    return created;
  };
  const rowsOf = async (projection: AnyProjection) => {
    const tables = liveTables(projection);
    const snapshot: Record<string, string[]> = {};
    for (const base of projection.tables) {
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(tables[base]!)}`.execute(
        database.db,
      );
      snapshot[base] = rows.map((row) => JSON.stringify(row)).sort();
    }
    return snapshot;
  };
  const persistenceOf = async (table: string) =>
    (
      await sql<{
        persistence: string;
      }>`select relpersistence::text as persistence from pg_class where oid = to_regclass(${table})`.execute(
        database.db,
      )
    ).rows[0]?.persistence;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
    await seedHistory(database, store, settings, { seed: 2019 });
    // The log's last event as written: on a shared server, a transaction open in another database holds the
    // visible head back for a moment, and the rebuilds below must all reach this one.
    const last = await sql<{ commit: string; prepare: string }>`
      select transaction_id::text as commit, global_position::text as prepare from events
      order by transaction_id desc, global_position desc limit 1`.execute(database.db);
    const written = last.rows[0]!;
    for (const deadline = Date.now() + 30_000; ;) {
      head = await store.headPosition();
      if (String(head.commit) === written.commit && String(head.prepare) === written.prepare) break;
      if (Date.now() > deadline) throw new Error('the seeded history did not become visible in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(database.db);
    eventCount = Number(rows[0]!.n);
  });
  afterEach(async () => {
    for (const created of runners.splice(0)) await created.stop();
  });
  afterAll(async () => {
    await store.close();
    await database.close();
  });

  it('gives exactly the rows of the live path, for every read model, in windows of any size', async () => {
    // The live path: batches of 97 events, so that a case's events fall in many batches. The rebuild's windows of
    // 1,000 events are small enough that the case read models' histories span several of them (checked below).
    const window = 1_000;
    const live = runner({ batchSize: 97, rebuildWindow: window });
    await live.start();
    const livePath: Record<string, Record<string, string[]>> = {};
    for (const projection of allProjections) {
      expect(await live.waitForPosition(projection.name, head, 300_000)).toBe(true);
      livePath[projection.name] = await rowsOf(projection);
    }
    expect(eventCount).toBeGreaterThan(3 * window);
    const caseRows = Object.values(livePath['case-queue']!).flat().length;
    expect(caseRows).toBeGreaterThan(0);

    // Rebuilt while the live loop runs: windows of 1,000 events (several, read ahead), then one window for all.
    const windowsFilled: Record<string, number> = {};
    for (const projection of allProjections) {
      const shadowPersistence: Array<string | undefined> = [];
      const result = await live.rebuild(projection.name, {
        onProgress: async (step) => {
          if (step.phase === 'filling')
            shadowPersistence.push(await persistenceOf(`${projection.tables[0]!}__rebuild`));
        },
      });
      windowsFilled[projection.name] = shadowPersistence.length;
      // A read model whose events fill more than one window was folded across window boundaries.
      if (result.eventsApplied > window) expect(shadowPersistence.length).toBeGreaterThan(1);
      expect(result.position).toEqual(head);
      expect(await rowsOf(projection)).toEqual(livePath[projection.name]);
      for (const table of projection.tables) expect(await persistenceOf(table)).toBe('p');
      if (result.eventsApplied > 0) {
        // On a PostgreSQL server the shadow is filled UNLOGGED; PGlite keeps it logged (nothing to gain there).
        expect(shadowPersistence.length).toBeGreaterThan(0);
        expect(new Set(shadowPersistence)).toEqual(new Set([database.kind === 'postgres' ? 'u' : 'p']));
      }
    }
    await live.stop();
    // The case queue holds most of the history: its cases' events fall on both sides of several boundaries.
    expect(windowsFilled['case-queue']).toBeGreaterThanOrEqual(3);

    const oneWindow = runner({ batchSize: 97, rebuildWindow: 1_000_000 });
    for (const projection of allProjections) {
      await oneWindow.rebuild(projection.name);
      expect(await rowsOf(projection)).toEqual(livePath[projection.name]);
    }
  });
});
