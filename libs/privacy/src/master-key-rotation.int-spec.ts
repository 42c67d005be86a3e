import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { generateMasterKey } from './envelope-encryption';
import { FileKeyStore } from './key-store';
import { rotateMasterKey } from './master-key-rotation';
import { PersonalDataVault } from './personal-data-vault';
import { KeyStoreKeyUnreadableError } from './privacy.errors';

describe('master-key rotation', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('leaves every value readable with the new key only, moves older keys out of the database, and runs again as a no-op', async () => {
    const oldMasterKey = generateMasterKey();
    const newMasterKey = generateMasterKey();
    const keyStoreDir = join(mkdtempSync(join(tmpdir(), 'helpline-rotation-')), 'keys');
    // One case from before the key store (its data key wrapped by the master key in the database), two after.
    const legacy = `case-${randomUUID()}`;
    const legacySealed = await new PersonalDataVault(database, oldMasterKey).seal(legacy, 'note', 'from before');
    const vault = new PersonalDataVault(database, oldMasterKey, {
      keyStore: new FileKeyStore(keyStoreDir, oldMasterKey),
    });
    const current = [`case-${randomUUID()}`, `case-${randomUUID()}`];
    const sealed = await Promise.all(
      current.map((subjectId) => vault.seal(subjectId, 'note', `words of ${subjectId}`)),
    );

    // Interrupted after the first file: a store that sees only one key re-wraps it alone.
    const keyStore = new FileKeyStore(keyStoreDir, oldMasterKey);
    const [first] = await keyStore.list();
    const partial = Object.assign(new FileKeyStore(keyStoreDir, oldMasterKey), { list: async () => [first!] });
    expect(await partial.rotateMasterKey(newMasterKey)).toEqual({ rewrapped: 1 });

    expect(await rotateMasterKey(database, keyStoreDir, oldMasterKey, newMasterKey)).toEqual({
      movedIntoKeyStore: 1,
      rewrapped: 2,
    });

    const rotated = new PersonalDataVault(database, newMasterKey, {
      keyStore: new FileKeyStore(keyStoreDir, newMasterKey),
    });
    expect(await rotated.open(legacy, 'note', legacySealed)).toBe('from before');
    for (const [index, subjectId] of current.entries()) {
      expect(await rotated.open(subjectId, 'note', sealed[index]!)).toBe(`words of ${subjectId}`);
    }
    const withOldKey = new PersonalDataVault(database, oldMasterKey, {
      keyStore: new FileKeyStore(keyStoreDir, oldMasterKey),
      cacheSize: 0,
    });
    await expect(withOldKey.open(current[0]!, 'note', sealed[0]!)).rejects.toThrow(KeyStoreKeyUnreadableError);

    expect(await rotateMasterKey(database, keyStoreDir, oldMasterKey, newMasterKey)).toEqual({
      movedIntoKeyStore: 0,
      rewrapped: 0,
    });
  });
});
