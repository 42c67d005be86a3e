import { Registry } from 'prom-client';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { comparePositions } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { ProjectionRunner } from './projection-runner';
import { replayProjection } from './replay';
import { liveTables, tablesInSchema } from './table-names';
import { createCountingProjection } from './testing/counting-projection';
import {
  appendEvents,
  cleanReplay,
  countRows,
  gate,
  lastPosition,
  metricValue,
  snapshotTables,
  testRunner,
  waitUntil,
} from './testing/projection-test-kit';

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const runners: ProjectionRunner[] = [];
  const runner = (options: Omit<Parameters<typeof testRunner>[0], 'database' | 'eventStore'>) => {
    const created = testRunner({ database, eventStore: store, ...options });
    runners.push(created);
    return created;
  };

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

  it('applies every event it handles once, with its checkpoint, and moves past the events it does not handle', async () => {
    const projection = createCountingProjection({ name: 'once', handles: ['OnceA', 'OnceB'], checkStreamGaps: true });
    const projector = runner({ projections: [projection], batchSize: 7 });
    await projector.start();
    const handled = await appendEvents(store, 30, { streams: 3, type: (i) => (i % 2 ? 'OnceA' : 'OnceB') });
    const unhandled = await appendEvents(store, 5, { type: 'OnceOther' });

    expect(await projector.waitForPosition('once', lastPosition(unhandled), 20_000)).toBe(true);

    const applied = await database.db.selectFrom(projection.tableNames.applied).select('event_id').execute();
    expect(applied.map((row) => row.event_id).sort()).toEqual(handled.map((r) => r.events[0]!.id).sort());
    const types = await database.db.selectFrom(projection.tableNames.types).selectAll().orderBy('event_type').execute();
    expect(types).toEqual([
      { event_type: 'OnceA', events: 15 },
      { event_type: 'OnceB', events: 15 },
    ]);
    const [status] = await projector.status();
    expect(status).toMatchObject({
      name: 'once',
      status: 'running',
      lagEvents: 0,
      lagSeconds: 0,
      error: null,
      drivenHere: true,
    });
    expect(comparePositions(status!.position, lastPosition(unhandled))).toBeGreaterThanOrEqual(0);
    expect(status!.lastEventAt).toBe(handled[handled.length - 1]!.events[0]!.recordedAt);
  });

  it('a worker killed between apply and commit loses only that batch; the next worker resumes where it committed', async () => {
    const drill = gate();
    let batches = 0;
    const gated = createCountingProjection({
      name: 'killed',
      handles: ['KilledA'],
      checkStreamGaps: true,
      afterWrite: async () => {
        batches += 1;
        if (batches === 2) await drill.wait();
      },
    });
    const appended = await appendEvents(store, 25, { streams: 2, type: 'KilledA' });
    const first = runner({ projections: [gated], batchSize: 10, ownerId: 'worker-1' });
    await first.start();
    await drill.reached;
    // The second batch's rows are written but not committed: the worker dies now.
    const dying = first.abort();
    drill.open();
    await dying;

    expect(await countRows(database, gated.tableNames.applied)).toBe(10);
    const [afterKill] = await runner({ projections: [gated], metrics: false }).status();
    expect(afterKill!.position).toEqual(appended[9]!.position);
    expect(afterKill!.leaseOwner).toBe('worker-1');

    const projection = createCountingProjection({ name: 'killed', handles: ['KilledA'], checkStreamGaps: true });
    const second = runner({ projections: [projection], batchSize: 10, ownerId: 'worker-2' });
    await second.start();
    expect(await second.waitForPosition('killed', lastPosition(appended), 20_000)).toBe(true);

    const [status] = await second.status();
    expect(status).toMatchObject({ status: 'running', error: null, leaseOwner: 'worker-2' });
    expect(await countRows(database, projection.tableNames.applied)).toBe(25);
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(
      await cleanReplay(database, store, projection, status!.position),
    );
  });

  it('stops a projection at an event it cannot apply, records no personal data, keeps the others running, and resumes on retry', async () => {
    let poisoned = true;
    const failing = createCountingProjection({
      name: 'fails',
      handles: ['FailsA'],
      failOn: (event) => poisoned && (event.data as { poison?: boolean }).poison === true,
    });
    const healthy = createCountingProjection({ name: 'healthy', handles: ['FailsA'] });
    const before = await appendEvents(store, 5, { type: 'FailsA' });
    const [poison] = await appendEvents(store, 1, {
      type: 'FailsA',
      data: () => ({ poison: true, caller: 'Mario Rossi' }),
    });
    const after = await appendEvents(store, 4, { type: 'FailsA' });
    const registry = new Registry();
    const projector = runner({ projections: [failing, healthy], batchSize: 100, metrics: registry });
    await projector.start();

    expect(await projector.waitForPosition('healthy', lastPosition(after), 20_000)).toBe(true);
    await waitUntil(
      async () => (await projector.statusOf('fails')).status === 'failed',
      20_000,
      'the projection to fail',
    );
    const failed = await projector.statusOf('fails');
    expect(failed.error?.eventId).toBe(poison!.events[0]!.id);
    expect(failed.error?.message).toBe('CountingPoisonError [TEST_POISON]');
    expect(JSON.stringify(failed)).not.toContain('Mario');
    // Stopped right before the event: the events before it are applied, its own partial writes and the rest are not.
    expect(failed.position).toEqual(before[4]!.position);
    expect(await countRows(database, failing.tableNames.applied)).toBe(5);
    expect(failed.lagEvents).toBe(5);
    expect(await metricValue(registry, 'helpline_projection_failed', 'fails')).toBe(1);
    expect(await metricValue(registry, 'helpline_projection_failed', 'healthy')).toBe(0);

    const more = await appendEvents(store, 3, { type: 'FailsA' });
    expect(await projector.waitForPosition('healthy', lastPosition(more), 20_000)).toBe(true);
    expect(await countRows(database, healthy.tableNames.applied)).toBe(13);
    expect(await projector.waitForPosition('fails', lastPosition(more), 100)).toBe(false);
    expect((await projector.statusOf('fails')).position).toEqual(before[4]!.position);

    poisoned = false;
    expect(await projector.retry('fails')).toBe(true);
    expect(await projector.waitForPosition('fails', lastPosition(more), 20_000)).toBe(true);
    const resumed = await projector.statusOf('fails');
    expect(resumed).toMatchObject({ status: 'running', error: null, lagEvents: 0 });
    expect(await countRows(database, failing.tableNames.applied)).toBe(13);
    expect(await metricValue(registry, 'helpline_projection_failed', 'fails')).toBe(0);
    expect(await projector.retry('fails')).toBe(false);
  });

  it('waitForPosition answers false after its timeout while the projection is paused, and true once it catches up', async () => {
    const projection = createCountingProjection({ name: 'waited', handles: ['WaitedA'] });
    const projector = runner({ projections: [projection] });
    await projector.start();
    expect(await projector.pause('waited')).toBe(true);
    const appended = await appendEvents(store, 3, { type: 'WaitedA' });

    expect(await projector.waitForPosition('waited', lastPosition(appended), 150)).toBe(false);
    expect((await projector.statusOf('waited')).status).toBe('stopped');
    expect(await countRows(database, projection.tableNames.applied)).toBe(0);

    expect(await projector.resume('waited')).toBe(true);
    expect(await projector.waitForPosition('waited', lastPosition(appended), 20_000)).toBe(true);
    expect(await countRows(database, projection.tableNames.applied)).toBe(3);
    // A position it has passed answers at once.
    expect(await projector.waitForPosition('waited', appended[0]!.position, 0)).toBe(true);
  });

  it('replays a projection into a separate schema up to a cut-off and leaves the live tables untouched', async () => {
    const projection = createCountingProjection({ name: 'asof', handles: ['AsOfA'] });
    const projector = runner({ projections: [projection] });
    await projector.start();
    const january = await appendEvents(store, 4, { type: 'AsOfA', occurredAt: () => '2020-01-15T10:00:00.000Z' });
    const march = await appendEvents(store, 6, { type: 'AsOfA', occurredAt: () => '2020-03-15T10:00:00.000Z' });
    expect(await projector.waitForPosition('asof', lastPosition(march), 20_000)).toBe(true);
    await projector.stop();
    const live = await snapshotTables(database, projection, liveTables(projection));

    const tables = tablesInSchema(projection, 'asof_2020_02');
    const result = await replayProjection({
      database,
      eventStore: store,
      projection,
      tables,
      until: (event) => event.occurredAt <= '2020-02-01T00:00:00.000Z',
    });

    expect(result.eventsApplied).toBe(4);
    const replayed = await database.db.selectFrom(tables[projection.tableNames.applied]!).select('event_id').execute();
    expect(replayed.map((row) => row.event_id).sort()).toEqual(january.map((r) => r.events[0]!.id).sort());
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(live);
    await expect(
      replayProjection({ database, eventStore: store, projection, tables: liveTables(projection) }),
    ).rejects.toMatchObject({
      code: 'PROJECTION_DEFINITION',
    });
    await expect(replayProjection({ database, eventStore: store, projection, tables })).rejects.toMatchObject({
      code: 'PROJECTION_DEFINITION',
    });
    const again = await replayProjection({ database, eventStore: store, projection, tables, replaceExisting: true });
    expect(again.eventsApplied).toBe(10);
  });

  it("never drops a table it finds under a new projection's name", async () => {
    const projection = createCountingProjection({ name: 'squatter', handles: ['SquatterA'] });
    await database.db.schema.createTable(projection.tableNames.types).addColumn('precious', 'text').execute();
    await database.db.insertInto(projection.tableNames.types).values({ precious: 'keep me' }).execute();

    await expect(runner({ projections: [projection] }).start()).rejects.toMatchObject({
      code: 'PROJECTION_DEFINITION',
    });
    expect(await database.db.selectFrom(projection.tableNames.types).selectAll().execute()).toEqual([
      { precious: 'keep me' },
    ]);
    expect((await runner({ projections: [projection] }).statusOf('squatter')).storedVersion).toBeNull();
  });
});
