import {
  ANY,
  ErrorType,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  CurrentRevision,
  EventData,
  Filter,
  JSONType,
  Position,
  ReadPosition,
} from '@eventstore/db-client';
import type {
  AppendResult,
  EventMetadata,
  EventToAppend,
  ExpectedVersion,
  LogPosition,
  RecordedEvent,
} from '../event-store.port';
import { START_OF_LOG, comparePositions } from '../event-store.port';
import { StreamVersionConflictError } from '../event-store.errors';

/**
 * Pure translations between the port's vocabulary and EventStoreDB's. The port counts stream versions from 1
 * (a stream's first event is version 1, an empty stream is at 0); EventStoreDB numbers revisions from 0.
 */

/** What the adapter reads of an EventStoreDB recorded event (the client's JSON and binary records both fit). */
export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** Keys the adapter adds to EventStoreDB's event metadata next to the port's `EventMetadata`. */
const RESERVED_METADATA_KEYS = ['schemaVersion', 'occurredAt', '$correlationId', '$causationId'] as const;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream' || expected === 0) return NO_STREAM;
  return BigInt(expected - 1);
}

/** A stream revision (0-based, or `no_stream`) as the port's version: how many events the stream holds. */
export function revisionToVersion(revision: CurrentRevision): number {
  if (revision === NO_STREAM || revision < 0n) return 0;
  if (revision >= MAX_SAFE) throw new RangeError(`EventStoreDB revision ${revision} is beyond a safe integer`);
  return Number(revision) + 1;
}

/** The revision to read from for a 1-based stream version (`START` for version 1 or less). */
export function versionToReadRevision(version: number): typeof START | bigint {
  return version <= 1 ? START : BigInt(Math.ceil(version) - 1);
}

export function toLogPosition(position: Position | undefined): LogPosition {
  if (!position) {
    throw new Error(
      'EventStoreDB returned an event without its log position (this adapter needs EventStoreDB 22.6 or later)',
    );
  }
  const { commit, prepare } = position;
  if (commit < 0n || prepare < 0n || commit > MAX_SAFE || prepare > MAX_SAFE) {
    // Servers before 22.6 report "no position" on stream reads, which arrives as 2^64 - 1.
    throw new RangeError(
      `EventStoreDB position ${commit}:${prepare} is not a usable log position (this adapter needs EventStoreDB 22.6 or later)`,
    );
  }
  return { commit: Number(commit), prepare: Number(prepare) };
}

export function toEsdbPosition(position: LogPosition): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

/** Where a forward read or catch-up subscription starts for "after this position" (the start of the log for 0:0). */
export function toReadPosition(after: LogPosition): ReadPosition {
  return comparePositions(after, START_OF_LOG) <= 0 ? START : toEsdbPosition(after);
}

/** Event types starting with `$` are EventStoreDB's own (stats, projections, links, metadata) or the adapter's. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/** Whether a read of the global log returns this event type. */
export function isVisibleType(type: string, types?: readonly string[]): boolean {
  return !isSystemEventType(type) && (types === undefined || types.includes(type));
}

/** An anchored regular expression matching exactly the given event types (valid in .NET and JavaScript). */
export function eventTypesRegex(types: readonly string[]): string {
  return `^(?:${types.map((type) => type.replace(/[.*+?^${}()|[\]\\#\s-]/g, '\\$&')).join('|')})$`;
}

/** The server-side filter of a subscription: the listed types, or every non-system event. */
export function subscriptionFilter(types?: readonly string[]): Filter {
  return types === undefined ? excludeSystemEvents() : eventTypeFilter({ regex: eventTypesRegex(types) });
}

/** The EventStoreDB event metadata of an event: the port's metadata, plus schema version and occurrence time. */
export function encodeMetadata(event: EventToAppend, idempotencyKey?: string): Record<string, unknown> {
  const metadata: EventMetadata = idempotencyKey === undefined ? event.metadata : { ...event.metadata, idempotencyKey };
  return {
    ...metadata,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    // EventStoreDB's $by_correlation_id projection and its UI follow these two names.
    ...(metadata.correlationId !== undefined ? { $correlationId: metadata.correlationId } : {}),
    ...(metadata.causationId !== undefined ? { $causationId: metadata.causationId } : {}),
  };
}

export interface DecodedMetadata {
  readonly metadata: EventMetadata;
  readonly schemaVersion: number;
  readonly occurredAt?: string;
}

/** Reads back what `encodeMetadata` wrote; an event written by another tool gets schema version 1 and no metadata. */
export function decodeMetadata(raw: unknown): DecodedMetadata {
  if (!isJsonObject(raw)) return { metadata: {} as EventMetadata, schemaVersion: 1 };
  const metadata: Record<string, unknown> = { ...raw };
  for (const key of RESERVED_METADATA_KEYS) delete metadata[key];
  const schemaVersion = raw.schemaVersion;
  return {
    metadata: metadata as unknown as EventMetadata,
    schemaVersion:
      typeof schemaVersion === 'number' && Number.isInteger(schemaVersion) && schemaVersion >= 1 ? schemaVersion : 1,
    occurredAt: typeof raw.occurredAt === 'string' ? raw.occurredAt : undefined,
  };
}

export function toProposedEvent(event: EventToAppend, id: string, idempotencyKey?: string): EventData {
  return jsonEvent({
    id,
    type: event.type,
    // JSON has no `undefined`: store it as null rather than fail inside the client.
    data: (event.data === undefined ? null : event.data) as JSONType,
    metadata: encodeMetadata(event, idempotencyKey),
  });
}

export function toRecordedEvent(record: EsdbRecordedEvent): RecordedEvent {
  const decoded = decodeMetadata(record.metadata);
  const recordedAt = record.created.toISOString();
  return {
    id: record.id,
    streamId: record.streamId,
    streamVersion: revisionToVersion(record.revision),
    type: record.type,
    schemaVersion: decoded.schemaVersion,
    data: record.data,
    metadata: decoded.metadata,
    occurredAt: decoded.occurredAt !== undefined ? new Date(decoded.occurredAt).toISOString() : recordedAt,
    recordedAt,
    position: toLogPosition(record.position),
  };
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof WrongExpectedVersionError ||
    (error as { type?: unknown } | null)?.type === ErrorType.WRONG_EXPECTED_VERSION
  );
}

export function isStreamNotFound(error: unknown): error is StreamNotFoundError {
  return (
    error instanceof StreamNotFoundError || (error as { type?: unknown } | null)?.type === ErrorType.STREAM_NOT_FOUND
  );
}

/** The port's error for an append EventStoreDB refused on its expected revision; other errors pass through. */
export function toAppendError(error: unknown, streamId: string, expected: ExpectedVersion): unknown {
  if (!isWrongExpectedVersion(error)) return error;
  return new StreamVersionConflictError(streamId, expected, revisionToVersion(error.actualVersion));
}

/**
 * Errors after which the server certainly wrote nothing, so an idempotency claim can be released at once.
 * Anything else (a timeout, a dropped connection) may have written, and is settled by reading the stream.
 */
export function isDefiniteRejection(error: unknown): boolean {
  if (error instanceof StreamVersionConflictError) return true;
  const type = (error as { type?: unknown } | null)?.type;
  return (
    type === ErrorType.WRONG_EXPECTED_VERSION ||
    type === ErrorType.ACCESS_DENIED ||
    type === ErrorType.STREAM_DELETED ||
    type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED ||
    type === ErrorType.INVALID_ARGUMENT ||
    type === ErrorType.NOT_LEADER
  );
}

export function resultOf(streamId: string, events: RecordedEvent[], replayed: boolean): AppendResult {
  const last = events.at(-1);
  if (!last) throw new Error(`an append to ${streamId} recorded no event`);
  return { streamId, nextExpectedVersion: last.streamVersion, position: last.position, events, replayed };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
