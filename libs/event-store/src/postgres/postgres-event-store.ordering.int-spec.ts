import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, testEngine, TestDatabase } from '@helpline/database';
import { comparePositions, RecordedEvent, START_OF_LOG } from '../event-store.port';
import { eventually } from '../testing/eventually';
import { PostgresEventStore } from './postgres-event-store';

// These tests hold a transaction open while others commit: that needs a server with many sessions.
// PGlite is one session, where no two transactions ever overlap, so the hazard cannot arise there.
const onServer = testEngine() === 'postgres';
if (!onServer) {
  process.stderr.write(
    '[skip] late-commit ordering tests need a PostgreSQL server: set DATABASE_URL to run them (PGlite runs one transaction at a time)\n',
  );
}
const describeOnServer = onServer ? describe : describe.skip;

async function rawClient(database: TestDatabase): Promise<Client> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return client;
}

/** What the adapter does in one append, split so that the test decides when it commits. */
async function beginSlowAppend(client: Client, streamId: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(`INSERT INTO event_streams (stream_id, version) VALUES ($1, 1)`, [streamId]);
  await client.query(
    `INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at)
     VALUES ($1, $2, 1, 'SlowWriter', 1, '{}', '{"actorId":"t","actorRole":"operator"}', now())`,
    [randomUUID(), streamId],
  );
}

describeOnServer('PostgreSQL log ordering under late commits', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
  });
  afterAll(async () => {
    await store?.close();
    await database?.close();
  });

  it('holds back an event that committed first until an older, slower transaction commits, then reads both in order', async () => {
    const head = await store.headPosition();
    const slow = await rawClient(database);
    const slowStream = `slow-${randomUUID()}`;
    const fastStream = `fast-${randomUUID()}`;
    try {
      await beginSlowAppend(slow, slowStream); // takes the lower global_position
      await store.append(
        fastStream,
        [
          {
            type: 'FastWriter',
            schemaVersion: 1,
            data: {},
            metadata: { actorId: 't', actorRole: 'operator' },
            occurredAt: new Date().toISOString(),
          },
        ],
        {
          expectedVersion: 'no_stream',
        },
      );

      // A reader that trusted the sequence alone would now see the fast event and move past the slow one.
      const naive = await database.db
        .selectFrom('events')
        .select(['stream_id', 'global_position'])
        .where('global_position', '>', head.prepare)
        .orderBy('global_position')
        .execute();
      expect(naive.map((r: { stream_id: string }) => r.stream_id)).toEqual([fastStream]);

      expect(await store.readAll({ after: head, limit: 10 })).toEqual([]);

      await slow.query('COMMIT');
      let read: RecordedEvent[] = [];
      await eventually(async () => (read = await store.readAll({ after: head, limit: 10 })).length >= 2);
      expect(read.map((e) => e.streamId)).toEqual([slowStream, fastStream]);
      expect(read[0]!.position.prepare).toBeLessThan(read[1]!.position.prepare);
    } finally {
      await slow.query('ROLLBACK').catch(() => undefined);
      await slow.end();
    }
  });

  it('gives a tailing reader every event exactly once while writers commit in random order', async () => {
    const writers = 8;
    const transactionsPerWriter = 40;
    const total = writers * transactionsPerWriter;
    const runTag = randomUUID();
    const from = await store.headPosition();
    const clients = await Promise.all(Array.from({ length: writers }, () => rawClient(database)));
    const seen: RecordedEvent[] = [];
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    const reader = (async () => {
      for await (const batch of store.subscribe({ after: from, batchSize: 50, signal: controller.signal })) {
        seen.push(...batch);
        if (seen.filter((e) => (e.data as { runTag?: string }).runTag === runTag).length >= total) break;
      }
    })();
    try {
      await Promise.all(
        clients.map(async (client, writer) => {
          for (let i = 0; i < transactionsPerWriter; i++) {
            const streamId = `race-${writer}-${i}-${randomUUID()}`;
            await client.query('BEGIN');
            await client.query(`INSERT INTO event_streams (stream_id, version) VALUES ($1, 1)`, [streamId]);
            await client.query(
              `INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at)
               VALUES ($1, $2, 1, 'Race', 1, $3, '{"actorId":"t","actorRole":"operator"}', now())`,
              [randomUUID(), streamId, JSON.stringify({ runTag })],
            );
            // Sleep between taking a position and committing, so that commits land out of position order.
            await client.query('SELECT pg_sleep($1)', [Math.random() * 0.02]);
            await client.query('COMMIT');
          }
        }),
      );
      await reader;
    } finally {
      clearTimeout(timer);
      controller.abort();
      await Promise.all(clients.map((client) => client.end()));
    }
    const mine = seen.filter((e) => (e.data as { runTag?: string }).runTag === runTag);
    expect(mine).toHaveLength(total);
    expect(new Set(mine.map((e) => e.id)).size).toBe(total);
    expect(seen.every((e, i) => i === 0 || comparePositions(seen[i - 1]!.position, e.position) < 0)).toBe(true);
    // The sleeps did reorder commits: at least one event was read after an event with a higher sequence number.
    const outOfSequence = mine.some((e, i) => i > 0 && e.position.prepare < mine[i - 1]!.position.prepare);
    expect(outOfSequence).toBe(true);
    expect(comparePositions(from, START_OF_LOG)).toBeGreaterThanOrEqual(0);
  });
});
