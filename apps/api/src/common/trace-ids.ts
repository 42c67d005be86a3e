import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request or correlation id a client may send: a plain token, short enough for every log line to carry it. */
export const TRACE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A caller's request id is kept when it is a plain token; otherwise we make one. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && TRACE_ID.test(given) ? given : randomUUID();
}

/** Gives every request its id, whether pino-http runs on the route or not (it keeps an id already given). */
export function assignRequestId(
  request: IncomingMessage & { id?: unknown },
  _response: ServerResponse,
  next: () => void,
): void {
  request.id ??= requestIdFor(request);
  next();
}

/** This request's id (pino-http gives every request one). */
export function requestIdOf(request: { id?: unknown }): string {
  return typeof request.id === 'string' ? request.id : '';
}

/** The client's X-Correlation-Id when it is a plain token; anything else is dropped, never logged. */
export function correlationIdOf(request: IncomingMessage): string | undefined {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && TRACE_ID.test(given) ? given : undefined;
}
