import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';

/**
 * What command groups borrow from program.ts (settings and the store, with its friendly errors). Passed in rather
 * than imported, so that program.ts can register the groups without an import cycle.
 */
export interface CliSupport {
  readonly loadSettings: () => Settings;
  readonly withDatabase: <T>(settings: Settings, work: (database: Database) => Promise<T>) => Promise<T>;
  /** Ends the command with a message for the user and an exit code, without a stack trace. */
  readonly fail: (message: string, exitCode?: number) => never;
  /** Runs work that takes the embedded store's folder, saying plainly when another process holds it. */
  readonly busy: <T>(work: () => Promise<T>) => Promise<T>;
}
