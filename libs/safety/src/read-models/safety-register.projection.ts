import {
  evolveSafetyEmergency,
  evolveSafetyRequest,
  initialSafetyEmergencyState,
  initialSafetyRequestState,
  SAFETY_EMERGENCY_EVENT_TYPES,
  SAFETY_EMERGENCY_STREAM_PREFIX,
  SAFETY_REQUEST_EVENT_TYPES,
  SAFETY_REQUEST_STREAM_PREFIX,
  upcastSafetyEmergencyEvent,
  upcastSafetyRequestEvent,
  type SafetyEmergencyState,
  type SafetyRequestState,
} from '@helpline/domain';
import type { RecordedEvent } from '@helpline/event-store';
import { defineProjection, indexName, type ProjectionTransaction, type TableNames } from '@helpline/projections';

export const SAFETY_REGISTER_TABLES = ['safety_register'] as const;
type Table = (typeof SAFETY_REGISTER_TABLES)[number];
export type SafetyRecordKind = 'request' | 'emergency';

/** A record's stream in the log: a request or an emergency, and its id. */
export function safetyRecordOf(streamId: string): { kind: SafetyRecordKind; id: string } | undefined {
  if (streamId.startsWith(SAFETY_REQUEST_STREAM_PREFIX))
    return { kind: 'request', id: streamId.slice(SAFETY_REQUEST_STREAM_PREFIX.length) };
  if (streamId.startsWith(SAFETY_EMERGENCY_STREAM_PREFIX))
    return { kind: 'emergency', id: streamId.slice(SAFETY_EMERGENCY_STREAM_PREFIX.length) };
  return undefined;
}

/**
 * The register of the protocol (seed 002: "Delle richieste inoltrate verrà tenuta ... apposita registrazione"): every
 * preventive request and every emergency record, with where it stands, per unit. Each row keeps the record's folded
 * state (the domain's own `evolve`, which holds no personal value: sealed values stay in the events) and the columns
 * the register is filtered and sorted on.
 */
export const safetyRegisterProjection = defineProjection<Table>({
  name: 'safety-register',
  version: 1,
  handles: [...SAFETY_REQUEST_EVENT_TYPES, ...SAFETY_EMERGENCY_EVENT_TYPES],
  tables: SAFETY_REGISTER_TABLES,

  async createTables(trx: ProjectionTransaction, tables: TableNames<Table>) {
    const register = tables.safety_register;
    await trx.schema
      .createTable(register)
      .addColumn('record_kind', 'text', (col) => col.notNull())
      .addColumn('record_id', 'text', (col) => col.notNull())
      .addColumn('unit_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('opened_at', 'timestamptz', (col) => col.notNull())
      .addColumn('sent_at', 'timestamptz')
      .addColumn('state', 'jsonb', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
      .addPrimaryKeyConstraint(indexName(register, 'pkey'), ['record_kind', 'record_id'])
      .execute();
    await trx.schema
      .createIndex(indexName(register, 'by_unit'))
      .on(register)
      .columns(['unit_id', 'opened_at', 'record_kind', 'record_id'])
      .execute();
    await trx.schema
      .createIndex(indexName(register, 'by_opened'))
      .on(register)
      .columns(['opened_at', 'record_kind', 'record_id'])
      .execute();
  },

  async apply(trx: ProjectionTransaction, events: readonly RecordedEvent[], tables: TableNames<Table>) {
    const states = new Map<
      string,
      { kind: SafetyRecordKind; id: string; state: SafetyRequestState | SafetyEmergencyState; updatedAt: string }
    >();
    const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`;
    for (const recorded of events) {
      const record = safetyRecordOf(recorded.streamId);
      if (!record) continue;
      const key = keyOf(record.kind, record.id);
      if (!states.has(key)) {
        const row = await trx
          .selectFrom(tables.safety_register)
          .select('state')
          .where('record_kind', '=', record.kind)
          .where('record_id', '=', record.id)
          .executeTakeFirst();
        const initial = record.kind === 'request' ? initialSafetyRequestState : initialSafetyEmergencyState;
        states.set(key, {
          ...record,
          state: row ? (parseJson(row.state) as typeof initial) : initial,
          updatedAt: recorded.occurredAt,
        });
      }
      const entry = states.get(key)!;
      entry.state =
        record.kind === 'request'
          ? evolveSafetyRequest(
              entry.state as SafetyRequestState,
              upcastSafetyRequestEvent(recorded.type, recorded.schemaVersion, recorded.data),
            )
          : evolveSafetyEmergency(
              entry.state as SafetyEmergencyState,
              upcastSafetyEmergencyEvent(recorded.type, recorded.schemaVersion, recorded.data),
            );
      entry.updatedAt = recorded.occurredAt;
    }
    for (const { kind, id, state, updatedAt } of states.values()) {
      const row = rowOf(kind, id, state, updatedAt);
      if (!row) continue;
      await trx
        .insertInto(tables.safety_register)
        .values(row)
        .onConflict((oc) =>
          oc.columns(['record_kind', 'record_id']).doUpdateSet((eb) => ({
            unit_id: eb.ref('excluded.unit_id'),
            status: eb.ref('excluded.status'),
            opened_at: eb.ref('excluded.opened_at'),
            sent_at: eb.ref('excluded.sent_at'),
            state: eb.ref('excluded.state'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  },
});

function rowOf(
  kind: SafetyRecordKind,
  id: string,
  state: SafetyRequestState | SafetyEmergencyState,
  updatedAt: string,
) {
  if (kind === 'request') {
    const request = state as SafetyRequestState;
    if (!request.unitId || !request.draftedAt) return undefined;
    return {
      record_kind: kind,
      record_id: id,
      unit_id: request.unitId,
      status: request.status,
      opened_at: toMillis(request.draftedAt),
      sent_at: request.sentAt,
      state: JSON.stringify(request),
      updated_at: updatedAt,
    };
  }
  const emergency = state as SafetyEmergencyState;
  if (!emergency.unitId || !emergency.startedAt) return undefined;
  // An emergency is with the police from the start: it counts as "sent" for the register's readers.
  return {
    record_kind: kind,
    record_id: id,
    unit_id: emergency.unitId,
    status: emergency.status,
    opened_at: toMillis(emergency.startedAt),
    sent_at: emergency.recordedAt,
    state: JSON.stringify(emergency),
    updated_at: updatedAt,
  };
}

/** Keyset cursors go through JS dates: keep the sort column at millisecond precision so they compare equal. */
function toMillis(iso: string): string {
  return new Date(iso).toISOString();
}

export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
