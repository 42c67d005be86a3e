import { BadRequestException, Param, PipeTransform } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DIRECTORY_ID } from './directory-entries.dto';

class DirectoryIdPipe implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    if (!DIRECTORY_ID.test(value)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        reason: 'the request is not valid',
        errors: [
          { field: this.name, reason: `${this.name} must be 1-128 of A-Za-z0-9._:@-, starting with a letter or digit` },
        ],
      });
    }
    return value;
  }
}

/** A path parameter naming a directory entry; anything that cannot be an id is a 400 naming the parameter. */
export const DirectoryIdParam = (name = 'id') => Param(name, new DirectoryIdPipe(name));

/**
 * The version an administrator read: If-Match ("3", W/"3") or the body's expectedVersion. Required for every
 * change, retirement and reactivation, so an edit made on a stale copy is refused (409) rather than applied.
 */
export function expectedVersionOf(request: Request, bodyVersion: number | undefined): number {
  // Node joins repeated If-Match headers into one string.
  const ifMatch = request.headers['if-match'];
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(ifMatch.trim());
    if (!match) throw invalidVersion('If-Match', 'must be the entry version, e.g. "3"');
    return Number(match[1]);
  }
  if (bodyVersion === undefined)
    throw invalidVersion('expectedVersion', 'send the version you read, as If-Match: "3" or as expectedVersion');
  return bodyVersion;
}

function invalidVersion(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    reason: 'the request is not valid',
    errors: [{ field, reason }],
  });
}

/** Every entry answers with its version, also as ETag, to send back as If-Match. */
export function withETag<T extends { version: number }>(response: Response, entry: T): T {
  response.setHeader('ETag', `"${entry.version}"`);
  return entry;
}
