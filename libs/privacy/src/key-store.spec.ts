import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMasterKey } from './envelope-encryption';
import { FileKeyStore } from './key-store';
import { KeyStoreKeyUnreadableError } from './privacy.errors';

const freshFolder = () => join(mkdtempSync(join(tmpdir(), 'helpline-key-store-')), 'keys');

describe('the file key store', () => {
  const masterKey = generateMasterKey();

  it('gives back the key it created, to another process sharing the folder too', async () => {
    const folder = freshFolder();
    const keyId = randomUUID();

    const created = await new FileKeyStore(folder, masterKey).create(keyId);

    const read = await new FileKeyStore(folder, masterKey).get(keyId);
    expect(read?.export().equals(created.export())).toBe(true);
    expect(await new FileKeyStore(folder, masterKey).list()).toEqual([keyId]);
  });

  it('keeps each key in a file only its owner can read, wrapped by the master key', async () => {
    const folder = freshFolder();
    const keyId = randomUUID();
    const key = await new FileKeyStore(folder, masterKey).create(keyId);

    const file = readdirSync(folder)[0]!;
    expect(file).toBe(`${keyId}.key.json`);
    expect(statSync(join(folder, file)).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(join(folder, file));
    for (const encoding of ['base64', 'hex', 'base64url'] as const) {
      expect(bytes.toString('utf8')).not.toContain(key.export().toString(encoding));
    }
    expect(bytes.includes(key.export())).toBe(false);
  });

  it('refuses to create a key twice under one name', async () => {
    const store = new FileKeyStore(freshFolder(), masterKey);
    const keyId = randomUUID();
    await store.create(keyId);

    await expect(store.create(keyId)).rejects.toThrow(/already holds/);
  });

  it('destroys keys for good, idempotently', async () => {
    const folder = freshFolder();
    const store = new FileKeyStore(folder, masterKey);
    const [kept, destroyed] = [randomUUID(), randomUUID()];
    await store.create(kept);
    await store.create(destroyed);

    await store.destroy([destroyed]);
    await store.destroy([destroyed]);

    expect(await store.get(destroyed)).toBeUndefined();
    expect(await new FileKeyStore(folder, masterKey).list()).toEqual([kept]);
    expect(readdirSync(folder)).toEqual([`${kept}.key.json`]);
  });

  it('does not give a key to another master key, and says why', async () => {
    const folder = freshFolder();
    const keyId = randomUUID();
    await new FileKeyStore(folder, masterKey).create(keyId);

    await expect(new FileKeyStore(folder, generateMasterKey()).get(keyId)).rejects.toThrow(KeyStoreKeyUnreadableError);
  });

  it('refuses a file moved to another key name', async () => {
    const folder = freshFolder();
    const store = new FileKeyStore(folder, masterKey);
    const [original, other] = [randomUUID(), randomUUID()];
    await store.create(original);
    const moved = JSON.parse(readFileSync(join(folder, `${original}.key.json`), 'utf8')) as Record<string, string>;
    writeFileSync(join(folder, `${other}.key.json`), JSON.stringify({ ...moved, keyId: other }));

    await expect(store.get(other)).rejects.toThrow(KeyStoreKeyUnreadableError);
  });

  it('removes the temporary files a crashed writer left', async () => {
    const folder = freshFolder();
    const store = new FileKeyStore(folder, masterKey);
    const keyId = randomUUID();
    await store.create(keyId);
    writeFileSync(join(folder, `.${randomUUID()}.key.json.0a1b2c.tmp`), '{"half":');

    await store.removeLeftovers();

    expect(readdirSync(folder)).toEqual([`${keyId}.key.json`]);
  });

  describe('rotating the master key', () => {
    it('re-wraps every key so that only the new master key reads them, the keys unchanged', async () => {
      const folder = freshFolder();
      const store = new FileKeyStore(folder, masterKey);
      const keyIds = [randomUUID(), randomUUID(), randomUUID()];
      const before = await Promise.all(keyIds.map((keyId) => store.create(keyId)));
      const newMasterKey = generateMasterKey();

      expect(await store.rotateMasterKey(newMasterKey)).toEqual({ rewrapped: 3 });

      const rotated = new FileKeyStore(folder, newMasterKey);
      for (const [index, keyId] of keyIds.entries()) {
        expect((await rotated.get(keyId))?.export().equals(before[index]!.export())).toBe(true);
        expect((await store.get(keyId))?.export().equals(before[index]!.export())).toBe(true);
        await expect(new FileKeyStore(folder, masterKey).get(keyId)).rejects.toThrow(KeyStoreKeyUnreadableError);
      }
      expect(readdirSync(folder).sort()).toEqual(keyIds.map((keyId) => `${keyId}.key.json`).sort());
    });

    it('resumes after an interruption, skipping what it already re-wrapped', async () => {
      const folder = freshFolder();
      const keyIds = [randomUUID(), randomUUID()];
      const oldStore = new FileKeyStore(folder, masterKey);
      for (const keyId of keyIds) await oldStore.create(keyId);
      const newMasterKey = generateMasterKey();
      await new FileKeyStore(folder, masterKey).rotateMasterKey(newMasterKey);
      await new FileKeyStore(folder, newMasterKey).create(randomUUID());

      // A run with the old key finds every file already under the new one.
      expect(await oldStore.rotateMasterKey(newMasterKey)).toEqual({ rewrapped: 0 });
    });
  });
});
