import type { ColumnType, Generated } from 'kysely';

export interface EventStreamsTable {
  stream_id: string;
  version: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EventsTable {
  global_position: Generated<number>;
  transaction_id: Generated<string>;
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  data: ColumnType<unknown, string, string>;
  metadata: ColumnType<unknown, string, string>;
  occurred_at: ColumnType<Date, string, string>;
  recorded_at: Generated<Date>;
}

export interface EventIdempotencyKeysTable {
  idempotency_key: string;
  stream_id: string;
  first_version: number;
  last_version: number;
  recorded_at: Generated<Date>;
}

export interface EventStoreTables {
  event_streams: EventStreamsTable;
  events: EventsTable;
  event_idempotency_keys: EventIdempotencyKeysTable;
}

export interface EventRow {
  event_id: string;
  stream_id: string;
  stream_version: number;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
  recorded_at: Date;
  global_position: number;
  /** transaction_id as text: xid8 has no JS type of its own. */
  txid: string;
}
