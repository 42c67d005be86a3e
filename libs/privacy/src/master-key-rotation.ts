import type { Database } from '@helpline/database';
import { parseMasterKey } from './envelope-encryption';
import { FileKeyStore } from './key-store';
import { PersonalDataVault } from './personal-data-vault';

/** What a master-key rotation did: counts only. */
export interface MasterKeyRotation {
  /** Data keys the old master key still wrapped directly in the database (envelope version 1), moved into the key store. */
  readonly movedIntoKeyStore: number;
  /** Key-store keys re-wrapped under the new master key (0 when a previous run already did them all). */
  readonly rewrapped: number;
}

/**
 * Rotates the master key: first whatever the current master key wraps in the database (version-1 data keys,
 * from before the key store) moves into the key store, so that the database holds nothing the master key opens;
 * then every key-store file is re-wrapped under the new key, one at a time, atomically. Idempotent and resumable:
 * run it again, with the same keys, after an interruption. Run it with the processes stopped, then start them
 * with the new MASTER_KEY and destroy the old one (docs/privacy.md, "Master-key rotation").
 */
export async function rotateMasterKey(
  database: Database,
  keyStoreDir: string,
  currentMasterKey: string,
  newMasterKey: string,
): Promise<MasterKeyRotation> {
  parseMasterKey(newMasterKey);
  const keyStore = new FileKeyStore(keyStoreDir, currentMasterKey);
  const { rewrappedFromMasterKey } = await new PersonalDataVault(database, currentMasterKey, { keyStore }).prepare();
  const { rewrapped } = await keyStore.rotateMasterKey(newMasterKey);
  return { movedIntoKeyStore: rewrappedFromMasterKey, rewrapped };
}
