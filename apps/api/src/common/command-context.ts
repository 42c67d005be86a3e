import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Principal } from '@helpline/auth';
import { BadRequestException } from '@nestjs/common';
import type { CommandContext as GenericCommandContext } from '@helpline/command-handling';
import { requestIdOf } from './trace-ids';

export type CommandContext = GenericCommandContext<Principal>;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

export function commandContext(
  request: Request & { principal?: Principal; id?: unknown },
  principal: Principal,
  bodyVersion?: number,
): CommandContext {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const idempotencyKey = header('idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      reason: 'the request is not valid',
      errors: [{ field: 'Idempotency-Key', reason: 'must be 8 to 128 letters, digits or . _ : -' }],
    });
  }
  const ifMatch = header('if-match');
  let expectedVersion = bodyVersion;
  let expectedVersionFrom: 'if-match' | 'body' = 'body';
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(ifMatch.trim());
    if (!match) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        reason: 'the request is not valid',
        errors: [{ field: 'If-Match', reason: 'must be the case version, e.g. "3"' }],
      });
    }
    expectedVersion = Number(match[1]);
    expectedVersionFrom = 'if-match';
  }
  const correlation = header('x-correlation-id');
  return {
    principal,
    requestId: requestIdOf(request),
    correlationId: correlation && /^[A-Za-z0-9._:-]{1,100}$/.test(correlation) ? correlation : undefined,
    idempotencyKey,
    expectedVersion,
    expectedVersionFrom,
    fingerprint: createHash('sha256')
      .update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`)
      .digest('base64url'),
  };
}

/** JSON with every object's keys sorted: the same body sent with its fields in another order has one fingerprint. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)))
      : nested,
  );
}
