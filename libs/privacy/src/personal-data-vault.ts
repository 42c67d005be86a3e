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
  unwrapDataKeyFromKeyStore,
  wrapDataKey,
  wrapDataKeyForKeyStore,
  WRAPPED_BY_KEY_STORE,
  WRAPPED_BY_MASTER_KEY,
  wrappingVersionOf,
} from './envelope-encryption';
import type { KeyStore } from './key-store';
import {
  InvalidMasterKeyError,
  PersonalDataErasedError,
  SealedValueUnreadableError,
  SubjectKeyUnreadableError,
} from './privacy.errors';
import { StoredSubjectKey, SubjectKeysRepository, SubjectKeysTables } from './subject-keys.repository';

export interface PersonalDataVaultOptions {
  /** How many subjects' unwrapped keys stay in memory (default 1000). */
  readonly cacheSize?: number;
  /** How long an unwrapped key is trusted before it is read again, so that an erasure made by another process
   * takes effect here too (default 60 s). */
  readonly cacheTtlMs?: number;
  /**
   * Where each subject's key-encryption key lives, outside the database (see docs/privacy.md). Without it the
   * vault works as before the key store existed: data keys wrapped directly by the master key, so an erased key
   * stays recoverable from the database's WAL, dead tuples and backups with the master key. Production passes
   * one (`new FileKeyStore(settings.keyStoreDir, settings.masterKey)`).
   */
  readonly keyStore?: KeyStore;
}

/** What `prepare` did. */
export interface KeyStorePreparation {
  /** Keys wrapped directly by the master key, now wrapped by their own key in the key store. */
  readonly rewrappedFromMasterKey: number;
  /** Key-store keys that no live subject key uses any more (an erasure or a creation interrupted), destroyed. */
  readonly orphanKeysDestroyed: number;
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
 * and erases that key (crypto-shredding).
 *
 * With a key store, each data key is wrapped by a key-encryption key of its own that lives in the key store,
 * outside the database; erasing a subject nulls its wrapped key and destroys that key-encryption key. What the
 * database still keeps of the old wrapped key (dead tuples, WAL, a backup taken before) then unwraps with no
 * secret the service holds, and every value sealed for the subject, in events or read models, stays unreadable
 * while the streams stay intact. Without a key store the wrapped key is only nulled: see the option.
 */
export class PersonalDataVault {
  private readonly db: Kysely<SubjectKeysTables>;
  private readonly masterKey: KeyObject;
  private readonly keyStore?: KeyStore;
  private readonly repository = new SubjectKeysRepository();
  private readonly cache: SubjectKeyCache;
  private preparation?: Promise<KeyStorePreparation>;

  /** `masterKey`: 32 bytes in base64, as configuration holds it. */
  constructor(database: Database, masterKey: string | KeyObject, options: PersonalDataVaultOptions = {}) {
    this.db = database.db as Kysely<SubjectKeysTables>;
    this.masterKey = typeof masterKey === 'string' ? parseMasterKey(masterKey) : checkedMasterKey(masterKey);
    this.cache = new SubjectKeyCache(options.cacheSize ?? 1000, options.cacheTtlMs ?? 60_000);
    this.keyStore = options.keyStore;
  }

  /**
   * Brings the key store in line with the database; call it at start (erasures run it once too). Re-wraps the
   * keys still wrapped directly by the master key, then destroys every key-store key that no live subject key
   * uses (an erasure or a key creation that a crash interrupted). Idempotent; safe in several processes.
   */
  prepare(): Promise<KeyStorePreparation> {
    this.preparation ??= this.reconcileKeyStore().catch((error: unknown) => {
      this.preparation = undefined;
      throw error;
    });
    return this.preparation;
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
    await this.eraseMany([subjectId], actorId);
  }

  /**
   * Erases several subjects at once (a case and its call-backs): the wrapped keys are nulled in one transaction,
   * then their key-store keys are destroyed. A crash between the two leaves keys that the next `prepare`, or a
   * retry of the erasure, destroys. Must not run inside a transaction that created a key and is still open.
   */
  async eraseMany(subjectIds: readonly string[], actorId: string): Promise<void> {
    for (const subjectId of subjectIds) requireName('subjectId', subjectId);
    requireName('actorId', actorId);
    if (this.keyStore) await this.prepare();
    const keyIds = await this.db.transaction().execute((trx) => this.repository.eraseMany(trx, subjectIds, actorId));
    for (const subjectId of subjectIds) this.cache.rememberErased(subjectId);
    if (this.keyStore) await this.keyStore.destroy(keyIds);
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
      keys.set(subjectId, this.cache.remember(subjectId, await this.unwrap(stored)));
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
      const wrapped = await this.wrapNewKey(db, subjectId, keyId, key);
      if (await this.repository.insertIfAbsent(db, subjectId, keyId, wrapped)) {
        return { state: 'live', keyId, key };
      }
      // A concurrent first use won the insert (ours waited for it to commit): every value of a subject must share
      // its one key, so take the winner's.
      await this.keyStore?.destroy([keyId]);
      const winner = (await this.repository.find(db, [subjectId])).get(subjectId);
      if (!winner) throw new Error(`The key of ${subjectId} was inserted concurrently but cannot be read back`);
      return this.unwrap(winner);
    };
    // Not cached: the caller's transaction may still roll back, and with it a key created inside it.
    if (transaction) return loadOrCreate(transaction);
    return this.cache.remember(subjectId, await this.db.transaction().execute(loadOrCreate));
  }

  /** With a key store: a key-encryption key of its own, stored before the row that needs it can commit. The
   * shared lock, held until the transaction ends, keeps a sweep from taking that key for an orphan meanwhile. */
  private async wrapNewKey(
    db: Kysely<SubjectKeysTables>,
    subjectId: string,
    keyId: string,
    key: KeyObject,
  ): Promise<Uint8Array> {
    if (!this.keyStore) return wrapDataKey(this.masterKey, subjectId, keyId, key);
    await this.repository.lockKeyStoreShared(db);
    const keyEncryptionKey = await this.keyStore.create(keyId);
    return wrapDataKeyForKeyStore(keyEncryptionKey, subjectId, keyId, key);
  }

  private async unwrap(stored: StoredSubjectKey): Promise<SubjectKey> {
    if (stored.state === 'erased') return ERASED;
    const { subjectId, keyId, wrappedKey } = stored;
    if (wrappingVersionOf(wrappedKey) === WRAPPED_BY_MASTER_KEY) {
      return { state: 'live', keyId, key: unwrapDataKey(this.masterKey, subjectId, keyId, wrappedKey) };
    }
    if (wrappingVersionOf(wrappedKey) !== WRAPPED_BY_KEY_STORE || !this.keyStore) {
      throw new SubjectKeyUnreadableError(subjectId);
    }
    const keyEncryptionKey = await this.keyStore.get(keyId);
    // Destroyed by an erasure that a restored backup predates: the row came back, its key did not.
    if (!keyEncryptionKey) return ERASED;
    return { state: 'live', keyId, key: unwrapDataKeyFromKeyStore(keyEncryptionKey, subjectId, keyId, wrappedKey) };
  }

  private async reconcileKeyStore(): Promise<KeyStorePreparation> {
    const keyStore = this.keyStore;
    if (!keyStore) return { rewrappedFromMasterKey: 0, orphanKeysDestroyed: 0 };
    let rewrappedFromMasterKey = 0;
    for (;;) {
      const batch = await this.repository.wrappedByMasterKey(this.db, 100);
      if (batch.length === 0) break;
      for (const stored of batch) {
        if (stored.state !== 'live') continue;
        const { subjectId, keyId, wrappedKey } = stored;
        const dataKey = unwrapDataKey(this.masterKey, subjectId, keyId, wrappedKey);
        const replaced = await this.db.transaction().execute(async (trx) => {
          await this.repository.lockKeyStoreShared(trx);
          const keyEncryptionKey = (await keyStore.get(keyId)) ?? (await keyStore.create(keyId));
          const rewrapped = wrapDataKeyForKeyStore(keyEncryptionKey, subjectId, keyId, dataKey);
          return this.repository.rewrap(trx, subjectId, keyId, wrappedKey, rewrapped);
        });
        if (replaced) rewrappedFromMasterKey++;
      }
    }
    const orphanKeysDestroyed = await this.db.transaction().execute(async (trx) => {
      await this.repository.lockKeyStoreExclusive(trx);
      const held = await keyStore.list();
      const live = await this.repository.liveKeyIds(trx, held);
      const orphans = held.filter((keyId) => !live.has(keyId));
      await keyStore.destroy(orphans);
      await keyStore.removeLeftovers?.();
      return orphans.length;
    });
    return { rewrappedFromMasterKey, orphanKeysDestroyed };
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
