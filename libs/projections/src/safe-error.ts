/**
 * What the runner records and logs about an error: its name and machine code (a PostgreSQL SQLSTATE, a domain
 * code), never its message, which may echo the values of the event being applied.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Object)) return typeof error;
  const candidate = error as { name?: unknown; code?: unknown; constraint?: unknown; constructor?: { name?: unknown } };
  let name = typeof candidate.name === 'string' && candidate.name !== 'error' ? candidate.name : undefined;
  if (!name || name === 'Error') {
    const constructorName = candidate.constructor?.name;
    if (typeof constructorName === 'string' && constructorName !== 'Object') name = constructorName;
  }
  const parts = [safeToken(name) ?? 'Error'];
  const code = safeToken(candidate.code);
  if (code) parts.push(`[${code}]`);
  const constraint = safeToken(candidate.constraint);
  if (constraint) parts.push(`constraint ${constraint}`);
  return parts.join(' ');
}

const TOKEN = /^[A-Za-z0-9_.:-]{1,80}$/;

/** Only identifier-like values: a code that carries free text is dropped rather than recorded. */
function safeToken(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
}

const TRANSIENT_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EAI_AGAIN']);

/**
 * Errors that say nothing about the projection's logic and go away on retry: lost connections, serialization
 * failures and deadlocks, lock timeouts, a server shutting down or out of resources. The runner retries these
 * with a backoff instead of stopping the projection.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Object)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') {
    const message = (error as { message?: unknown }).message;
    return (
      typeof message === 'string' &&
      /Connection terminated|connection (?:is )?closed|Client has encountered a connection error/i.test(message)
    );
  }
  if (TRANSIENT_NODE_CODES.has(code)) return true;
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return (
    code.startsWith('08') || // connection exception
    code.startsWith('53') || // insufficient resources
    code === '40001' || // serialization failure
    code === '40P01' || // deadlock detected
    code === '55P03' || // lock not available (lock_timeout)
    code === '57P01' || // admin shutdown
    code === '57P02' || // crash shutdown
    code === '57P03' || // cannot connect now
    code === '57014' // query cancelled (statement_timeout)
  );
}
