import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock } from './data-dir-lock';
import { dumpEmbedded, openEmbedded } from './database';

const GZIP_MAGIC = [0x1f, 0x8b];

export interface EmbeddedBackup {
  readonly file: string;
  readonly bytes: number;
}

/**
 * Backs up the embedded database of `dataDir` into one file: PGlite's own dump of its data folder (a gzipped tar),
 * taken while this process holds the folder, so nothing writes meanwhile. Only the database: the key store, the
 * erasure ledger and the generated secrets stay out (docs/deploy.md, "Backups"). `target` is a file, or an existing
 * folder that gets `helpline-backup-<time>.tar.gz`. Written to a temporary name and renamed, so a file that exists
 * is whole.
 */
export async function backupEmbedded(dataDir: string, target: string, now = new Date()): Promise<EmbeddedBackup> {
  const file =
    existsSync(target) && statSync(target).isDirectory()
      ? join(target, `helpline-backup-${now.toISOString().replace(/[:.]/g, '-')}.tar.gz`)
      : target;
  const database = await openEmbedded({ dataDir });
  let dump: Blob;
  try {
    dump = await dumpEmbedded(database, 'gzip');
  } finally {
    await database.close();
  }
  const bytes = Buffer.from(await dump.arrayBuffer());
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.partial`;
  writeFileSync(temporary, bytes, { mode: 0o600 });
  renameSync(temporary, file);
  return { file, bytes: bytes.length };
}

export interface EmbeddedRestore {
  /** Where the database that was replaced was moved (delete it once the restore is checked). */
  readonly previous?: string;
}

/**
 * Replaces the embedded database of `dataDir` with a backup made by `backupEmbedded`. The backup is first loaded
 * into a folder of its own and opened; only then is the current database moved aside (kept, not deleted) and the
 * restored one renamed into its place. Refuses while another process (the API) holds the folder.
 */
export async function restoreEmbedded(dataDir: string, backupFile: string, now = new Date()): Promise<EmbeddedRestore> {
  const bytes = readFileSync(backupFile);
  const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  mkdirSync(dataDir, { recursive: true });
  const release = acquireDataDirLock(dataDir);
  const incoming = join(dataDir, `pgdata.restoring-${process.pid}`);
  try {
    rmSync(incoming, { recursive: true, force: true });
    const restored = await PGlite.create({
      dataDir: incoming,
      loadDataDir: new Blob([bytes], { type: gzipped ? 'application/x-gzip' : 'application/x-tar' }),
    });
    await restored.query('select 1');
    await restored.close();
    const current = join(dataDir, 'pgdata');
    let previous: string | undefined;
    if (existsSync(current)) {
      previous = join(dataDir, `pgdata.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
      renameSync(current, previous);
    }
    renameSync(incoming, current);
    return previous ? { previous } : {};
  } catch (error) {
    rmSync(incoming, { recursive: true, force: true });
    throw error;
  } finally {
    await release();
  }
}
