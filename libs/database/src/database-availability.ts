/**
 * Errors that say the database is away (restarting, failing over, our session terminated, unreachable) rather
 * than that a statement is wrong. A request that meets one can be retried later: the API answers 503 with
 * Retry-After, the projection runner backs off and tries again.
 *
 * SQLSTATE classes 08 (connection exception) and 57P (operator intervention: admin_shutdown, crash_shutdown,
 * cannot_connect_now, database_dropped), 53300 (too many connections), and the driver's own socket errors.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|53300)$/;
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (UNAVAILABLE_MESSAGES.some((known) => message.includes(known))) return true;
    current = candidate.cause;
  }
  return false;
}
