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

export function acquireDataDirLock(dataDir: string): () => Promise<void> {
  const lockFile = join(dataDir, 'helpline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return async () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holderPid = Number(readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(holderPid) && holderPid > 0 && isAlive(holderPid)) {
        throw new EmbeddedStoreBusyError(dataDir, holderPid);
      }
      // The holder died without cleaning up (or it is us after a crash): the lock is stale.
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
