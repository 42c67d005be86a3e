import type { LogPosition, ReadAllOptions, RecordedEvent, SubscribeOptions } from './event-store.port';
import { START_OF_LOG } from './event-store.port';

export interface LogTailSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Resolves when new events may be there, or after `timeoutMs`, or when the signal aborts. */
  waitForChange(timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

const MIN_POLL_MS = 5;
const MAX_POLL_MS = 1000;

/**
 * Shared by the adapters that tail by reading: read a batch after the last position; when none came, wait for a
 * change notice or a poll timer that backs off from 5 ms to 1 s (a notice can arrive while an older transaction
 * still hides the new events, so the reader polls again rather than trusting notices alone).
 */
export async function* tailLog(source: LogTailSource, options: SubscribeOptions): AsyncGenerator<RecordedEvent[]> {
  let after: LogPosition = options.after ?? START_OF_LOG;
  const limit = options.batchSize ?? 500;
  let pollMs = MIN_POLL_MS;
  while (!options.signal?.aborted) {
    const batch = await source.readAll({ after, limit, types: options.types });
    const last = batch.at(-1);
    if (last) {
      pollMs = MIN_POLL_MS;
      after = last.position;
      yield batch;
      continue;
    }
    await source.waitForChange(pollMs, options.signal);
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}

/** A wake-up bell: `ring()` releases every current waiter; waiters also leave on timeout or abort. */
export class ChangeBell {
  private waiters = new Set<() => void>();

  ring(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}
