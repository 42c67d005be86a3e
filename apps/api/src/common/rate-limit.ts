import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';

/**
 * Rate limits per caller: the subject of the bearer token when there is one (read without verifying it: the
 * authentication guard refuses a forged token anyway, and a forger only spends their own budget), else the
 * client's address. One person with several tabs shares one budget; people behind one proxy do not.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const headers = (request.headers ?? {}) as Record<string, string | undefined>;
    const subject = subjectOf(headers.authorization);
    if (subject) return `sub:${createHash('sha256').update(subject).digest('base64url')}`;
    return `ip:${typeof request.ip === 'string' ? request.ip : 'unknown'}`;
  }
}

function subjectOf(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+([\w-]+)\.([\w-]+)\.[\w-]*$/i.exec(authorization ?? '');
  if (!token?.[2]) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token[2], 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && claims.sub.length <= 256 ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
