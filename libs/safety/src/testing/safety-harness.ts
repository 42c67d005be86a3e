import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '@helpline/auth';
import { createTestDatabase, type TestDatabase } from '@helpline/database';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { EventSourcedCommandHandler } from '@helpline/command-handling';
import { PersonalDataVault } from '@helpline/privacy';
import { SafetyCommandExecutor } from '../safety-command.executor';
import type { SafetyCommandContext } from '../safety-command-context';
import { SafetyStreamRepository } from '../safety-stream.repository';

export const UNIT = 'unit-municipio-4';
export const worker: Principal = { id: 'sw-1', role: 'social_worker', lines: [], unitId: UNIT };
export const officer: Principal = { id: 'po-1', role: 'unit_officer', lines: [], unitId: UNIT };
export const liaison: Principal = { id: 'pl-1', role: 'police_liaison', lines: [] };

/** The safety application layer on a fresh database, without HTTP. */
export async function safetyOnTestDatabase(
  streamsOf: (store: PostgresEventStore) => SafetyStreamRepository = (store) => new SafetyStreamRepository(store),
) {
  const database: TestDatabase = await createTestDatabase();
  const store = new PostgresEventStore(database);
  const streams = streamsOf(store);
  const vault = new PersonalDataVault(database, randomBytes(32).toString('base64'));
  return {
    database,
    store,
    streams,
    vault,
    executor: new SafetyCommandExecutor(new EventSourcedCommandHandler(store, vault), streams, vault),
    async close() {
      await store.close();
      await database.close();
    },
  };
}

export function contextFor(principal: Principal, fingerprint: string = randomUUID()): SafetyCommandContext {
  return { principal, requestId: `test-${randomUUID()}`, fingerprint };
}

export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

/** Drafts a request (by the unit's worker) and sends it (by its officer), with the meeting `meetingInHours` away. */
export async function draftAndSend(
  executor: SafetyCommandExecutor,
  options: { meetingInHours: number; draftedAgoHours?: number; sentAgoHours?: number },
) {
  const requestId = randomUUID();
  await executor.executeRequestCommand({
    requestId,
    context: contextFor(worker),
    occurredAt: hoursFromNow(-(options.draftedAgoHours ?? 100)),
    opens: true,
    build: async (b) => ({
      type: 'DraftSafetyRequest',
      requestId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      unitId: UNIT,
      meetingAt: hoursFromNow(options.meetingInHours),
      address: await b.seal('address', 'Via Esempio 1'),
      serviceUser: await b.seal('serviceUser', 'Cognome Nome'),
      factsSummary: await b.seal('factsSummary', 'Fatti'),
      risk: 'high',
    }),
  });
  const sent = await executor.executeRequestCommand({
    requestId,
    context: contextFor(officer),
    occurredAt: hoursFromNow(-(options.sentAgoHours ?? 90)),
    build: (b) => ({ type: 'SendSafetyRequest', requestId, occurredAt: b.occurredAt, actor: b.actor, noticeHours: 48 }),
  });
  return { requestId, sent };
}
