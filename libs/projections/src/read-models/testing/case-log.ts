import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import {
  caseEventSchemaVersions,
  decide,
  evolve,
  initialState,
  type CaseCommand,
  type CaseState,
  type LineId,
  type Sealed,
} from '@helpline/domain';
import type { Database } from '@helpline/database';
import type { RecordedEvent } from '@helpline/event-store';
import type { AnyProjection, TableNames } from '../../projection';
import { recreateTables } from '../../table-ddl';

type WithoutCaseId<T> = T extends CaseCommand ? Omit<T, 'caseId'> : never;
/** A case command as a test writes it: the script supplies the case id. */
export type ScriptCommand = WithoutCaseId<CaseCommand>;

/** A wall-clock time in Rome (where every line's timetable is read), as a UTC instant. */
export function rome(local: string): string {
  return DateTime.fromISO(local, { zone: 'Europe/Rome' }).toUTC().toISO()!;
}

export function sealed(label: string, keyId = 'k'): Sealed {
  return { keyId, ciphertext: `ciphertext-${label}` };
}

/**
 * A global log built the way the application builds it: each command is decided by the domain against the
 * case's folded state, and its events are recorded with the next log position.
 */
/** A call-back's caller as the API records a new one: the pseudonym sealed with the case's key, and its hint. */
export function callerOf(pseudonym: string, returningCaller = false) {
  return { callerPseudonym: sealed(pseudonym), callerLookupHint: pseudonym.slice(-1), returningCaller };
}

export class CaseLog {
  readonly events: RecordedEvent[] = [];
  private position = 0;

  /** A new case, opened with a first contact on the line at `at`. */
  open(options: {
    lineId?: LineId;
    at: string;
    channel?: 'phone' | 'voicemail' | 'video';
    outOfHours?: boolean;
    caseId?: string;
  }): CaseScript {
    const script = new CaseScript(this, options.caseId ?? randomUUID());
    script.run({
      type: 'RecordFirstContact',
      occurredAt: options.at,
      lineId: options.lineId ?? 'sostienimi',
      channel: options.channel ?? 'phone',
      callerType: 'person_concerned',
      ageBand: '30_40',
      gender: 'female',
      concern: 'cocaine',
      heardOfLine: 'web_search',
      outOfHours: options.outOfHours ?? false,
    });
    return script;
  }

  /** Where the log stands now: `log.since(mark)` gives the events recorded after it. */
  mark(): number {
    return this.events.length;
  }

  since(mark: number): RecordedEvent[] {
    return this.events.slice(mark);
  }

  record(
    streamId: string,
    streamVersion: number,
    event: { type: string; data: { occurredAt: string } },
  ): RecordedEvent {
    this.position += 1;
    const recorded: RecordedEvent = {
      id: randomUUID(),
      streamId,
      streamVersion,
      type: event.type,
      schemaVersion: caseEventSchemaVersions[event.type as keyof typeof caseEventSchemaVersions],
      data: event.data,
      metadata: { actorId: 'operator-test', actorRole: 'operator' },
      occurredAt: event.data.occurredAt,
      recordedAt: event.data.occurredAt,
      position: { commit: this.position, prepare: this.position },
    };
    this.events.push(recorded);
    return recorded;
  }
}

export class CaseScript {
  state: CaseState = initialState;
  private version = 0;

  constructor(
    private readonly log: CaseLog,
    readonly caseId: string,
  ) {}

  /** Decides the command against the case, folds and records its events; returns them. */
  run(command: ScriptCommand): RecordedEvent[] {
    const events = decide({ ...command, caseId: this.caseId }, this.state);
    return events.map((event) => {
      this.state = evolve(this.state, event);
      this.version += 1;
      return this.log.record(`case-${this.caseId}`, this.version, event);
    });
  }
}

/** Drops and creates the projection's tables under the mapping. */
export async function freshTables(database: Database, projection: AnyProjection, tables: TableNames): Promise<void> {
  for (const schema of new Set(
    Object.values(tables)
      .filter((name) => name.includes('.'))
      .map((name) => name.split('.')[0]!),
  )) {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(database.db);
  }
  await database.db.transaction().execute((trx) => recreateTables(trx, projection, tables));
}

/** Applies the events as one batch, in one transaction, as the runner does. */
export async function applyBatch(
  database: Database,
  projection: AnyProjection,
  events: readonly RecordedEvent[],
  tables: TableNames,
): Promise<void> {
  await database.db.transaction().execute((trx) => projection.apply(trx, events, tables));
}
