import { createHash } from 'node:crypto';
import { NO_STREAM, jsonEvent } from '@eventstore/db-client';
import type { EventData } from '@eventstore/db-client';

/**
 * Idempotency keys on EventStoreDB. EventStoreDB writes one stream atomically and nothing across streams, so a
 * key is claimed in a small stream of its own before the events are appended, with optimistic concurrency on that
 * stream: of several requests carrying the same key, exactly one wins the claim and appends; the others wait for
 * its events and replay them, or are refused when the key was claimed for another stream.
 *
 * The claim stream is a regular stream (`idempotency-<sha256 of the key>`), writable without admin rights, and
 * its events have `$` types so that reads of the global log and subscriptions skip them like system events.
 */

export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';
export const KEY_CLAIMED = '$idempotency-key-claimed';
export const KEY_RELEASED = '$idempotency-key-released';

/** Namespace of the adapter's deterministic event ids (a fixed random UUID: only its stability matters). */
export const EVENT_ID_NAMESPACE = '93992e50-2bee-4a78-b68d-5db84f90b22f';

export function claimStreamOf(idempotencyKey: string): string {
  return IDEMPOTENCY_STREAM_PREFIX + createHash('sha256').update(idempotencyKey, 'utf8').digest('hex');
}

/** A name-based UUID, version 5 (RFC 9562: SHA-1 of the namespace bytes and the name). */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the event at `index` of an append carrying `idempotencyKey`: the same on every retry, so that
 * EventStoreDB's own idempotent-write check also recognises a retried append (with an exact or no_stream
 * expected version). The stream is part of the name so that ids stay unique across streams.
 */
export function deriveEventId(idempotencyKey: string, streamId: string, index: number): string {
  return uuidV5(JSON.stringify([idempotencyKey, streamId, index]), EVENT_ID_NAMESPACE);
}

export function claimEvent(idempotencyKey: string, streamId: string): EventData {
  return jsonEvent({ type: KEY_CLAIMED, data: { idempotencyKey, streamId } });
}

export function releaseEvent(idempotencyKey: string, streamId: string): EventData {
  return jsonEvent({ type: KEY_RELEASED, data: { idempotencyKey, streamId } });
}

export type ClaimState =
  /** The key was never used. */
  | { readonly status: 'free'; readonly revision: typeof NO_STREAM }
  /** An append holds the key: its events are in `streamId`, or on their way, or it died before writing them. */
  | { readonly status: 'claimed'; readonly revision: bigint; readonly streamId: string; readonly claimedAt: number }
  /** The last append that claimed the key failed without writing: the key can be claimed again. */
  | { readonly status: 'released'; readonly revision: bigint; readonly streamId?: string };

/** The state of a key from the last event of its claim stream (none: the stream does not exist). */
export function claimStateOf(
  last:
    { readonly revision: bigint; readonly type: string; readonly data: unknown; readonly created: Date } | undefined,
): ClaimState {
  if (!last) return { status: 'free', revision: NO_STREAM };
  const streamId = (last.data as { streamId?: unknown } | null)?.streamId;
  if (last.type === KEY_CLAIMED && typeof streamId === 'string') {
    return { status: 'claimed', revision: last.revision, streamId, claimedAt: last.created.getTime() };
  }
  return { status: 'released', revision: last.revision, streamId: typeof streamId === 'string' ? streamId : undefined };
}

/**
 * Whether a claim nobody has completed may be taken over: it is older than the lease by the server's clock as
 * seen here, or this process has watched it unchanged for the whole lease (which needs no clock agreement).
 */
export function isClaimStale(claimedAt: number, watchedSince: number, now: number, leaseMs: number): boolean {
  return now - claimedAt >= leaseMs || now - watchedSince >= leaseMs;
}
