import {
  ANY,
  NO_STREAM,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreInputError, StreamVersionConflictError } from '../event-store.errors';
import { EventToAppend, START_OF_LOG } from '../event-store.port';
import {
  decodeMetadata,
  encodeMetadata,
  eventTypesRegex,
  isDefiniteRejection,
  isStreamNotFound,
  isSystemEventType,
  isVisibleType,
  revisionToVersion,
  subscriptionFilter,
  toAppendError,
  toEsdbPosition,
  toExpectedRevision,
  toLogPosition,
  toProposedEvent,
  toReadPosition,
  toRecordedEvent,
  versionToReadRevision,
} from './eventstoredb-mapping';

const event: EventToAppend = {
  type: 'FirstContactRecorded',
  schemaVersion: 2,
  data: { channel: 'phone' },
  metadata: { actorId: 'operator-1', actorRole: 'operator', correlationId: 'corr-1', causationId: 'cause-1' },
  occurredAt: '2020-03-01T10:00:00.000Z',
};

describe('expected versions and revisions', () => {
  it('maps no_stream and 0 to NO_STREAM, any to ANY, and a count of N events to revision N - 1', () => {
    expect(toExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toExpectedRevision(0)).toBe(NO_STREAM);
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision(1)).toBe(0n);
    expect(toExpectedRevision(42)).toBe(41n);
  });

  it('counts a stream at revision R as version R + 1, and a missing stream as 0', () => {
    expect(revisionToVersion(0n)).toBe(1);
    expect(revisionToVersion(9n)).toBe(10);
    expect(revisionToVersion(NO_STREAM)).toBe(0);
    expect(revisionToVersion(-1n)).toBe(0);
    expect(() => revisionToVersion(2n ** 63n)).toThrow(RangeError);
  });

  it('reads a stream from version V at revision V - 1, and from the start for version 1 or less', () => {
    expect(versionToReadRevision(1)).toBe(START);
    expect(versionToReadRevision(0)).toBe(START);
    expect(versionToReadRevision(2)).toBe(1n);
    expect(versionToReadRevision(2.5)).toBe(2n);
  });
});

describe('log positions', () => {
  it('converts commit and prepare between bigint and number', () => {
    expect(toLogPosition({ commit: 1234n, prepare: 1200n })).toEqual({ commit: 1234, prepare: 1200 });
    expect(toEsdbPosition({ commit: 1234, prepare: 1200 })).toEqual({ commit: 1234n, prepare: 1200n });
    const big = BigInt(Number.MAX_SAFE_INTEGER);
    expect(toLogPosition({ commit: big, prepare: big })).toEqual({
      commit: Number.MAX_SAFE_INTEGER,
      prepare: Number.MAX_SAFE_INTEGER,
    });
  });

  it('refuses a position that is missing or beyond a safe integer (what servers before 22.6 send on stream reads)', () => {
    expect(() => toLogPosition(undefined)).toThrow(/22\.6/);
    expect(() => toLogPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toThrow(RangeError);
    expect(() => toLogPosition({ commit: BigInt(Number.MAX_SAFE_INTEGER) + 1n, prepare: 0n })).toThrow(RangeError);
  });

  it('starts a read at the start of the log for 0:0, and at the position otherwise', () => {
    expect(toReadPosition(START_OF_LOG)).toBe(START);
    expect(toReadPosition({ commit: 10, prepare: 8 })).toEqual({ commit: 10n, prepare: 8n });
  });
});

describe('event types', () => {
  it('treats $ types as system events, hidden from readers, and filters by the listed types', () => {
    expect(isSystemEventType('$>')).toBe(true);
    expect(isSystemEventType('$idempotency-key-claimed')).toBe(true);
    expect(isSystemEventType('CaseClosed')).toBe(false);
    expect(isVisibleType('CaseClosed')).toBe(true);
    expect(isVisibleType('$statsCollected')).toBe(false);
    expect(isVisibleType('CaseClosed', ['CaseOpened'])).toBe(false);
    expect(isVisibleType('$metadata', ['$metadata'])).toBe(false);
  });

  it('builds an anchored regex that matches exactly the listed types', () => {
    const regex = new RegExp(eventTypesRegex(['Alpha', 'Case.Closed', 'a+b', 'x|y']));
    for (const type of ['Alpha', 'Case.Closed', 'a+b', 'x|y']) expect(regex.test(type)).toBe(true);
    for (const type of ['AlphaBeta', 'CaseXClosed', 'aab', 'x', 'y', 'PreAlpha']) expect(regex.test(type)).toBe(false);
  });

  it('filters subscriptions on the server: every non-system event, or the listed types', () => {
    expect(subscriptionFilter()).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    expect(subscriptionFilter(['Alpha', 'Beta'])).toMatchObject({ filterOn: 'eventType', regex: '^(?:Alpha|Beta)$' });
  });
});

describe('metadata', () => {
  it('stores the port metadata with schema version and occurrence time, and reads the same back', () => {
    const encoded = encodeMetadata(event);
    expect(encoded).toEqual({
      actorId: 'operator-1',
      actorRole: 'operator',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      $correlationId: 'corr-1',
      $causationId: 'cause-1',
      schemaVersion: 2,
      occurredAt: '2020-03-01T10:00:00.000Z',
    });
    const decoded = decodeMetadata(JSON.parse(JSON.stringify(encoded)));
    expect(decoded).toEqual({ metadata: event.metadata, schemaVersion: 2, occurredAt: event.occurredAt });
  });

  it("records the append's idempotency key on every event", () => {
    expect(decodeMetadata(encodeMetadata(event, 'key-1')).metadata).toEqual({
      ...event.metadata,
      idempotencyKey: 'key-1',
    });
    const plain = encodeMetadata({ ...event, metadata: { actorId: 'a', actorRole: 'operator' } });
    expect(plain).not.toHaveProperty('idempotencyKey');
    expect(plain).not.toHaveProperty('$correlationId');
  });

  it('reads events written by other tools with schema version 1 and empty metadata', () => {
    expect(decodeMetadata(undefined)).toEqual({ metadata: {}, schemaVersion: 1 });
    expect(decodeMetadata(new Uint8Array([1, 2]))).toEqual({ metadata: {}, schemaVersion: 1 });
    expect(decodeMetadata({ actorId: 'x', schemaVersion: 'two' })).toEqual({
      metadata: { actorId: 'x' },
      schemaVersion: 1,
      occurredAt: undefined,
    });
  });

  it('proposes a JSON event with the given id, the data, and the encoded metadata', () => {
    const proposed = toProposedEvent(event, '2ed6657d-e927-568b-95e1-2665a8aea6a2', 'key-1');
    expect(proposed).toMatchObject({
      id: '2ed6657d-e927-568b-95e1-2665a8aea6a2',
      contentType: 'application/json',
      type: 'FirstContactRecorded',
      data: { channel: 'phone' },
      metadata: { idempotencyKey: 'key-1', schemaVersion: 2 },
    });
    expect(toProposedEvent({ ...event, data: undefined }, '2ed6657d-e927-568b-95e1-2665a8aea6a2').data).toBeNull();
  });
});

describe('recorded events', () => {
  it('maps an EventStoreDB record to the port: version from revision, times, position', () => {
    const recorded = toRecordedEvent({
      streamId: 'case-1',
      id: '5d4c0f3a-62a7-4e58-9df8-4f0c8a3c2b11',
      revision: 0n,
      type: 'FirstContactRecorded',
      created: new Date('2020-03-01T10:00:01.234Z'),
      isJson: true,
      data: { channel: 'phone' },
      metadata: { ...encodeMetadata({ ...event, occurredAt: '2020-03-01T11:00:00+01:00' }) },
      position: { commit: 5000n, prepare: 5000n },
    });
    expect(recorded).toEqual({
      id: '5d4c0f3a-62a7-4e58-9df8-4f0c8a3c2b11',
      streamId: 'case-1',
      streamVersion: 1,
      type: 'FirstContactRecorded',
      schemaVersion: 2,
      data: { channel: 'phone' },
      metadata: event.metadata,
      occurredAt: '2020-03-01T10:00:00.000Z',
      recordedAt: '2020-03-01T10:00:01.234Z',
      position: { commit: 5000, prepare: 5000 },
    });
  });
});

describe('errors', () => {
  it('turns WrongExpectedVersionError into StreamVersionConflictError with the actual version', () => {
    const stale = new WrongExpectedVersionError(undefined, { streamName: 'case-1', expected: 1n, current: 2n });
    const conflict = toAppendError(stale, 'case-1', 2);
    expect(conflict).toBeInstanceOf(StreamVersionConflictError);
    expect(conflict).toMatchObject({
      streamId: 'case-1',
      expectedVersion: 2,
      actualVersion: 3,
      code: 'STREAM_VERSION_CONFLICT',
    });
  });

  it('reports version 0 when the stream does not exist', () => {
    const missing = new WrongExpectedVersionError(undefined, {
      streamName: 'case-2',
      expected: 4n,
      current: NO_STREAM,
    });
    expect(toAppendError(missing, 'case-2', 5)).toMatchObject({ expectedVersion: 5, actualVersion: 0 });
    const exists = new WrongExpectedVersionError(undefined, { streamName: 'case-3', expected: NO_STREAM, current: 0n });
    expect(toAppendError(exists, 'case-3', 'no_stream')).toMatchObject({
      expectedVersion: 'no_stream',
      actualVersion: 1,
    });
  });

  it('passes other errors through unchanged', () => {
    const other = new UnavailableError();
    expect(toAppendError(other, 'case-1', 1)).toBe(other);
  });

  it('releases a claim only after errors that certainly wrote nothing', () => {
    expect(isDefiniteRejection(new StreamVersionConflictError('s', 1, 2))).toBe(true);
    expect(
      isDefiniteRejection(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n })),
    ).toBe(true);
    expect(isDefiniteRejection(new UnavailableError())).toBe(false);
    expect(isDefiniteRejection(new Error('socket hang up'))).toBe(false);
    expect(isDefiniteRejection(new EventStoreInputError('bad'))).toBe(false);
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'case-1'))).toBe(true);
    expect(isStreamNotFound(new Error('no'))).toBe(false);
  });
});
