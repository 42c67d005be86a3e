import { resolveSettings } from '@helpline/config';
import type { Database } from '@helpline/database';
import { openEventStore } from './open-stores';

describe('openEventStore', () => {
  it('loads the EventStoreDB adapter (a dynamic import) when EVENTSTORE_CONNECTION_STRING is set', async () => {
    const settings = resolveSettings({
      DATABASE_URL: 'postgres://u@db:5432/helpline',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      KEY_STORE_DIR: '/tmp/helpline-open-stores-keys',
    });
    // The EventStoreDB branch never touches the read-model database, and the client connects only when used.
    const store = await openEventStore(settings, undefined as unknown as Database);
    try {
      expect(store.engine).toBe('eventstoredb');
      expect(store.constructor.name).toBe('EventStoreDbEventStore');
    } finally {
      await store.close();
    }
  });
});
