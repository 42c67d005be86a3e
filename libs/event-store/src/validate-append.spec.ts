import { EventStoreInputError } from './event-store.errors';
import { AppendOptions, EventToAppend } from './event-store.port';
import { validateAppend } from './validate-append';

const ok: EventToAppend = {
  type: 'CaseOpened',
  schemaVersion: 1,
  data: {},
  metadata: { actorId: 'a', actorRole: 'operator' },
  occurredAt: '2020-03-01T10:00:00.000Z',
};

function refusal(streamId: string, events: EventToAppend[], options: AppendOptions): string | undefined {
  try {
    validateAppend(streamId, events, options);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(EventStoreInputError);
    return (error as Error).message;
  }
}

describe('append validation (the same as the PostgreSQL adapter)', () => {
  it('accepts a well-formed append', () => {
    expect(refusal('case-1', [ok], { expectedVersion: 'no_stream' })).toBeUndefined();
    expect(
      refusal('case-1', [{ ...ok, id: '2ed6657d-e927-568b-95e1-2665a8aea6a2' }], {
        expectedVersion: 3,
        idempotencyKey: 'k',
      }),
    ).toBeUndefined();
  });

  it.each([
    ['an empty stream id', '', [ok], { expectedVersion: 'any' }, 'streamId must be 1 to 200 characters'],
    [
      'a stream id over 200 characters',
      'x'.repeat(201),
      [ok],
      { expectedVersion: 'any' },
      'streamId must be 1 to 200 characters',
    ],
    ['no events', 'case-1', [], { expectedVersion: 'any' }, 'an append needs at least one event'],
    [
      'a negative version',
      'case-1',
      [ok],
      { expectedVersion: -1 },
      'expectedVersion must be a non-negative integer, "no_stream" or "any"',
    ],
    [
      'a fractional version',
      'case-1',
      [ok],
      { expectedVersion: 1.5 },
      'expectedVersion must be a non-negative integer, "no_stream" or "any"',
    ],
    [
      'an empty idempotency key',
      'case-1',
      [ok],
      { expectedVersion: 'any', idempotencyKey: '' },
      'idempotencyKey must be 1 to 200 characters',
    ],
    [
      'an event id that is not a UUID',
      'case-1',
      [{ ...ok, id: 'nope' }],
      { expectedVersion: 'any' },
      'event id must be a UUID',
    ],
    ['an event without type', 'case-1', [{ ...ok, type: '' }], { expectedVersion: 'any' }, 'event type is required'],
    [
      'schema version 0',
      'case-1',
      [{ ...ok, schemaVersion: 0 }],
      { expectedVersion: 'any' },
      'schemaVersion must be >= 1',
    ],
    [
      'an unreadable occurrence time',
      'case-1',
      [{ ...ok, occurredAt: 'yesterday' }],
      { expectedVersion: 'any' },
      'occurredAt must be an ISO-8601 time',
    ],
  ] as Array<[string, string, EventToAppend[], AppendOptions, string]>)(
    'refuses %s',
    (_what, streamId, events, options, message) => {
      expect(refusal(streamId, events, options)).toBe(message);
    },
  );
});
