import type { IncomingMessage } from 'node:http';
import express from 'express';
import type { RequestHandler } from 'express';

/** Deeper than any body the API accepts (the directory's HSDS entries are the deepest, at about six levels). */
export const MAX_JSON_DEPTH = 32;

/** The body size every JSON route accepts (large directory imports read their own stream, with their own limit). */
export const JSON_BODY_LIMIT = '100kb';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of objects and arrays in a JSON text, read from its bytes before anything parses it: a body
 * of a few kilobytes nested a thousand levels deep would otherwise overflow the stack of the code that turns it
 * into DTOs. Brackets inside strings do not count.
 */
export function jsonNestingDepth(body: Uint8Array, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** body-parser answers a `verify` error with its own status and type: the error filter turns it into a 400. */
export class JsonTooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';

  constructor() {
    super(`the JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
}

function refuseDeepJson(_request: IncomingMessage, _response: unknown, body: Buffer): void {
  if (jsonNestingDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new JsonTooDeepError();
}

/** The API's body parsers: JSON bounded in size and depth, and the URL-encoded forms Nest parses by default. */
export function bodyParsers(): RequestHandler[] {
  return [
    express.json({ limit: JSON_BODY_LIMIT, verify: refuseDeepJson }),
    express.urlencoded({ extended: true, limit: JSON_BODY_LIMIT }),
  ];
}
