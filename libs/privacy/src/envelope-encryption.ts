import { createCipheriv, createDecipheriv, createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import type { Sealed } from '@helpline/domain';
import { InvalidMasterKeyError, SealedValueUnreadableError, SubjectKeyUnreadableError } from './privacy.errors';

/**
 * A personal value encrypted with its subject's data key is the domain's `Sealed`: events carry it, only this
 * library opens it. `ciphertext` is base64url of: version byte · 12-byte IV · 16-byte GCM tag · encrypted UTF-8.
 */
export type { Sealed };

const FORMAT_VERSION = 1;
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

function encrypt(key: KeyObject, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), body]);
}

function decrypt(key: KeyObject, envelope: Buffer, aad: Buffer): Buffer | undefined {
  if (envelope.length < HEADER_BYTES || envelope[0] !== FORMAT_VERSION) return undefined;
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
