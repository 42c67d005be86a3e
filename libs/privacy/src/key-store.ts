import { randomBytes, KeyObject } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  generateDataKey,
  masterKeyId,
  parseMasterKey,
  unwrapKeyEncryptionKey,
  wrapKeyEncryptionKey,
} from './envelope-encryption';
import { KeyStoreKeyUnreadableError } from './privacy.errors';

/**
 * Where the subjects' key-encryption keys live: outside the database, so that nothing the database keeps (its
 * heap's dead tuples, its WAL, its backups) can unwrap a data key whose key-encryption key was destroyed.
 * The file adapter below keeps one file per key; a KMS or HSM adapter would implement the same port.
 */
export interface KeyStore {
  /** Creates and durably stores a new key-encryption key named `keyId` (a fresh UUID). */
  create(keyId: string): Promise<KeyObject>;
  /** The key, or undefined when it was destroyed (or never stored). */
  get(keyId: string): Promise<KeyObject | undefined>;
  /** Destroys the keys; idempotent. */
  destroy(keyIds: readonly string[]): Promise<void>;
  /** The names of every key held. */
  list(): Promise<string[]>;
  /** Removes what an interrupted write left behind (called while no key is being created). */
  removeLeftovers?(): Promise<void>;
}

const KEY_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.key\.json$/;
const TEMPORARY_FILE = /^\..*\.tmp$/;

interface KeyFile {
  readonly format: 1;
  readonly keyId: string;
  /** Which master key wrapped it (a public name, see `masterKeyId`). */
  readonly masterKeyId: string;
  readonly createdAt: string;
  /** base64 of the key-encryption key wrapped by the master key (envelope version 2). */
  readonly wrappedKey: string;
}

/**
 * The key store as a folder: `<keyId>.key.json` per key, each holding the key wrapped by the master key, written
 * atomically (temporary file, fsync, rename, fsync of the folder) with mode 600. Files never change once written
 * (except by a master-key rotation), so processes sharing the folder need no lock to read or create; destroying
 * overwrites the file with zeros before unlinking it (best effort: see docs/privacy.md on disk remanence).
 */
export class FileKeyStore implements KeyStore {
  private masterKey: KeyObject;

  constructor(
    readonly folder: string,
    masterKey: string | Buffer | KeyObject,
  ) {
    this.masterKey = asMasterKey(masterKey);
  }

  async create(keyId: string): Promise<KeyObject> {
    requireKeyId(keyId);
    const key = generateDataKey();
    this.write(keyId, this.keyFile(keyId, key, new Date().toISOString()), 'wx');
    return key;
  }

  async get(keyId: string): Promise<KeyObject | undefined> {
    const file = this.read(keyId);
    if (!file) return undefined;
    return this.unwrap(file);
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    let destroyed = false;
    for (const keyId of keyIds) {
      requireKeyId(keyId);
      destroyed = shred(join(this.folder, fileName(keyId))) || destroyed;
    }
    if (destroyed) fsyncFolder(this.folder);
  }

  async list(): Promise<string[]> {
    return this.entries()
      .map((name) => KEY_FILE.exec(name)?.[1])
      .filter((keyId): keyId is string => keyId !== undefined);
  }

  /** Removes temporary files a crashed writer left (their keys were never referenced by the database). */
  async removeLeftovers(): Promise<void> {
    for (const name of this.entries()) if (TEMPORARY_FILE.test(name)) shred(join(this.folder, name));
  }

  /**
   * Re-wraps every key under `newMasterKey`, one file at a time, each atomically; resumable after a crash (a
   * file already under the new key is skipped). Afterwards this store reads with the new key only: restart the
   * other processes with the new MASTER_KEY, then destroy the old one.
   */
  async rotateMasterKey(newMasterKey: string | Buffer | KeyObject): Promise<{ rewrapped: number }> {
    const next = asMasterKey(newMasterKey);
    const nextId = masterKeyId(next);
    let rewrapped = 0;
    for (const keyId of await this.list()) {
      const file = this.read(keyId);
      if (!file || file.masterKeyId === nextId) continue;
      const key = this.unwrap(file);
      const rewrappedFile: KeyFile = {
        ...file,
        masterKeyId: nextId,
        wrappedKey: wrapKeyEncryptionKey(next, keyId, key).toString('base64'),
      };
      this.write(keyId, rewrappedFile, 'w');
      rewrapped++;
    }
    this.masterKey = next;
    return { rewrapped };
  }

  private keyFile(keyId: string, key: KeyObject, createdAt: string): KeyFile {
    return {
      format: 1,
      keyId,
      masterKeyId: masterKeyId(this.masterKey),
      createdAt,
      wrappedKey: wrapKeyEncryptionKey(this.masterKey, keyId, key).toString('base64'),
    };
  }

  private unwrap(file: KeyFile): KeyObject {
    const key = unwrapKeyEncryptionKey(this.masterKey, file.keyId, Buffer.from(file.wrappedKey, 'base64'));
    if (!key) throw new KeyStoreKeyUnreadableError(file.keyId, file.masterKeyId !== masterKeyId(this.masterKey));
    return key;
  }

  private read(keyId: string): KeyFile | undefined {
    requireKeyId(keyId);
    let text: string;
    try {
      text = readFileSync(join(this.folder, fileName(keyId)), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const file = JSON.parse(text) as KeyFile;
    if (file.keyId !== keyId) throw new KeyStoreKeyUnreadableError(keyId, false);
    return file;
  }

  /** `wx` refuses to replace an existing key (a key id is created once); `w` replaces it (master-key rotation). */
  private write(keyId: string, file: KeyFile, flag: 'wx' | 'w'): void {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const target = join(this.folder, fileName(keyId));
    if (flag === 'wx' && this.read(keyId)) throw new Error(`The key store already holds a key named ${keyId}`);
    const temporary = join(this.folder, `.${fileName(keyId)}.${randomBytes(6).toString('hex')}.tmp`);
    const descriptor = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(descriptor, JSON.stringify(file));
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, target);
    fsyncFolder(this.folder);
  }

  private entries(): string[] {
    try {
      return readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

function fileName(keyId: string): string {
  return `${keyId}.key.json`;
}

function requireKeyId(keyId: string): void {
  if (!KEY_FILE.test(fileName(keyId))) throw new TypeError('A key store key id must be a lower-case UUID');
}

function asMasterKey(masterKey: string | Buffer | KeyObject): KeyObject {
  if (typeof masterKey === 'string') return parseMasterKey(masterKey);
  if (Buffer.isBuffer(masterKey)) return parseMasterKey(masterKey.toString('base64'));
  return parseMasterKey(masterKey.export().toString('base64'));
}

/** Overwrites the file with zeros, syncs, unlinks; false when there was no file. */
function shred(path: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const size = readFileSync(path).length;
    writeSync(descriptor, Buffer.alloc(size), 0, size, 0);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  rmSync(path, { force: true });
  return true;
}

function fsyncFolder(folder: string): void {
  const descriptor = openSync(folder, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
