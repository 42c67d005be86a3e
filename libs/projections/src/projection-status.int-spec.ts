import { Registry } from 'prom-client';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { START_OF_LOG } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { ProjectionRunner } from './projection-runner';
import { createCountingProjection } from './testing/counting-projection';
import { appendEvents, lastPosition, metricValue, testRunner } from './testing/projection-test-kit';

describe('Projection status and metrics', () => {
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

  it('reports position, lag in handled events and in seconds, and exports them as metrics', async () => {
    const projection = createCountingProjection({ name: 'lagging', handles: ['LaggingA'] });
    const handled = await appendEvents(store, 5, { type: 'LaggingA' });
    const unhandled = await appendEvents(store, 3, { type: 'LaggingOther' });
    const oldestRecordedAt = Date.parse(handled[0]!.events[0]!.recordedAt);
    const registry = new Registry();
    const projector = runner({
      projections: [projection],
      metrics: registry,
      now: () => new Date(oldestRecordedAt + 60_000),
    });
    await projector.initialize();

    const [before] = await projector.status();
    expect(before).toMatchObject({
      name: 'lagging',
      version: 1,
      storedVersion: 1,
      status: 'running',
      position: START_OF_LOG,
      lagEvents: 5,
      lagEventsCapped: false,
      lagSeconds: 60,
      lastEventAt: null,
      leaseOwner: null,
      drivenHere: false,
      error: null,
      rebuild: null,
    });
    expect(await metricValue(registry, 'helpline_projection_lag_events', 'lagging')).toBe(5);
    expect(await metricValue(registry, 'helpline_projection_lag_seconds', 'lagging')).toBe(60);
    expect(await metricValue(registry, 'helpline_projection_failed', 'lagging')).toBe(0);

    const capped = runner({ projections: [projection], metrics: false, lagCountLimit: 2 });
    expect((await capped.statusOf('lagging')).lagEvents).toBe(2);
    expect((await capped.statusOf('lagging')).lagEventsCapped).toBe(true);

    await projector.start();
    expect(await projector.waitForPosition('lagging', lastPosition(unhandled), 20_000)).toBe(true);
    const after = await projector.statusOf('lagging');
    // Caught up: the checkpoint moved past the events it does not handle, to the head of the log.
    expect(after).toMatchObject({
      lagEvents: 0,
      lagSeconds: 0,
      position: lastPosition(unhandled),
      lastEventAt: handled[4]!.events[0]!.recordedAt,
      drivenHere: true,
    });
    expect(await metricValue(registry, 'helpline_projection_lag_events', 'lagging')).toBe(0);
    expect(await metricValue(registry, 'helpline_projection_lag_seconds', 'lagging')).toBe(0);
    expect(await metricValue(registry, 'helpline_projection_events_applied_total', 'lagging')).toBe(5);
    expect(await metricValue(registry, 'helpline_projection_position', 'lagging')).toBe(lastPosition(unhandled).commit);
    expect(await registry.metrics()).toContain('helpline_projection_lag_events{projection="lagging"} 0');
  });

  it('reports a projection that was never started as stopped at the start of the log', async () => {
    const projection = createCountingProjection({ name: 'unborn', handles: ['UnbornA'] });
    const [status] = await runner({ projections: [projection] }).status();
    expect(status).toMatchObject({
      name: 'unborn',
      storedVersion: null,
      status: 'stopped',
      position: START_OF_LOG,
      lagEvents: 0,
    });
  });

  it('shares one registry between runners in a process', async () => {
    const registry = new Registry();
    const a = runner({
      projections: [createCountingProjection({ name: 'shared_a', handles: ['SharedA'] })],
      metrics: registry,
    });
    const b = runner({
      projections: [createCountingProjection({ name: 'shared_b', handles: ['SharedB'] })],
      metrics: registry,
    });
    await a.status();
    await b.status();
    expect(await metricValue(registry, 'helpline_projection_lag_events', 'shared_a')).toBe(0);
    expect(await metricValue(registry, 'helpline_projection_lag_events', 'shared_b')).toBe(0);
  });
});
