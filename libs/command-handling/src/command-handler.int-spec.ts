import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@helpline/database';
import { StreamVersionConflictError, type EventStore } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { PersonalDataVault } from '@helpline/privacy';
import type { AggregateDefinition } from './aggregate-definition';
import { EventSourcedCommandHandler } from './command-handler';
import { IdempotencyKeyReusedForAnotherRequestError, StreamContendedError } from './command-errors';
import type { CommandContext } from './command-context';

/** A tally: opened once, then counted up; the smallest aggregate that has an opening, a rule and a reach. */
interface Tally {
  readonly opened: boolean;
  readonly owner: string | null;
  readonly count: number;
}
type TallyCommand = { type: 'Open'; occurredAt: string } | { type: 'Count'; occurredAt: string };
type TallyEvent =
  | { type: 'TallyOpened'; data: { occurredAt: string; owner: string } }
  | { type: 'Counted'; data: { occurredAt: string } };

class TallyNotFound extends Error {}
class AlreadyOpened extends Error {}

const owner = { id: 'owner-1', role: 'operator' };
const stranger = { id: 'stranger-1', role: 'operator' };

const tally: AggregateDefinition<Tally, TallyCommand, TallyEvent> = {
  streamName: (id) => `tally-${id}`,
  idOfStream: (streamId) => streamId.replace(/^tally-/, ''),
  initialState: { opened: false, owner: null, count: 0 },
  evolve: (state, event) =>
    event.type === 'TallyOpened'
      ? { ...state, opened: true, owner: event.data.owner }
      : { ...state, count: state.count + 1 },
  decide: (command, state) => {
    if (command.type === 'Open') {
      if (state.opened) throw new AlreadyOpened();
      return [{ type: 'TallyOpened', data: { occurredAt: command.occurredAt, owner: owner.id } }];
    }
    return [{ type: 'Counted', data: { occurredAt: command.occurredAt } }];
  },
  upcast: (type, _version, data) => ({ type, data }) as TallyEvent,
  schemaVersionOf: () => 1,
  reachableBy: (principal, state) => state.opened && state.owner === principal.id,
  notFound: () => new TallyNotFound(),
};

const contextOf = (fields: Partial<CommandContext> = {}): CommandContext => ({
  principal: owner,
  requestId: randomUUID(),
  fingerprint: randomUUID(),
  ...fields,
});

describe('the command handler', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let handler: EventSourcedCommandHandler;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
    handler = new EventSourcedCommandHandler(
      store,
      new PersonalDataVault(database, randomBytes(32).toString('base64')),
    );
  });
  afterAll(async () => {
    await store?.close();
    await database?.close();
  });

  const open = (context: CommandContext, id = randomUUID()) =>
    handler.handle(tally, { id, context, opens: true, build: ({ occurredAt }) => ({ type: 'Open', occurredAt }) });
  const count = (id: string, context: CommandContext, on = handler) =>
    on.handle(tally, { id, context, build: ({ occurredAt }) => ({ type: 'Count', occurredAt }) });

  it('answers overlapping openings with one key and one request from the first, each with its own new id', async () => {
    const context = contextOf({ idempotencyKey: 'open-once-0001', fingerprint: 'the-same-request' });
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => open(context)));
    expect(new Set(outcomes.map((outcome) => outcome.id)).size).toBe(1);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.position)).size).toBe(1);
  });

  it('refuses the key for another request, overlapping or not', async () => {
    await open(contextOf({ idempotencyKey: 'open-once-0002', fingerprint: 'first' }));
    await expect(open(contextOf({ idempotencyKey: 'open-once-0002', fingerprint: 'second' }))).rejects.toBeInstanceOf(
      IdempotencyKeyReusedForAnotherRequestError,
    );
  });

  it('answers an aggregate the principal may not reach as not found', async () => {
    const { id } = await open(contextOf());
    await expect(count(id, contextOf({ principal: stranger }))).rejects.toBeInstanceOf(TallyNotFound);
    await expect(count(randomUUID(), contextOf())).rejects.toBeInstanceOf(TallyNotFound);
  });

  it('refuses a stale asserted version, and retries concurrent writers that asserted none until each lands', async () => {
    const { id } = await open(contextOf());
    await expect(count(id, contextOf({ expectedVersion: 7 }))).rejects.toBeInstanceOf(StreamVersionConflictError);
    const outcomes = await Promise.all(Array.from({ length: 16 }, () => count(id, contextOf())));
    expect(outcomes.map((outcome) => outcome.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, index) => index + 2),
    );
  });

  it('answers a retry that asserted a version from the first request, when the first lands while it reads', async () => {
    const { id, version } = await open(contextOf());
    const retry = contextOf({ idempotencyKey: 'count-once-0001', fingerprint: 'one-count', expectedVersion: version });
    const first = await count(id, retry);
    // The retry looked for an earlier answer just before the first request committed: it found none.
    let lookups = 0;
    const lateStore: EventStore = Object.create(store, {
      findAppend: { value: (key: string) => (lookups++ === 0 ? Promise.resolve(undefined) : store.findAppend(key)) },
    });
    const late = new EventSourcedCommandHandler(
      lateStore,
      new PersonalDataVault(database, randomBytes(32).toString('base64')),
    );
    const answer = await count(id, retry, late);
    expect(answer).toMatchObject({ replayed: true, version: first.version, position: first.position });
  });

  it('answers "try later" once a write keeps losing the race beyond its budget', async () => {
    const { id } = await open(contextOf());
    const alwaysRaced: EventStore = Object.create(store, {
      append: { value: async () => Promise.reject(new StreamVersionConflictError(`tally-${id}`, 1, 2)) },
    });
    const impatient = new EventSourcedCommandHandler(
      alwaysRaced,
      new PersonalDataVault(database, randomBytes(32).toString('base64')),
      { budgetMs: 50, firstBackoffMs: 1, maxBackoffMs: 5 },
    );
    await expect(count(id, contextOf(), impatient)).rejects.toBeInstanceOf(StreamContendedError);
  });
});
