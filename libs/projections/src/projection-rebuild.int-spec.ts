import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { ProjectionFailedError, ProjectionRebuildInProgressError } from './projection.errors';
import type { RebuildProgress } from './projection-rebuild';
import { ProjectionRunner, ProjectionStatus } from './projection-runner';
import { liveTables } from './table-names';
import { createCountingProjection } from './testing/counting-projection';
import {
  appendEvents,
  cleanReplay,
  countRows,
  lastPosition,
  snapshotTables,
  testRunner,
  waitUntil,
} from './testing/projection-test-kit';

describe('Rebuilding a projection', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const runners: ProjectionRunner[] = [];
  const runner = (options: Omit<Parameters<typeof testRunner>[0], 'database' | 'eventStore'>) => {
    const created = testRunner({ database, eventStore: store, ...options });
    runners.push(created);
    return created;
  };
  const tableExists = async (name: string) =>
    (await sql<{ found: string | null }>`select to_regclass(${name})::text as found`.execute(database.db)).rows[0]!
      .found !== null;
  const indexesOf = async (table: string) =>
    (
      await sql<{
        indexname: string;
      }>`select indexname from pg_indexes where tablename = ${table} order by indexname`.execute(database.db)
    ).rows.map((row) => row.indexname);

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
  });
  afterEach(async () => {
    for (const created of runners.splice(0)) await created.stop();
  });
  afterAll(async () => {
    await store.close();
    await database.close();
  });

  it('rebuilds while queries and appends go on: every query answers, none sees a half-built table', async () => {
    const projection = createCountingProjection({
      name: 'rebuilt',
      handles: ['RebuiltA', 'RebuiltB'],
      checkStreamGaps: true,
    });
    const projector = runner({ projections: [projection], batchSize: 5 });
    await projector.start();
    const initial = await appendEvents(store, 60, { streams: 6, type: (i) => (i % 3 ? 'RebuiltA' : 'RebuiltB') });
    expect(await projector.waitForPosition('rebuilt', lastPosition(initial), 30_000)).toBe(true);
    const countBefore = await countRows(database, projection.tableNames.applied);
    const indexesBefore = await indexesOf(projection.tableNames.applied);

    let rebuilding = true;
    const seen: number[] = [];
    const queryErrors: unknown[] = [];
    const queries = (async () => {
      while (rebuilding) {
        try {
          seen.push(await countRows(database, projection.tableNames.applied));
        } catch (error) {
          queryErrors.push(error);
        }
      }
    })();
    const appends = (async () => {
      const appended = [];
      for (let round = 0; round < 5; round++)
        appended.push(...(await appendEvents(store, 4, { streams: 2, type: 'RebuiltA' })));
      return appended;
    })();
    const progress: RebuildProgress[] = [];
    const statusesDuring: ProjectionStatus[] = [];
    const result = await projector.rebuild('rebuilt', {
      onProgress: async (step) => {
        progress.push(step);
        if (progress.length === 3) statusesDuring.push(await projector.statusOf('rebuilt'));
      },
    });
    const during = await appends;
    expect(await projector.waitForPosition('rebuilt', lastPosition(during), 30_000)).toBe(true);
    rebuilding = false;
    await queries;

    expect(queryErrors).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(countBefore);
    seen.forEach((count, index) => index > 0 && expect(count).toBeGreaterThanOrEqual(seen[index - 1]!));

    expect(statusesDuring[0]).toMatchObject({ status: 'rebuilding', rebuild: { version: 1, active: true } });
    expect(statusesDuring[0]!.rebuild!.progress).toBeGreaterThan(0);
    expect(statusesDuring[0]!.rebuild!.progress).toBeLessThan(1);
    expect(progress[progress.length - 1]!.phase).toBe('swapped');
    expect(result.eventsApplied).toBeGreaterThanOrEqual(60);

    const after = await projector.statusOf('rebuilt');
    expect(after).toMatchObject({ status: 'running', storedVersion: 1, rebuild: null, error: null });
    expect(await countRows(database, projection.tableNames.applied)).toBe(80);
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(
      await cleanReplay(database, store, projection, after.position),
    );
    expect(await tableExists(`${projection.tableNames.applied}__rebuild`)).toBe(false);
    expect(await tableExists(`${projection.tableNames.applied}__retired`)).toBe(false);
    expect(await indexesOf(projection.tableNames.applied)).toEqual(indexesBefore);

    // The swapped-in tables carry the live names for their indexes too, so the next rebuild can create its shadow.
    await projector.rebuild('rebuilt');
    expect(await countRows(database, projection.tableNames.applied)).toBe(80);
    expect(await indexesOf(projection.tableNames.applied)).toEqual(indexesBefore);
  });

  it('rebuilds a projection whose version was raised, at start-up', async () => {
    const v1 = createCountingProjection({ name: 'versioned', handles: ['VersionedA'], version: 1, weight: 1 });
    const old = runner({ projections: [v1] });
    await old.start();
    const appended = await appendEvents(store, 12, { type: 'VersionedA' });
    expect(await old.waitForPosition('versioned', lastPosition(appended), 20_000)).toBe(true);
    await old.stop();

    const v2 = createCountingProjection({ name: 'versioned', handles: ['VersionedA'], version: 2, weight: 10 });
    const upgraded = runner({ projections: [v2] });
    await upgraded.start();
    await waitUntil(
      async () => (await upgraded.statusOf('versioned')).storedVersion === 2,
      20_000,
      'the rebuild to version 2',
    );

    const types = await database.db.selectFrom(v2.tableNames.types).selectAll().execute();
    expect(types).toEqual([{ event_type: 'VersionedA', events: 120 }]);
    const more = await appendEvents(store, 1, { type: 'VersionedA' });
    expect(await upgraded.waitForPosition('versioned', lastPosition(more), 20_000)).toBe(true);
    expect(await database.db.selectFrom(v2.tableNames.types).select('events').executeTakeFirst()).toEqual({
      events: 130,
    });
    expect(await upgraded.statusOf('versioned')).toMatchObject({
      status: 'running',
      version: 2,
      storedVersion: 2,
      rebuild: null,
    });

    // The old code stands by rather than feeding version-2 tables.
    const stale = runner({ projections: [v1], ownerId: 'stale' });
    await stale.start();
    const last = await appendEvents(store, 1, { type: 'VersionedA' });
    expect(await upgraded.waitForPosition('versioned', lastPosition(last), 20_000)).toBe(true);
    expect(await database.db.selectFrom(v2.tableNames.types).select('events').executeTakeFirst()).toEqual({
      events: 140,
    });
  });

  it('stops a rebuild at an event it cannot apply, keeps the live tables answering, and resumes after retry', async () => {
    let poisoned = false;
    const projection = createCountingProjection({
      name: 'fragile',
      handles: ['FragileA'],
      failOn: (event) => poisoned && (event.data as { n: number }).n === 15,
    });
    const projector = runner({ projections: [projection], batchSize: 4 });
    await projector.start();
    const appended = await appendEvents(store, 30, { type: 'FragileA' });
    expect(await projector.waitForPosition('fragile', lastPosition(appended), 20_000)).toBe(true);
    const live = await snapshotTables(database, projection, liveTables(projection));

    poisoned = true;
    const failure = await projector.rebuild('fragile').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProjectionFailedError);
    expect((failure as ProjectionFailedError).eventId).toBe(appended[15]!.events[0]!.id);
    const failed = await projector.statusOf('fragile');
    expect(failed).toMatchObject({
      status: 'failed',
      error: { eventId: appended[15]!.events[0]!.id, message: 'rebuild: CountingPoisonError [TEST_POISON]' },
    });
    expect(failed.rebuild).toMatchObject({ active: false, eventsApplied: 15, position: appended[14]!.position });
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(live);

    poisoned = false;
    expect(await projector.retry('fragile')).toBe(true);
    const progress: RebuildProgress[] = [];
    const result = await projector.rebuild('fragile', { onProgress: (step) => void progress.push(step) });
    expect(progress[0]!.eventsApplied).toBeGreaterThan(15);
    expect(result.eventsApplied).toBe(30);
    expect(await projector.statusOf('fragile')).toMatchObject({ status: 'running', error: null, rebuild: null });
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(live);
  });

  it('resumes a rebuild whose process died, once its lease has expired', async () => {
    const projection = createCountingProjection({ name: 'orphaned', handles: ['OrphanedA'] });
    const appended = await appendEvents(store, 40, { type: 'OrphanedA' });
    const dying = runner({ projections: [projection], batchSize: 5, ownerId: 'dying', leaseMs: 1_000 });
    let killing: Promise<void> | undefined;
    const rebuild = dying.rebuild('orphaned', {
      onProgress: (step) => {
        if (step.eventsApplied >= 10 && !killing) killing = dying.abort();
      },
    });
    await expect(rebuild).rejects.toMatchObject({ code: 'PROJECTION_RUNNER_STOPPED' });
    await killing;

    const taker = runner({ projections: [projection], batchSize: 5, ownerId: 'taker' });
    const orphan = await taker.statusOf('orphaned');
    expect(orphan.status).toBe('rebuilding');
    expect(orphan.rebuild).toMatchObject({ owner: 'dying/rebuild', eventsApplied: 10 });
    await expect(taker.rebuild('orphaned')).rejects.toBeInstanceOf(ProjectionRebuildInProgressError);

    await waitUntil(
      async () => !(await taker.statusOf('orphaned')).rebuild?.active,
      20_000,
      'the dead rebuild lease to expire',
    );
    const progress: RebuildProgress[] = [];
    const result = await taker.rebuild('orphaned', { onProgress: (step) => void progress.push(step) });
    expect(progress[0]!.eventsApplied).toBe(15);
    expect(result.eventsApplied).toBe(40);
    expect(await countRows(database, projection.tableNames.applied)).toBe(40);
    expect(await taker.statusOf('orphaned')).toMatchObject({
      status: 'running',
      rebuild: null,
      position: lastPosition(appended),
    });
  });
});
