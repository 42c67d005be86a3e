import type { Response } from 'express';

/** What every command answers: the record's new version, and whether this answer replays an earlier request. */
export interface CommandAnswer {
  readonly version: number;
  readonly replayed: boolean;
}

/** The record's new version as ETag, and `Idempotent-Replayed: true` when the answer repeats an earlier request's. */
export async function answerCommand<T extends CommandAnswer>(response: Response, running: Promise<T>): Promise<T> {
  const result = await running;
  response.setHeader('ETag', `"${result.version}"`);
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return result;
}
