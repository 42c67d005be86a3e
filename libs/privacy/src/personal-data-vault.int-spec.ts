import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { generateMasterKey, parseMasterKey, unwrapDataKey } from './envelope-encryption';
import { PersonalDataVault } from './personal-data-vault';
import { PersonalDataErasedError, SealedValueUnreadableError, SubjectKeyUnreadableError } from './privacy.errors';

const masterKey = generateMasterKey();
const actorId = `operator-${randomUUID()}`;
const newCase = () => `case-${randomUUID()}`;

/** Every row of every table of the public schema, as PostgreSQL prints it: what a dump or a backup would hold. */
async function dumpEveryRow(database: TestDatabase): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
  `.execute(database.db);
  const rows: string[] = [];
  for (const { table_name } of tables.rows) {
    const result = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(
      database.db,
    );
    rows.push(...result.rows.map(({ row }) => row));
  }
  return rows.join('\n');
}

async function storedKeyOf(database: TestDatabase, subjectId: string) {
  return sql<{
    key_id: string | null;
    wrapped_key: Uint8Array | null;
    erased_at: Date | null;
    erased_by: string | null;
  }>`
    select key_id, wrapped_key, erased_at, erased_by from subject_keys where subject_id = ${subjectId}
  `
    .execute(database.db)
    .then((result) => result.rows);
}

describe('PersonalDataVault', () => {
  let database: TestDatabase;
  let vault: PersonalDataVault;

  beforeAll(async () => {
    database = await createTestDatabase();
    vault = new PersonalDataVault(database, masterKey);
  });

  afterAll(async () => {
    await database.close();
  });

  it('opens what it sealed, from another process too', async () => {
    const subjectId = newCase();
    const sealed = await vault.seal(subjectId, 'callback.number', '+393331234567');

    expect(await vault.open(subjectId, 'callback.number', sealed)).toBe('+393331234567');
    expect(
      await new PersonalDataVault(await database.reconnect(), masterKey).open(subjectId, 'callback.number', sealed),
    ).toBe('+393331234567');
  });

  it('gives every value of a case the one key of that case, and each case its own', async () => {
    const [first, second] = [newCase(), newCase()];

    const a = await vault.seal(first, 'note', 'one');
    const b = await vault.seal(first, 'note', 'two');
    const c = await vault.seal(second, 'note', 'three');

    expect(a.keyId).toBe(b.keyId);
    expect(c.keyId).not.toBe(a.keyId);
  });

  it('refuses a value sealed for another case', async () => {
    const [first, second] = [newCase(), newCase()];
    const sealed = await vault.seal(first, 'note', 'words');
    await vault.seal(second, 'note', 'other words');

    await expect(vault.open(second, 'note', sealed)).rejects.toThrow(SealedValueUnreadableError);
    await expect(vault.open(newCase(), 'note', sealed)).rejects.toThrow(SealedValueUnreadableError);
  });

  it('does not open with another master key', async () => {
    const subjectId = newCase();
    const sealed = await vault.seal(subjectId, 'note', 'words');

    await expect(new PersonalDataVault(database, generateMasterKey()).open(subjectId, 'note', sealed)).rejects.toThrow(
      SubjectKeyUnreadableError,
    );
  });

  it('opens many values of many cases in order, an erased case giving undefined', async () => {
    const [kept, erased] = [newCase(), newCase()];
    const values = [
      { subjectId: kept, field: 'callback.number', sealed: await vault.seal(kept, 'callback.number', '+393331234567') },
      { subjectId: erased, field: 'note', sealed: await vault.seal(erased, 'note', 'to be forgotten') },
      { subjectId: kept, field: 'note', sealed: await vault.seal(kept, 'note', 'kept') },
    ];
    await vault.erase(erased, actorId);

    expect(await new PersonalDataVault(database, masterKey).openMany(values)).toEqual([
      '+393331234567',
      undefined,
      'kept',
    ]);
  });

  describe('erasing a case (crypto-shredding)', () => {
    it('makes its values unreadable, for this vault and for any other', async () => {
      const subjectId = newCase();
      const sealed = await vault.seal(subjectId, 'callback.number', '+393331234567');
      const otherVault = new PersonalDataVault(database, masterKey);
      expect(await otherVault.open(subjectId, 'callback.number', sealed)).toBe('+393331234567');

      await vault.erase(subjectId, actorId);

      expect(await vault.open(subjectId, 'callback.number', sealed)).toBeUndefined();
      expect(await vault.isErased(subjectId)).toBe(true);
      expect(
        await new PersonalDataVault(database, masterKey).open(subjectId, 'callback.number', sealed),
      ).toBeUndefined();
      // A vault that cached the key keeps it at most its cache TTL; one without a cache sees the erasure at once.
      expect(await new PersonalDataVault(database, masterKey, { cacheSize: 0 }).isErased(subjectId)).toBe(true);
    });

    it('is idempotent and keeps who erased it first, and when', async () => {
      const subjectId = newCase();
      await vault.seal(subjectId, 'note', 'words');

      await vault.erase(subjectId, actorId);
      const [first] = await storedKeyOf(database, subjectId);
      await vault.erase(subjectId, 'someone-else');
      await new PersonalDataVault(database, masterKey).erase(subjectId, 'someone-else');

      expect(await storedKeyOf(database, subjectId)).toEqual([first]);
      expect(first).toEqual({
        key_id: expect.any(String),
        wrapped_key: null,
        erased_at: expect.any(Date),
        erased_by: actorId,
      });
    });

    it('is final: nothing new can be sealed for the case, by any vault', async () => {
      const subjectId = newCase();
      await vault.seal(subjectId, 'note', 'words');
      await vault.erase(subjectId, actorId);

      await expect(vault.seal(subjectId, 'note', 'more words')).rejects.toThrow(PersonalDataErasedError);
      await expect(new PersonalDataVault(database, masterKey).seal(subjectId, 'note', 'more words')).rejects.toThrow(
        PersonalDataErasedError,
      );
    });

    it('also closes a case that never had a key', async () => {
      const subjectId = newCase();
      expect(await vault.isErased(subjectId)).toBe(false);

      await vault.erase(subjectId, actorId);

      expect(await vault.isErased(subjectId)).toBe(true);
      await expect(vault.seal(subjectId, 'note', 'words')).rejects.toThrow(PersonalDataErasedError);
    });

    it('leaves neither the value nor any key material anywhere in the database', async () => {
      const subjectId = newCase();
      const plaintext = 'Giulia Bianchi, +39 333 765 4321';
      const sealed = await vault.seal(subjectId, 'callback.nameOrAlias', plaintext);
      // A stand-in for the event stream and the read models: the sealed value stays where it was written.
      await sql`create table case_notes_for_test (subject_id text, note jsonb)`.execute(database.db);
      await sql`insert into case_notes_for_test values (${subjectId}, ${JSON.stringify(sealed)})`.execute(database.db);
      const { key_id, wrapped_key } = (await storedKeyOf(database, subjectId))[0]!;
      const dataKey = unwrapDataKey(parseMasterKey(masterKey), subjectId, key_id!, wrapped_key!).export();
      const keyMaterial = [
        dataKey.toString('base64'),
        dataKey.toString('base64url'),
        dataKey.toString('hex'),
        Buffer.from(wrapped_key!).toString('hex'),
      ];
      const before = await dumpEveryRow(database);
      expect(before).toContain(sealed.ciphertext);
      expect(before).toContain(keyMaterial[3]);
      expect(before).not.toContain(plaintext);

      await vault.erase(subjectId, actorId);

      const after = await dumpEveryRow(database);
      expect(after).toContain(sealed.ciphertext);
      expect(after).not.toContain(plaintext);
      for (const material of keyMaterial) expect(after).not.toContain(material);
      await sql`drop table case_notes_for_test`.execute(database.db);
    });
  });

  it('creates one key when the first values of a case are sealed concurrently', async () => {
    const subjectId = newCase();
    const vaults = await Promise.all(
      Array.from(
        { length: 4 },
        async () => new PersonalDataVault(await database.reconnect(), masterKey, { cacheSize: 0 }),
      ),
    );

    const sealed = await Promise.all(
      Array.from({ length: 12 }, (_, index) => vaults[index % vaults.length]!.seal(subjectId, 'note', `note ${index}`)),
    );

    expect(await storedKeyOf(database, subjectId)).toHaveLength(1);
    expect(new Set(sealed.map(({ keyId }) => keyId)).size).toBe(1);
    const opened = await new PersonalDataVault(database, masterKey).openMany(
      sealed.map((value) => ({ subjectId, field: 'note', sealed: value })),
    );
    expect(opened).toEqual(Array.from({ length: 12 }, (_, index) => `note ${index}`));
  });

  describe('inside a handler transaction', () => {
    it('creates the key with the other writes', async () => {
      const subjectId = newCase();

      const sealed = await database.db.transaction().execute((trx) => vault.seal(subjectId, 'note', 'words', trx));

      expect(await new PersonalDataVault(database, masterKey).open(subjectId, 'note', sealed)).toBe('words');
    });

    it('rolls the key back with them, and the next value gets a key that is kept', async () => {
      const subjectId = newCase();
      await expect(
        database.db.transaction().execute(async (trx) => {
          await vault.seal(subjectId, 'note', 'lost with the transaction', trx);
          throw new Error('the append failed');
        }),
      ).rejects.toThrow('the append failed');
      expect(await storedKeyOf(database, subjectId)).toEqual([]);

      const sealed = await vault.seal(subjectId, 'note', 'words');

      expect(await new PersonalDataVault(database, masterKey).open(subjectId, 'note', sealed)).toBe('words');
    });
  });
});
