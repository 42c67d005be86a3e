import { KeyObject, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '@helpline/database';
import {
  generateDataKey,
  openValue,
  parseMasterKey,
  Sealed,
  sealValue,
  unwrapDataKey,
  wrapDataKey,
} from './envelope-encryption';
import { InvalidMasterKeyError, PersonalDataErasedError, SealedValueUnreadableError } from './privacy.errors';
import { StoredSubjectKey, SubjectKeysRepository, SubjectKeysTables } from './subject-keys.repository';

export interface PersonalDataVaultOptions {
  /** How many subjects' unwrapped keys stay in memory (default 1000). */
  readonly cacheSize?: number;
  /** How long an unwrapped key is trusted before it is read again, so that an erasure made by another process
   * takes effect here too (default 60 s). */
  readonly cacheTtlMs?: number;
}

/** One sealed value to open, with the subject and field it was sealed for. */
export interface SealedField {
  readonly subjectId: string;
  readonly field: string;
  readonly sealed: Sealed;
}

type SubjectKey =
  { readonly state: 'live'; readonly keyId: string; readonly key: KeyObject } | { readonly state: 'erased' };

const ERASED: SubjectKey = { state: 'erased' };

/**
 * Seals and opens the personal values of a subject (a case, a safety request) with the subject's own data key,
 * and erases that key (crypto-shredding): every copy of every value sealed for the subject, in events, read
 * models or backups, becomes unreadable while the streams stay intact.
 */
export class PersonalDataVault {
  private readonly db: Kysely<SubjectKeysTables>;
  private readonly masterKey: KeyObject;
  private readonly repository = new SubjectKeysRepository();
  private readonly cache: SubjectKeyCache;

  /** `masterKey`: 32 bytes in base64, as configuration holds it. */
  constructor(database: Database, masterKey: string | KeyObject, options: PersonalDataVaultOptions = {}) {
    this.db = database.db as Kysely<SubjectKeysTables>;
    this.masterKey = typeof masterKey === 'string' ? parseMasterKey(masterKey) : checkedMasterKey(masterKey);
    this.cache = new SubjectKeyCache(options.cacheSize ?? 1000, options.cacheTtlMs ?? 60_000);
  }

  /**
   * Encrypts `plaintext` for `field` of `subjectId`, creating the subject's key on first use. Given a
   * transaction, the key is created in it, so it commits or rolls back with the caller's other writes.
   * Throws PersonalDataErasedError when the subject was erased.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the caller's transaction, whatever tables it was typed with
  async seal(subjectId: string, field: string, plaintext: string, transaction?: Transaction<any>): Promise<Sealed> {
    requireName('subjectId', subjectId);
    requireName('field', field);
    const key = this.cache.get(subjectId) ?? (await this.loadOrCreateKey(subjectId, transaction));
    if (key.state === 'erased') throw new PersonalDataErasedError(subjectId, field);
    return sealValue(key.key, key.keyId, subjectId, field, plaintext);
  }

  /** The plaintext, or undefined when the subject was erased. Throws SealedValueUnreadableError when the value
   * was not sealed for this subject and field, or was altered. */
  async open(subjectId: string, field: string, sealed: Sealed): Promise<string | undefined> {
    const [plaintext] = await this.openMany([{ subjectId, field, sealed }]);
    return plaintext;
  }

  /** Opens many values (a queue page, a case's history) with one key lookup for all uncached subjects. */
  async openMany(values: readonly SealedField[]): Promise<Array<string | undefined>> {
    const keys = await this.keysOf(values.map((value) => value.subjectId));
    return values.map(({ subjectId, field, sealed }) => {
      const key = keys.get(subjectId);
      if (key?.state === 'erased') return undefined;
      if (!key || key.keyId !== sealed.keyId) throw new SealedValueUnreadableError(subjectId, field);
      return openValue(key.key, subjectId, field, sealed);
    });
  }

  /** Destroys the subject's key and records who did it. Idempotent; final: nothing can be sealed for it again. */
  async erase(subjectId: string, actorId: string): Promise<void> {
    requireName('subjectId', subjectId);
    requireName('actorId', actorId);
    await this.repository.erase(this.db, subjectId, actorId);
    this.cache.rememberErased(subjectId);
  }

  async isErased(subjectId: string): Promise<boolean> {
    if (this.cache.get(subjectId)?.state === 'erased') return true;
    const stored = (await this.repository.find(this.db, [subjectId])).get(subjectId);
    if (stored?.state !== 'erased') return false;
    this.cache.rememberErased(subjectId);
    return true;
  }

  private async keysOf(subjectIds: readonly string[]): Promise<Map<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    const missing: string[] = [];
    for (const subjectId of new Set(subjectIds)) {
      const cached = this.cache.get(subjectId);
      if (cached) keys.set(subjectId, cached);
      else missing.push(subjectId);
    }
    for (const [subjectId, stored] of await this.repository.find(this.db, missing)) {
      keys.set(subjectId, this.cache.remember(subjectId, this.unwrap(stored)));
    }
    return keys;
  }

  private async loadOrCreateKey(
    subjectId: string,
    transaction: Transaction<SubjectKeysTables> | undefined,
  ): Promise<SubjectKey> {
    const loadOrCreate = async (db: Kysely<SubjectKeysTables>): Promise<SubjectKey> => {
      const existing = (await this.repository.find(db, [subjectId])).get(subjectId);
      if (existing) return this.unwrap(existing);
      const keyId = randomUUID();
      const key = generateDataKey();
      if (
        await this.repository.insertIfAbsent(db, subjectId, keyId, wrapDataKey(this.masterKey, subjectId, keyId, key))
      ) {
        return { state: 'live', keyId, key };
      }
      // A concurrent first use won the insert (ours waited for it to commit): every value of a subject must share
      // its one key, so take the winner's.
      const winner = (await this.repository.find(db, [subjectId])).get(subjectId);
      if (!winner) throw new Error(`The key of ${subjectId} was inserted concurrently but cannot be read back`);
      return this.unwrap(winner);
    };
    // Not cached: the caller's transaction may still roll back, and with it a key created inside it.
    if (transaction) return loadOrCreate(transaction);
    return this.cache.remember(subjectId, await this.db.transaction().execute(loadOrCreate));
  }

  private unwrap(stored: StoredSubjectKey): SubjectKey {
    if (stored.state === 'erased') return ERASED;
    return {
      state: 'live',
      keyId: stored.keyId,
      key: unwrapDataKey(this.masterKey, stored.subjectId, stored.keyId, stored.wrappedKey),
    };
  }
}

/** Least recently used first out; live keys expire, erasures do not (they are final). */
class SubjectKeyCache {
  private readonly entries = new Map<string, { key: SubjectKey; expiresAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get(subjectId: string): SubjectKey | undefined {
    const entry = this.entries.get(subjectId);
    if (!entry) return undefined;
    this.entries.delete(subjectId);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.entries.set(subjectId, entry);
    return entry.key;
  }

  /** Returns the key to use: a read that started before an erasure seen here must not bring the key back. */
  remember(subjectId: string, key: SubjectKey): SubjectKey {
    const current = this.entries.get(subjectId);
    if (current?.key.state === 'erased') return current.key;
    this.entries.delete(subjectId);
    this.entries.set(subjectId, { key, expiresAt: key.state === 'erased' ? Infinity : Date.now() + this.ttlMs });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return key;
  }

  rememberErased(subjectId: string): void {
    this.entries.delete(subjectId);
    this.remember(subjectId, ERASED);
  }
}

function checkedMasterKey(key: KeyObject): KeyObject {
  if (key.type !== 'secret' || key.symmetricKeySize !== 32) throw new InvalidMasterKeyError();
  return key;
}

function requireName(name: string, value: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${name} must be a non-empty string`);
}
