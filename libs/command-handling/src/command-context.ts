/** Who sends a command, as far as the command path cares: the aggregate's `reachableBy` sees the whole principal. */
export interface CommandPrincipal {
  readonly id: string;
  readonly role: string;
}

/** What a command brings besides its own fields: who, which request, and the client's retry and version guards. */
export interface CommandContext<TPrincipal extends CommandPrincipal = CommandPrincipal> {
  readonly principal: TPrincipal;
  readonly requestId: string;
  readonly correlationId?: string;
  /** The same key again returns the first result and appends nothing. */
  readonly idempotencyKey?: string;
  /** The stream version the client saw (If-Match / expectedVersion): a stale one is refused, never retried. */
  readonly expectedVersion?: number;
  /**
   * Where `expectedVersion` came from: an HTTP precondition (`If-Match`, a stale one is 412) or a field of the
   * command's body (a stale one is a conflict, 409). Absent is read as `body`.
   */
  readonly expectedVersionFrom?: 'if-match' | 'body';
  /** A digest of the request (canonical: it does not depend on the order of a body's fields). */
  readonly fingerprint: string;
}
