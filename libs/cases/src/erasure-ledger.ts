import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ErasureReason } from '@helpline/domain';

/** One case's erasure, as it was recorded: no personal value, only what a restore needs to record it again. */
export interface RecordedErasure {
  readonly caseId: string;
  readonly reason: ErasureReason;
  /** When the erasure happened (the event's occurredAt). */
  readonly occurredAt: string;
  /** Who erased it (a user id, or a system actor). */
  readonly erasedBy: string;
}

/**
 * The erasures of cases, kept beside the key store (`KEY_STORE_DIR/erasures.jsonl`), outside the database and its
 * backups. A database restored from a backup taken before an erasure has lost the erasure's event, while the
 * key store has lost the keys: `reapplyErasures` reads this file and records each lost erasure again, so the case's
 * history says it was erased. One JSON line per erasure, appended and synced; a line a crash cut short is skipped.
 */
export class ErasureLedger {
  static readonly FILE_NAME = 'erasures.jsonl';

  constructor(readonly file: string) {}

  static beside(keyStoreDir: string): ErasureLedger {
    return new ErasureLedger(join(keyStoreDir, ErasureLedger.FILE_NAME));
  }

  async record(erasure: RecordedErasure): Promise<void> {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const descriptor = openSync(this.file, 'a', 0o600);
    try {
      writeSync(descriptor, `${JSON.stringify(erasure)}\n`);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  }

  async read(): Promise<RecordedErasure[]> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const erasure = JSON.parse(line) as RecordedErasure;
        return typeof erasure.caseId === 'string' ? [erasure] : [];
      } catch {
        return [];
      }
    });
  }
}
