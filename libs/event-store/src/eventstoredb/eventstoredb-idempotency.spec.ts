import { NO_STREAM } from '@eventstore/db-client';
import {
  KEY_CLAIMED,
  KEY_RELEASED,
  claimEvent,
  claimStateOf,
  claimStreamOf,
  deriveEventId,
  isClaimStale,
  releaseEvent,
  uuidV5,
} from './eventstoredb-idempotency';
import { isSystemEventType } from './eventstoredb-mapping';

const PORT_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('deterministic event ids', () => {
  it('computes RFC 9562 version-5 UUIDs (the DNS example)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('gives the same id for the same key, stream and index, and a different one when any of them changes', () => {
    const id = deriveEventId('key-1', 'case-1', 0);
    expect(id).toMatch(PORT_UUID);
    expect(id[14]).toBe('5');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(deriveEventId('key-1', 'case-1', 0)).toBe(id);
    const others = [
      deriveEventId('key-1', 'case-1', 1),
      deriveEventId('key-2', 'case-1', 0),
      deriveEventId('key-1', 'case-2', 0),
    ];
    expect(new Set([id, ...others]).size).toBe(4);
  });

  it('does not confuse a key and an index that concatenate to the same text', () => {
    expect(deriveEventId('k1', 'case-1', 0)).not.toBe(deriveEventId('k', 'case-1', 10));
  });
});

describe('claim streams', () => {
  it('names one regular (non-$) stream per key, whatever characters the key has', () => {
    const stream = claimStreamOf('a key / with $ and spaces');
    expect(stream).toMatch(/^idempotency-[0-9a-f]{64}$/);
    expect(claimStreamOf('a key / with $ and spaces')).toBe(stream);
    expect(claimStreamOf('another key')).not.toBe(stream);
  });

  it('writes claim and release events with $ types, so that readers of the log skip them', () => {
    const claim = claimEvent('key-1', 'case-1');
    const release = releaseEvent('key-1', 'case-1');
    expect(claim).toMatchObject({
      type: KEY_CLAIMED,
      data: { idempotencyKey: 'key-1', streamId: 'case-1' },
      contentType: 'application/json',
    });
    expect(release).toMatchObject({ type: KEY_RELEASED, data: { idempotencyKey: 'key-1', streamId: 'case-1' } });
    expect(isSystemEventType(claim.type)).toBe(true);
    expect(isSystemEventType(release.type)).toBe(true);
  });

  it('reads the state of a key from the last event of its claim stream', () => {
    const created = new Date('2020-03-01T10:00:00.000Z');
    expect(claimStateOf(undefined)).toEqual({ status: 'free', revision: NO_STREAM });
    expect(claimStateOf({ revision: 0n, type: KEY_CLAIMED, data: { streamId: 'case-1' }, created })).toEqual({
      status: 'claimed',
      revision: 0n,
      streamId: 'case-1',
      claimedAt: created.getTime(),
    });
    expect(claimStateOf({ revision: 1n, type: KEY_RELEASED, data: { streamId: 'case-1' }, created })).toEqual({
      status: 'released',
      revision: 1n,
      streamId: 'case-1',
    });
    expect(claimStateOf({ revision: 2n, type: 'Unexpected', data: null, created })).toEqual({
      status: 'released',
      revision: 2n,
      streamId: undefined,
    });
  });

  it('lets a claim be taken over once it is older than the lease, or watched unchanged for the whole lease', () => {
    const now = 100_000;
    expect(isClaimStale(now - 1_000, now - 1_000, now, 20_000)).toBe(false);
    expect(isClaimStale(now - 20_000, now, now, 20_000)).toBe(true);
    // A server clock ahead of ours makes the claim look young; watching it long enough still settles it.
    expect(isClaimStale(now + 60_000, now - 20_000, now, 20_000)).toBe(true);
  });
});
