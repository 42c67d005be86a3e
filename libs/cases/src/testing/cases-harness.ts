import { randomBytes } from 'node:crypto';
import type { Principal } from '@helpline/auth';
import type { Settings } from '@helpline/config';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { PersonalDataVault } from '@helpline/privacy';
import { EventSourcedCommandHandler, type CommandContext } from '@helpline/command-handling';
import { CaseCommandHandler } from '../case-command.handler';
import { CaseStreamRepository } from '../case-stream.repository';

/** The case application layer on a fresh database, without HTTP. */
export async function casesOnTestDatabase(settings: Partial<Settings> = {}) {
  const database: TestDatabase = await createTestDatabase();
  const store = new PostgresEventStore(database);
  const streams = new CaseStreamRepository(store);
  const vault = new PersonalDataVault(database, randomBytes(32).toString('base64'));
  const executor = new CaseCommandHandler(new EventSourcedCommandHandler(store, vault), vault);
  const fullSettings = { callbackNumberRetentionHours: 72, ...settings } as Settings;
  return {
    database,
    store,
    streams,
    vault,
    executor,
    settings: fullSettings,
    async close() {
      await store.close();
      await database.close();
    },
  };
}

let requests = 0;
export function contextFor(principal: Principal): CommandContext<Principal> {
  requests++;
  return { principal, requestId: `test-${requests}`, fingerprint: `test-${requests}` };
}
