import type { Principal } from '@helpline/auth';

/**
 * What a safety command brings besides its own fields: who, which HTTP request, and the client's retry and version
 * guards. The same shape as the case commands' context, so the API builds both the same way.
 */
export interface SafetyCommandContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly correlationId?: string;
  /** The same key again returns the first result and appends nothing. */
  readonly idempotencyKey?: string;
  /** The record version the client saw (If-Match). */
  readonly expectedVersion?: number;
  /** A digest of the request, to refuse a key reused for a different request. */
  readonly fingerprint: string;
}
