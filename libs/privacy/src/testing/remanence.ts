// Test-only: what an attacker holding every secret the service still holds can unwrap from bytes a database left
// behind (dead tuples, the WAL, a backup). Not exported from the lib's entry point.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseMasterKey, unwrapDataKey, unwrapDataKeyFromKeyStore } from '../envelope-encryption';
import type { KeyStore } from '../key-store';

/** Tries the master key and every key of the key store on a wrapped key; the data key bytes of each success. */
export async function unwrapWithEverySecretHeld(
  masterKey: string,
  keyStore: KeyStore,
  subjectId: string,
  keyId: string,
  wrapped: Uint8Array,
): Promise<Buffer[]> {
  const opened: Buffer[] = [];
  const attempt = (unwrap: () => { export(): Buffer }) => {
    try {
      opened.push(unwrap().export());
    } catch {
      // not this secret
    }
  };
  attempt(() => unwrapDataKey(parseMasterKey(masterKey), subjectId, keyId, wrapped));
  attempt(() => unwrapDataKeyFromKeyStore(parseMasterKey(masterKey), subjectId, keyId, wrapped));
  for (const heldKeyId of await keyStore.list()) {
    const keyEncryptionKey = (await keyStore.get(heldKeyId))!;
    attempt(() => unwrapDataKeyFromKeyStore(keyEncryptionKey, subjectId, keyId, wrapped));
    attempt(() => unwrapDataKey(keyEncryptionKey, subjectId, keyId, wrapped));
  }
  return opened;
}

/** Every copy of `needle` in `bytes`, as long as the needle (a wrapped key found where the database left it). */
export function occurrencesIn(bytes: Buffer, needle: Uint8Array): Buffer[] {
  const found: Buffer[] = [];
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
    found.push(bytes.subarray(at, at + needle.length));
  }
  return found;
}

/** Every file under `folder`, or undefined when the folder cannot be read. */
export function filesUnder(folder: string): string[] | undefined {
  try {
    readdirSync(folder);
  } catch {
    return undefined;
  }
  const found: string[] = [];
  const visit = (path: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else if (stats?.isFile()) found.push(path);
  };
  visit(folder);
  return found;
}

export function readFiles(paths: readonly string[]): Array<{ name: string; bytes: Buffer }> {
  return paths.map((name) => ({ name, bytes: readFileSync(name) }));
}
