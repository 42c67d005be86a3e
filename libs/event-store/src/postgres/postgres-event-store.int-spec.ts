import { createTestDatabase, Database, TestDatabase } from '@helpline/database';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EVENTS_CHANNEL, PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL adapter', async () => {
  const database: TestDatabase = await createTestDatabase();
  const clients: Array<{ store: PostgresEventStore; connection: Database }> = [];
  return {
    async connect() {
      const connection = clients.length === 0 ? database : await database.reconnect();
      const store = new PostgresEventStore(connection);
      clients.push({ store, connection });
      return store;
    },
    async teardown() {
      for (const { store } of clients) await store.close();
      await database.close();
    },
  };
});

describe('PostgreSQL adapter: waking readers', () => {
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

  const event = () => ({
    type: 'Noted',
    schemaVersion: 1,
    data: {},
    metadata: { actorId: 'a', actorRole: 'operator' },
    occurredAt: new Date().toISOString(),
  });

  it('tells this process at once and other sessions by NOTIFY after an append commits', async () => {
    const other = await database.reconnect();
    let notices = 0;
    const unlisten = await other.listen(EVENTS_CHANNEL, () => notices++);
    let inProcess = 0;
    const off = store.onAppended(() => inProcess++);
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.append(`wake-${index}`, [event()], { expectedVersion: 'no_stream' }),
        ),
      );
      expect(inProcess).toBe(20);
      for (let waited = 0; notices === 0 && waited < 200; waited++)
        await new Promise((resolve) => setTimeout(resolve, 25));
      expect(notices).toBeGreaterThanOrEqual(1);
    } finally {
      off();
      await unlisten();
      if (other !== database) await other.close();
    }
  });
});
