import { EventStoreDBClient } from '@eventstore/db-client';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { describeEventStoreDbBehaviour } from './testing/eventstoredb-behaviour';

// These suites need an EventStoreDB server, 22.6 or later (see docs/eventstoredb.md), e.g.
//   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npm run jest -- --selectProjects integration --testPathPatterns eventstoredb
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (!connectionString) {
  process.stderr.write(
    '[skip] EventStoreDB contract suite did not run: EVENTSTORE_CONNECTION_STRING is not set (no EventStoreDB server on this machine)\n',
  );
}
const describeOnServer = connectionString ? describe : describe.skip;

function serverHarness() {
  return async () => {
    const stores: EventStoreDbEventStore[] = [];
    const raw = EventStoreDBClient.connectionString(connectionString!);
    return {
      raw,
      open(options = {}) {
        // A new client each time: a "restarted" store sees only what the server kept.
        const store = new EventStoreDbEventStore(connectionString!, options);
        stores.push(store);
        return store;
      },
      async connect() {
        return this.open();
      },
      async teardown() {
        for (const store of stores) await store.close();
        await raw.dispose();
      },
    };
  };
}

describeOnServer('EventStoreDB server', () => {
  describeEventStoreContract('EventStoreDB adapter', serverHarness());
  describeEventStoreDbBehaviour('on a server', serverHarness());
});
