import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  caseEventSchemaVersions,
  decide,
  evolve,
  initialState,
  type CaseCommand,
  type CaseState,
  callerLookupHintOf,
  type RecordFirstContact,
  type RequestCallback,
  type Sealed,
} from '@helpline/domain';
import type { Database } from '@helpline/database';
import { sql } from 'kysely';
import { comparePositions, type AppendResult, type EventStore, type LogPosition } from '@helpline/event-store';
import { ProjectionRunner } from '@helpline/projections';
import { evaluationProjection } from '../evaluation.projection';

type WithoutCaseId<T> = T extends CaseCommand ? Omit<T, 'caseId'> : never;
/**
 * A case command, where a call-back may name its caller by a plain pseudonym: the history seals it and says
 * whether the line knew the caller, as the API does (a caller of a case not erased, on the same line).
 */
export type HistoryCommand =
  | WithoutCaseId<Exclude<CaseCommand, RequestCallback>>
  | (Omit<RequestCallback, 'caseId' | 'callerPseudonym' | 'callerLookupHint' | 'returningCaller'> & {
      readonly callerPseudonym: string;
    });

/** A wall-clock time in Rome as an instant with its offset (`2020-03-02T10:00` → `2020-03-02T10:00:00.000+01:00`). */
export function rome(local: string): string {
  return DateTime.fromISO(local, { zone: 'Europe/Rome' }).toISO()!;
}

export function sealed(label: string): Sealed {
  return { keyId: `key-${label}`, ciphertext: `ciphertext-${label}` };
}

type FirstContact = Omit<RecordFirstContact, 'type' | 'caseId' | 'occurredAt'>;

const DEFAULT_CONTACT: FirstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'person_concerned',
  ageBand: '30_40',
  gender: 'female',
  concern: 'cocaine',
  heardOfLine: 'web_search',
  outOfHours: false,
};

/**
 * A crafted history written to a real event store the way the application writes it: each command decided by
 * the domain against the case's folded state, appended with the expected version, in the order the test runs
 * them (which is the log's order).
 */
export class CaseHistory {
  last: AppendResult | undefined;
  /** The callers of each line's cases that are not erased: pseudonym → case ids, per line. */
  private readonly callers = new Map<string, Map<string, Set<string>>>();

  constructor(readonly store: EventStore) {}

  async open(at: string, contact: Partial<FirstContact> = {}, caseId: string = randomUUID()): Promise<CaseWriter> {
    const writer = new CaseWriter(this, caseId);
    await writer.run({ type: 'RecordFirstContact', occurredAt: at, ...DEFAULT_CONTACT, ...contact });
    return writer;
  }

  /** The command as the API builds it, and what the line now knows of its callers. */
  prepare(caseId: string, state: CaseState, command: HistoryCommand): WithoutCaseId<CaseCommand> {
    const lineId = state.lineId ?? 'unknown';
    const callers = this.callers.get(lineId) ?? new Map<string, Set<string>>();
    this.callers.set(lineId, callers);
    if (command.type === 'ErasePersonalData') for (const cases of callers.values()) cases.delete(caseId);
    if (command.type !== 'RequestCallback') return command;
    const pseudonym = command.callerPseudonym;
    const cases = callers.get(pseudonym) ?? new Set<string>();
    const returningCaller = [...cases].some((other) => other !== caseId);
    callers.set(pseudonym, cases.add(caseId));
    return {
      ...command,
      callerPseudonym: { keyId: state.sealingKeyId ?? `key-case-${caseId}`, ciphertext: `ciphertext-${pseudonym}` },
      callerLookupHint: callerLookupHintOf(pseudonym),
      returningCaller,
    };
  }
}

export class CaseWriter {
  state: CaseState = initialState;
  private version = 0;

  constructor(
    private readonly history: CaseHistory,
    readonly caseId: string,
  ) {}

  async run(command: HistoryCommand): Promise<this> {
    const prepared = this.history.prepare(this.caseId, this.state, command);
    const events = decide({ ...prepared, caseId: this.caseId }, this.state);
    const result = await this.history.store.append(
      `case-${this.caseId}`,
      events.map((event) => ({
        type: event.type,
        schemaVersion: caseEventSchemaVersions[event.type],
        data: event.data,
        metadata: { actorId: 'operator-test', actorRole: 'operator' },
        occurredAt: event.data.occurredAt,
      })),
      { expectedVersion: this.version === 0 ? 'no_stream' : this.version },
    );
    for (const event of events) this.state = evolve(this.state, event);
    this.version = result.nextExpectedVersion;
    this.history.last = result;
    return this;
  }
}

/**
 * The position of the last event committed to the PostgreSQL log, visible to readers or not yet: under load a
 * long transaction elsewhere on the server holds readers back (see docs/architecture.md), and a test that waits
 * for the head it can see would stop short of its own appends.
 */
export async function lastCommittedPosition(database: Database): Promise<LogPosition> {
  const { rows } = await sql<{
    commit: string;
    prepare: number;
  }>`select transaction_id::text as commit, global_position as prepare from events order by transaction_id desc, global_position desc limit 1`.execute(
    database.db,
  );
  return rows[0] ? { commit: Number(rows[0].commit), prepare: Number(rows[0].prepare) } : { commit: 0, prepare: 0 };
}

/** Waits until readers of the log can see everything committed so far. */
export async function untilVisible(database: Database, eventStore: EventStore, timeoutMs = 60_000): Promise<void> {
  const target = await lastCommittedPosition(database);
  const deadline = Date.now() + timeoutMs;
  while (comparePositions(await eventStore.headPosition(), target) < 0) {
    if (Date.now() > deadline) throw new Error('the log did not become visible');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs the evaluation projection live (the runner, into the live tables) until it has the whole log. */
export async function projectLive(database: Database, eventStore: EventStore, batchSize = 500): Promise<void> {
  const runner = new ProjectionRunner({
    database,
    eventStore,
    projections: [evaluationProjection],
    metrics: false,
    batchSize,
    minPollMs: 1,
    maxPollMs: 20,
  });
  try {
    await runner.start();
    const target = await lastCommittedPosition(database);
    if (!(await runner.waitForPosition(evaluationProjection.name, target, 60_000)))
      throw new Error('the evaluation projection did not catch up');
  } finally {
    await runner.stop();
  }
}
