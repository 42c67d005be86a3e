import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '../event-store.errors';
import { AppendResult, comparePositions, EventToAppend, RecordedEvent } from '../event-store.port';
import { eventually } from '../testing/eventually';
import { PostgresEventStore } from './postgres-event-store';

const event = (type: string, id?: string): EventToAppend => ({
  ...(id ? { id } : {}),
  type,
  schemaVersion: 1,
  data: { type },
  metadata: { actorId: 'operator-1', actorRole: 'operator' },
  occurredAt: '2020-03-01T10:00:00.000Z',
});

const stream = (name: string) => `${name}-${randomUUID()}`;

describe('PostgreSQL adapter: group commit', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One statement at a time: while the first append of a test is being written, the ones made in the same tick
    // wait, and then all go in one statement.
    store = new PostgresEventStore(database, { groupCommit: { statements: 1 } });
  });
  afterAll(async () => {
    await store?.close();
    await database?.close();
  });

  it('gives each append of a group its own answer: a stale version and a used key fail alone, the others commit', async () => {
    const [stale, retried, otherStreamKey, fresh, next] = [
      stream('stale'),
      stream('retried'),
      stream('other'),
      stream('fresh'),
      stream('next'),
    ];
    const retriedKey = `key-${randomUUID()}`;
    const usedKey = `key-${randomUUID()}`;
    const staleKey = `key-${randomUUID()}`;
    await store.append(stale, [event('Opened')], { expectedVersion: 'no_stream' });
    const first = await store.append(retried, [event('Opened')], {
      expectedVersion: 'no_stream',
      idempotencyKey: retriedKey,
    });
    await store.append(stream('elsewhere'), [event('Opened')], {
      expectedVersion: 'no_stream',
      idempotencyKey: usedKey,
    });
    // The log as written, not as visible yet: on a shared server the visible head may lag behind this append.
    const { position: head } = await store.append(next, [event('Opened')], { expectedVersion: 'no_stream' });

    const [leader, ...group] = await Promise.allSettled([
      store.append(stream('leader'), [event('Leader')], { expectedVersion: 'no_stream' }),
      store.append(stale, [event('Late')], { expectedVersion: 0, idempotencyKey: staleKey }),
      store.append(retried, [event('Opened')], { expectedVersion: 'no_stream', idempotencyKey: retriedKey }),
      store.append(otherStreamKey, [event('Opened')], { expectedVersion: 'no_stream', idempotencyKey: usedKey }),
      store.append(fresh, [event('First'), event('Second')], { expectedVersion: 'no_stream' }),
      store.append(next, [event('Followed')], { expectedVersion: 1, idempotencyKey: `key-${randomUUID()}` }),
      store.append(stream('any'), [event('Any')], { expectedVersion: 'any' }),
    ]);
    expect(leader.status).toBe('fulfilled');
    const [staleOutcome, retriedOutcome, reusedOutcome, freshOutcome, nextOutcome, anyOutcome] = group;

    expect(staleOutcome).toMatchObject({ status: 'rejected', reason: expect.any(StreamVersionConflictError) });
    expect((staleOutcome as PromiseRejectedResult).reason).toMatchObject({ actualVersion: 1, expectedVersion: 0 });
    expect(retriedOutcome).toMatchObject({
      status: 'fulfilled',
      value: { replayed: true, position: first.position, nextExpectedVersion: 1 },
    });
    expect(reusedOutcome).toMatchObject({ status: 'rejected', reason: expect.any(IdempotencyKeyReusedError) });

    const written = [freshOutcome, nextOutcome, anyOutcome].map((outcome) => {
      expect(outcome.status).toBe('fulfilled');
      return (outcome as PromiseFulfilledResult<AppendResult>).value;
    });
    const [freshResult, nextResult, anyResult] = written as [AppendResult, AppendResult, AppendResult];
    // One statement, one commit: the same transaction, each append at a position of its own, in the group's order.
    expect(new Set(written.map((result) => result.position.commit)).size).toBe(1);
    expect(comparePositions(freshResult.position, nextResult.position)).toBeLessThan(0);
    expect(comparePositions(nextResult.position, anyResult.position)).toBeLessThan(0);
    expect(freshResult.events.map((e) => [e.type, e.streamVersion])).toEqual([
      ['First', 1],
      ['Second', 2],
    ]);
    expect(comparePositions(freshResult.events[0]!.position, freshResult.events[1]!.position)).toBeLessThan(0);
    expect(nextResult).toMatchObject({ replayed: false, nextExpectedVersion: 2 });
    expect(nextResult.events[0]!.metadata.idempotencyKey).toBeDefined();
    expect(anyResult.nextExpectedVersion).toBe(1);

    // Nothing of the failed appends is in the log; the log reads the written ones once, in order.
    expect((await store.readStream(stale)).map((e) => e.type)).toEqual(['Opened']);
    expect(await store.readStream(otherStreamKey)).toEqual([]);
    expect(await store.streamVersion(otherStreamKey)).toBe(0);
    let log: RecordedEvent[] = [];
    await eventually(async () => (log = await store.readAll({ after: head, limit: 100 })).length >= 5);
    expect(log.map((e) => e.type)).toEqual(['Leader', 'First', 'Second', 'Followed', 'Any']);
    // The stale append's key was released with it: it can be used again.
    const again = await store.append(stale, [event('Late')], { expectedVersion: 1, idempotencyKey: staleKey });
    expect(again).toMatchObject({ replayed: false, nextExpectedVersion: 2 });
  });

  it('sends each append again alone when one of them fails the whole statement, so only that one fails', async () => {
    const taken = randomUUID();
    await store.append(stream('taken'), [event('Taken', taken)], { expectedVersion: 'no_stream' });
    const [, duplicate, good, alsoGood] = await Promise.allSettled([
      store.append(stream('leader'), [event('Leader')], { expectedVersion: 'no_stream' }),
      store.append(stream('duplicate'), [event('Again', taken)], { expectedVersion: 'no_stream' }),
      store.append(stream('good'), [event('Good')], { expectedVersion: 'no_stream' }),
      store.append(stream('good'), [event('AlsoGood')], { expectedVersion: 'any' }),
    ]);
    expect(duplicate.status).toBe('rejected');
    expect(good.status).toBe('fulfilled');
    expect(alsoGood.status).toBe('fulfilled');
    const duplicateStream = (await database.db
      .selectFrom('events')
      .select('stream_id')
      .where('event_id', '=', taken)
      .execute()) as Array<{ stream_id: string }>;
    expect(duplicateStream).toHaveLength(1);
    expect(duplicateStream[0]!.stream_id).toMatch(/^taken-/);
  });
});
