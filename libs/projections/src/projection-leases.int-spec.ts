import { Registry } from 'prom-client';
import { createTestDatabase, Database, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { ProjectionRunner } from './projection-runner';
import { liveTables } from './table-names';
import { createCountingProjection } from './testing/counting-projection';
import {
  appendEvents,
  cleanReplay,
  countRows,
  lastPosition,
  metricValue,
  snapshotTables,
  testRunner,
} from './testing/projection-test-kit';

/** Two processes on one database: each runner has its own connection (on PGlite, the one embedded session). */
describe('ProjectionRunner leadership', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  const runners: ProjectionRunner[] = [];
  const connections: Database[] = [];
  const runnerOnItsOwnConnection = async (
    options: Omit<Parameters<typeof testRunner>[0], 'database' | 'eventStore'>,
  ) => {
    const connection = await database.reconnect();
    const connectionStore = new PostgresEventStore(connection);
    connections.push(connection);
    const created = testRunner({ database: connection, eventStore: connectionStore, ...options });
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

  it('lets one process drive a projection at a time and another take over when it dies; each event is applied once', async () => {
    const projection = createCountingProjection({ name: 'leased', handles: ['LeasedA'], checkStreamGaps: true });
    const registries = { a: new Registry(), b: new Registry() };
    const a = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'process-a',
      metrics: registries.a,
      batchSize: 5,
    });
    const b = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'process-b',
      metrics: registries.b,
      batchSize: 5,
    });
    await a.start();
    await b.start();
    const first = await appendEvents(store, 20, { streams: 4, type: 'LeasedA' });
    expect(await a.waitForPosition('leased', lastPosition(first), 20_000)).toBe(true);

    const [status] = await a.status();
    expect(['process-a', 'process-b']).toContain(status!.leaseOwner);
    const [leader, standby] = status!.leaseOwner === 'process-a' ? [a, b] : [b, a];
    const [leaderRegistry, standbyRegistry] =
      status!.leaseOwner === 'process-a' ? [registries.a, registries.b] : [registries.b, registries.a];
    expect(await metricValue(leaderRegistry, 'helpline_projection_events_applied_total', 'leased')).toBe(20);
    expect(await metricValue(standbyRegistry, 'helpline_projection_events_applied_total', 'leased')).toBeUndefined();

    await leader.abort();
    const second = await appendEvents(store, 20, { streams: 4, type: 'LeasedA' });
    expect(await standby.waitForPosition('leased', lastPosition(second), 20_000)).toBe(true);

    const [after] = await standby.status();
    expect(after).toMatchObject({ status: 'running', error: null, leaseOwner: standby.ownerId, drivenHere: true });
    expect(await metricValue(standbyRegistry, 'helpline_projection_events_applied_total', 'leased')).toBe(20);
    expect(await countRows(database, projection.tableNames.applied)).toBe(40);
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(
      await cleanReplay(database, store, projection, after!.position),
    );
  });

  it('hands the lease over at once when a runner stops cleanly', async () => {
    const projection = createCountingProjection({ name: 'handover', handles: ['HandoverA'] });
    // A long lease: only the release on stop can explain a quick takeover.
    const a = await runnerOnItsOwnConnection({ projections: [projection], ownerId: 'clean-a', leaseMs: 60_000 });
    const b = await runnerOnItsOwnConnection({ projections: [projection], ownerId: 'clean-b', leaseMs: 60_000 });
    await a.start();
    const first = await appendEvents(store, 3, { type: 'HandoverA' });
    expect(await a.waitForPosition('handover', lastPosition(first), 20_000)).toBe(true);
    await b.start();
    await a.stop();
    const second = await appendEvents(store, 3, { type: 'HandoverA' });
    expect(await b.waitForPosition('handover', lastPosition(second), 20_000)).toBe(true);
    expect((await b.statusOf('handover')).leaseOwner).toBe('clean-b');
    expect(await countRows(database, projection.tableNames.applied)).toBe(6);
  });

  it('lets a process restarted under the same identity take its leases back at once after a crash', async () => {
    const projection = createCountingProjection({ name: 'restarted', handles: ['RestartedA'] });
    // A long lease: only the identity can explain a quick takeover, since the crash released nothing.
    const before = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'projector:p-0',
      leaseMs: 60_000,
    });
    await before.start();
    const first = await appendEvents(store, 3, { type: 'RestartedA' });
    expect(await before.waitForPosition('restarted', lastPosition(first), 20_000)).toBe(true);
    await before.abort();
    const stranger = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'projector:p-1',
      leaseMs: 60_000,
    });
    const after = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'projector:p-0',
      leaseMs: 60_000,
    });
    await stranger.start();
    await after.start();
    const second = await appendEvents(store, 3, { type: 'RestartedA' });
    expect(await after.waitForPosition('restarted', lastPosition(second), 20_000)).toBe(true);
    expect((await after.statusOf('restarted')).drivenHere).toBe(true);
    expect((await stranger.statusOf('restarted')).drivenHere).toBe(false);
    expect(await countRows(database, projection.tableNames.applied)).toBe(6);
  });

  it('applies each event once even when two processes both believe they lead', async () => {
    // Same owner id on both (a misconfiguration): the lease cannot tell them apart, only the checkpoint check can.
    const projection = createCountingProjection({ name: 'twins', handles: ['TwinsA'], checkStreamGaps: true });
    const a = await runnerOnItsOwnConnection({ projections: [projection], ownerId: 'twin', batchSize: 3 });
    const b = await runnerOnItsOwnConnection({ projections: [projection], ownerId: 'twin', batchSize: 3 });
    await Promise.all([a.start(), b.start()]);
    const appended = await appendEvents(store, 60, { streams: 5, type: 'TwinsA' });
    expect(await a.waitForPosition('twins', lastPosition(appended), 30_000)).toBe(true);

    expect((await a.statusOf('twins')).error).toBeNull();
    expect(await countRows(database, projection.tableNames.applied)).toBe(60);
    expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(
      await cleanReplay(database, store, projection, (await a.statusOf('twins')).position),
    );
  });

  it('applies each event once when leases expire faster than batches commit', async () => {
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 3));
    const projection = createCountingProjection({
      name: 'flapping',
      handles: ['FlappingA'],
      checkStreamGaps: true,
      afterWrite: slow,
    });
    const a = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'flap-a',
      batchSize: 4,
      leaseMs: 1,
    });
    const b = await runnerOnItsOwnConnection({
      projections: [projection],
      ownerId: 'flap-b',
      batchSize: 4,
      leaseMs: 1,
    });
    await Promise.all([a.start(), b.start()]);
    const appended = await appendEvents(store, 40, { streams: 4, type: 'FlappingA' });
    expect(await a.waitForPosition('flapping', lastPosition(appended), 30_000)).toBe(true);

    expect((await a.statusOf('flapping')).error).toBeNull();
    expect(await countRows(database, projection.tableNames.applied)).toBe(40);
  });
});
