import { createCipheriv, createDecipheriv, createHmac, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import type { Sealed } from '@helpline/domain';
import { InvalidMasterKeyError, SealedValueUnreadableError, SubjectKeyUnreadableError } from './privacy.errors';

/**
 * A personal value encrypted with its subject's data key is the domain's `Sealed`: events carry it, only this
 * library opens it. `ciphertext` is base64url of: version byte · 12-byte IV · 16-byte GCM tag · encrypted UTF-8.
 *
 * Wrapped data keys use the same layout; their version byte says what wraps them:
 * 1 — the master key directly (keys created before the key store; still read, re-wrapped by `prepare`);
 * 2 — the subject's own key-encryption key, which lives in the key store, outside the database.
 */
export type { Sealed };

const FORMAT_VERSION = 1;
export const WRAPPED_BY_MASTER_KEY = 1;
export const WRAPPED_BY_KEY_STORE = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** Reads the master key from configuration: exactly 32 bytes in canonical base64. */
export function parseMasterKey(base64: string): KeyObject {
  const trimmed = base64.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== trimmed) throw new InvalidMasterKeyError();
  return createSecretKey(bytes);
}

/** A fresh master key in the form configuration expects (for a development setup or a test). */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function generateDataKey(): KeyObject {
  return createSecretKey(randomBytes(KEY_BYTES));
}

export function wrapDataKey(masterKey: KeyObject, subjectId: string, keyId: string, dataKey: KeyObject): Buffer {
  return encrypt(masterKey, dataKey.export(), wrappingAad(subjectId, keyId));
}

export function unwrapDataKey(masterKey: KeyObject, subjectId: string, keyId: string, wrapped: Uint8Array): KeyObject {
  const bytes = decrypt(masterKey, Buffer.from(wrapped), wrappingAad(subjectId, keyId));
  if (!bytes || bytes.length !== KEY_BYTES) throw new SubjectKeyUnreadableError(subjectId);
  return createSecretKey(bytes);
}

/** Which key wraps a stored data key: `WRAPPED_BY_MASTER_KEY` or `WRAPPED_BY_KEY_STORE`. */
export function wrappingVersionOf(wrapped: Uint8Array): number {
  return wrapped[0]!;
}

/** Wraps a data key with the subject's key-encryption key from the key store (version 2). */
export function wrapDataKeyForKeyStore(
  keyEncryptionKey: KeyObject,
  subjectId: string,
  keyId: string,
  dataKey: KeyObject,
): Buffer {
  return encrypt(keyEncryptionKey, dataKey.export(), keyStoreWrappingAad(subjectId, keyId), WRAPPED_BY_KEY_STORE);
}

export function unwrapDataKeyFromKeyStore(
  keyEncryptionKey: KeyObject,
  subjectId: string,
  keyId: string,
  wrapped: Uint8Array,
): KeyObject {
  const bytes = decrypt(
    keyEncryptionKey,
    Buffer.from(wrapped),
    keyStoreWrappingAad(subjectId, keyId),
    WRAPPED_BY_KEY_STORE,
  );
  if (!bytes || bytes.length !== KEY_BYTES) throw new SubjectKeyUnreadableError(subjectId);
  return createSecretKey(bytes);
}

/** Wraps a key-encryption key with the master key, for the key store's file (version 2). */
export function wrapKeyEncryptionKey(masterKey: KeyObject, keyId: string, keyEncryptionKey: KeyObject): Buffer {
  return encrypt(masterKey, keyEncryptionKey.export(), keyEncryptionKeyAad(keyId), WRAPPED_BY_KEY_STORE);
}

/** The key-encryption key, or undefined when `masterKey` is not the key that wrapped it (or it was altered). */
export function unwrapKeyEncryptionKey(
  masterKey: KeyObject,
  keyId: string,
  wrapped: Uint8Array,
): KeyObject | undefined {
  const bytes = decrypt(masterKey, Buffer.from(wrapped), keyEncryptionKeyAad(keyId), WRAPPED_BY_KEY_STORE);
  return bytes && bytes.length === KEY_BYTES ? createSecretKey(bytes) : undefined;
}

/** A short public name of a master key (not a secret): which master key wrapped a key store file. */
export function masterKeyId(masterKey: KeyObject): string {
  return createHmac('sha256', masterKey.export()).update('helpline/master-key-id').digest('hex').slice(0, 16);
}

export function sealValue(
  dataKey: KeyObject,
  keyId: string,
  subjectId: string,
  field: string,
  plaintext: string,
): Sealed {
  const envelope = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), sealingAad(subjectId, field));
  return { keyId, ciphertext: envelope.toString('base64url') };
}

export function openValue(dataKey: KeyObject, subjectId: string, field: string, sealed: Sealed): string {
  const bytes = decrypt(dataKey, Buffer.from(sealed.ciphertext, 'base64url'), sealingAad(subjectId, field));
  if (!bytes) throw new SealedValueUnreadableError(subjectId, field);
  return bytes.toString('utf8');
}

// JSON arrays keep the parts unambiguous: ("a|b", "c") and ("a", "b|c") bind differently.
function sealingAad(subjectId: string, field: string): Buffer {
  return Buffer.from(JSON.stringify(['helpline/sealed', FORMAT_VERSION, subjectId, field]), 'utf8');
}

function wrappingAad(subjectId: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['helpline/subject-key', FORMAT_VERSION, subjectId, keyId]), 'utf8');
}

function keyStoreWrappingAad(subjectId: string, keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['helpline/subject-key', WRAPPED_BY_KEY_STORE, subjectId, keyId]), 'utf8');
}

function keyEncryptionKeyAad(keyId: string): Buffer {
  return Buffer.from(JSON.stringify(['helpline/key-store-key', WRAPPED_BY_KEY_STORE, keyId]), 'utf8');
}

function encrypt(key: KeyObject, plaintext: Buffer, aad: Buffer, version = FORMAT_VERSION): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), body]);
}

function decrypt(key: KeyObject, envelope: Buffer, aad: Buffer, version = FORMAT_VERSION): Buffer | undefined {
  if (envelope.length < HEADER_BYTES || envelope[0] !== version) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, envelope.subarray(1, 1 + IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(envelope.subarray(1 + IV_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(envelope.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
