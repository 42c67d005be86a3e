import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The embedded database is one process's at a time: a second opener is told plainly who holds it. */
export class EmbeddedStoreBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another running process (pid ${holderPid}), ` +
        'for example the API. Stop that process first, or run both on a PostgreSQL server by setting DATABASE_URL.',
    );
    this.name = 'EmbeddedStoreBusyError';
  }
}

/** The lock files this process holds now: a lock naming our pid that is not here was left by an earlier life. */
const heldHere = new Set<string>();

/**
 * Who holds a lock: a pid and, where the system tells it (Linux), when that process started. A pid alone is not
 * enough: a container restarted after kill -9 usually gets the same pid again, and any process may reuse a pid.
 */
interface LockHolder {
  readonly pid: number;
  readonly startedAt?: string;
}

function processStartTime(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the command name (which may itself hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function parseHolder(content: string): LockHolder | undefined {
  const [pidText, startedAt] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return startedAt ? { pid, startedAt } : { pid };
}

function isHeldByAnother(holder: LockHolder, lockFile: string): boolean {
  if (holder.pid === process.pid) return heldHere.has(lockFile);
  if (!isAlive(holder.pid)) return false;
  // A live process with that pid, but not the one that wrote the lock: the pid was reused.
  if (holder.startedAt !== undefined) {
    const startedAt = processStartTime(holder.pid);
    if (startedAt !== undefined && startedAt !== holder.startedAt) return false;
  }
  return true;
}

export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const lockFile = join(dataDir, 'helpline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, [process.pid, processStartTime(process.pid)].filter(Boolean).join(' '));
      closeSync(fd);
      heldHere.add(lockFile);
      return async () => {
        heldHere.delete(lockFile);
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = parseHolder(readFileSync(lockFile, 'utf8'));
      if (holder && isHeldByAnother(holder, lockFile)) throw new EmbeddedStoreBusyError(dataDir, holder.pid);
      // The holder died without cleaning up (killed, or an earlier life of this very process): the lock is stale.
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
