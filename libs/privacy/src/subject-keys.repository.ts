import { Kysely, sql } from 'kysely';
import type { ColumnType, Generated } from 'kysely';

export interface SubjectKeysTable {
  subject_id: string;
  /** Null only on the tombstone of a subject erased before it ever had a key. */
  key_id: string | null;
  /** Null once erased: the table then holds no key material for the subject. */
  wrapped_key: Uint8Array | null;
  created_at: Generated<Date>;
  erased_at: ColumnType<Date | null, never, never>;
  erased_by: string | null;
}

export interface SubjectKeysTables {
  subject_keys: SubjectKeysTable;
}

export type StoredSubjectKey =
  | { readonly state: 'live'; readonly subjectId: string; readonly keyId: string; readonly wrappedKey: Uint8Array }
  | { readonly state: 'erased'; readonly subjectId: string };

/** Any fixed number: the advisory lock that keeps a key-store sweep from destroying a key still being created. */
const KEY_STORE_LOCK = 7_304_117_519;

/** The SQL of the `subject_keys` table (migration 20261125130000_case-keys). */
export class SubjectKeysRepository {
  /** Held (shared) by a transaction that creates keys until it ends; a sweep holds it alone. */
  async lockKeyStoreShared(db: Kysely<SubjectKeysTables>): Promise<void> {
    await sql`select pg_advisory_xact_lock_shared(${KEY_STORE_LOCK}::bigint)`.execute(db);
  }

  async lockKeyStoreExclusive(db: Kysely<SubjectKeysTables>): Promise<void> {
    await sql`select pg_advisory_xact_lock(${KEY_STORE_LOCK}::bigint)`.execute(db);
  }

  /** Of `keyIds`, those of a key that is not erased. */
  async liveKeyIds(db: Kysely<SubjectKeysTables>, keyIds: readonly string[]): Promise<Set<string>> {
    const live = new Set<string>();
    for (let start = 0; start < keyIds.length; start += 1000) {
      const rows = await db
        .selectFrom('subject_keys')
        .select('key_id')
        .where('key_id', 'in', keyIds.slice(start, start + 1000))
        .where('wrapped_key', 'is not', null)
        .execute();
      for (const row of rows) live.add(row.key_id!);
    }
    return live;
  }

  /** Live keys still wrapped directly by the master key (envelope version 1), a batch at a time. */
  async wrappedByMasterKey(db: Kysely<SubjectKeysTables>, limit: number): Promise<StoredSubjectKey[]> {
    const rows = await db
      .selectFrom('subject_keys')
      .select(['subject_id', 'key_id', 'wrapped_key'])
      .where('wrapped_key', 'is not', null)
      .where(sql<boolean>`get_byte(wrapped_key, 0) = 1`)
      .limit(limit)
      .execute();
    return rows.map(toStoredKey);
  }

  /** Replaces a live key's wrapping, unless it changed (or was erased) meanwhile; true when replaced. */
  async rewrap(
    db: Kysely<SubjectKeysTables>,
    subjectId: string,
    keyId: string,
    previous: Uint8Array,
    next: Uint8Array,
  ): Promise<boolean> {
    const result = await db
      .updateTable('subject_keys')
      .set({ wrapped_key: next })
      .where('subject_id', '=', subjectId)
      .where('key_id', '=', keyId)
      .where('wrapped_key', '=', previous)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Erases every subject (see `erase`) and returns the ids of their keys, erased now or before. */
  async eraseMany(db: Kysely<SubjectKeysTables>, subjectIds: readonly string[], actorId: string): Promise<string[]> {
    for (const subjectId of new Set(subjectIds)) await this.erase(db, subjectId, actorId);
    if (subjectIds.length === 0) return [];
    const rows = await db
      .selectFrom('subject_keys')
      .select('key_id')
      .where('subject_id', 'in', [...new Set(subjectIds)])
      .where('key_id', 'is not', null)
      .execute();
    return rows.map((row) => row.key_id!);
  }

  async find(db: Kysely<SubjectKeysTables>, subjectIds: readonly string[]): Promise<Map<string, StoredSubjectKey>> {
    const found = new Map<string, StoredSubjectKey>();
    if (subjectIds.length === 0) return found;
    const rows = await db
      .selectFrom('subject_keys')
      .select(['subject_id', 'key_id', 'wrapped_key'])
      .where('subject_id', 'in', [...new Set(subjectIds)])
      .execute();
    for (const row of rows) found.set(row.subject_id, toStoredKey(row));
    return found;
  }

  /** Inserts the key unless the subject already has a row (a key or a tombstone); true when it was inserted. */
  async insertIfAbsent(
    db: Kysely<SubjectKeysTables>,
    subjectId: string,
    keyId: string,
    wrappedKey: Uint8Array,
  ): Promise<boolean> {
    const inserted = await db
      .insertInto('subject_keys')
      .values({ subject_id: subjectId, key_id: keyId, wrapped_key: wrappedKey, erased_by: null })
      .onConflict((oc) => oc.column('subject_id').doNothing())
      .returning('subject_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Drops the key material and records who erased it; a subject without a key gets a tombstone. Idempotent. */
  async erase(db: Kysely<SubjectKeysTables>, subjectId: string, actorId: string): Promise<void> {
    await sql`
      insert into subject_keys (subject_id, key_id, wrapped_key, erased_at, erased_by)
      values (${subjectId}, null, null, now(), ${actorId})
      on conflict (subject_id) do update
        set wrapped_key = null, erased_at = now(), erased_by = excluded.erased_by
        where subject_keys.erased_at is null
    `.execute(db);
  }
}

function toStoredKey(row: {
  subject_id: string;
  key_id: string | null;
  wrapped_key: Uint8Array | null;
}): StoredSubjectKey {
  if (row.wrapped_key === null || row.key_id === null) return { state: 'erased', subjectId: row.subject_id };
  return { state: 'live', subjectId: row.subject_id, keyId: row.key_id, wrappedKey: row.wrapped_key };
}
