import type { Principal } from '@helpline/auth';

/** What a command brings besides its own fields: who, which request, and the client's retry and version guards. */
export interface CommandContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly correlationId?: string;
  /** The same key again returns the first result and appends nothing. */
  readonly idempotencyKey?: string;
  /** The case version the client saw. */
  readonly expectedVersion?: number;
  /** A digest of the request, to refuse a key reused for a different request. */
  readonly fingerprint: string;
}
