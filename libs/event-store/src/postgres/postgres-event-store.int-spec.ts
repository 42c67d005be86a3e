import { createTestDatabase, Database, TestDatabase } from '@helpline/database';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

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
