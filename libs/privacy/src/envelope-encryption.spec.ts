import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  generateDataKey,
  generateMasterKey,
  openValue,
  parseMasterKey,
  Sealed,
  sealValue,
  unwrapDataKey,
  wrapDataKey,
} from './envelope-encryption';
import { InvalidMasterKeyError, SealedValueUnreadableError, SubjectKeyUnreadableError } from './privacy.errors';

const subjectId = `case-${randomUUID()}`;
const keyId = randomUUID();

function flipByte(sealed: Sealed, index: number): Sealed {
  const bytes = Buffer.from(sealed.ciphertext, 'base64url');
  bytes[index]! ^= 0x01;
  return { ...sealed, ciphertext: bytes.toString('base64url') };
}

describe('sealing a personal value with the case key', () => {
  const dataKey = generateDataKey();

  it('opens what it sealed, for the same case and field', () => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'callback.number', '+39 333 123 4567');

    expect(sealed.keyId).toBe(keyId);
    expect(sealed.ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed.ciphertext).not.toContain('333');
    expect(openValue(dataKey, subjectId, 'callback.number', sealed)).toBe('+39 333 123 4567');
  });

  it('never gives the same ciphertext twice for the same value', () => {
    const first = sealValue(dataKey, keyId, subjectId, 'note', 'same words');
    const second = sealValue(dataKey, keyId, subjectId, 'note', 'same words');

    expect(first.ciphertext).not.toBe(second.ciphertext);
  });

  // Layout: version byte 0, IV 1..12, tag 13..28, ciphertext from 29.
  it.each([
    ['version byte', 0],
    ['IV', 5],
    ['tag', 20],
    ['ciphertext', 30],
  ])('refuses a value whose %s was altered', (_part, index) => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'note', 'the caller asked for a call back');

    expect(() => openValue(dataKey, subjectId, 'note', flipByte(sealed, index))).toThrow(SealedValueUnreadableError);
  });

  it('refuses a truncated value', () => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'note', 'words');
    const truncated = { ...sealed, ciphertext: sealed.ciphertext.slice(0, 30) };

    expect(() => openValue(dataKey, subjectId, 'note', truncated)).toThrow(SealedValueUnreadableError);
  });

  it('refuses a value moved to another case or another field', () => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'callback.number', '+393331234567');

    expect(() => openValue(dataKey, `case-${randomUUID()}`, 'callback.number', sealed)).toThrow(
      SealedValueUnreadableError,
    );
    expect(() => openValue(dataKey, subjectId, 'note', sealed)).toThrow(SealedValueUnreadableError);
  });

  it('refuses to open with another key', () => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'note', 'words');

    expect(() => openValue(generateDataKey(), subjectId, 'note', sealed)).toThrow(SealedValueUnreadableError);
  });

  it('names neither the value nor the ciphertext when it refuses', () => {
    const sealed = sealValue(dataKey, keyId, subjectId, 'note', 'Mario Rossi');
    let refusal: unknown;
    try {
      openValue(dataKey, subjectId, 'other', sealed);
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(SealedValueUnreadableError);
    expect((refusal as Error).message).not.toContain(sealed.ciphertext);
    expect((refusal as SealedValueUnreadableError).code).toBe('SEALED_VALUE_UNREADABLE');
  });

  it('round-trips any unicode text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        (plaintext, field) => {
          const sealed = sealValue(dataKey, keyId, subjectId, field, plaintext);
          return openValue(dataKey, subjectId, field, sealed) === plaintext;
        },
      ),
    );
  });
});

describe('wrapping a case key with the master key', () => {
  const masterKey = parseMasterKey(generateMasterKey());

  it('unwraps to a key that opens what the original sealed', () => {
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(masterKey, subjectId, keyId, dataKey);
    const sealed = sealValue(dataKey, keyId, subjectId, 'note', 'words');

    const unwrapped = unwrapDataKey(masterKey, subjectId, keyId, wrapped);

    expect(openValue(unwrapped, subjectId, 'note', sealed)).toBe('words');
    expect(wrapped.includes(dataKey.export())).toBe(false);
  });

  it('does not unwrap with another master key', () => {
    const wrapped = wrapDataKey(masterKey, subjectId, keyId, generateDataKey());

    expect(() => unwrapDataKey(parseMasterKey(generateMasterKey()), subjectId, keyId, wrapped)).toThrow(
      SubjectKeyUnreadableError,
    );
  });

  it('does not unwrap a key moved to another case or key id', () => {
    const wrapped = wrapDataKey(masterKey, subjectId, keyId, generateDataKey());

    expect(() => unwrapDataKey(masterKey, `case-${randomUUID()}`, keyId, wrapped)).toThrow(SubjectKeyUnreadableError);
    expect(() => unwrapDataKey(masterKey, subjectId, randomUUID(), wrapped)).toThrow(SubjectKeyUnreadableError);
  });
});

describe('reading the master key from configuration', () => {
  it('accepts 32 bytes of base64', () => {
    expect(parseMasterKey(` ${generateMasterKey()}\n`).symmetricKeySize).toBe(32);
  });

  it.each([
    ['too short', Buffer.alloc(16, 7).toString('base64')],
    ['too long', Buffer.alloc(48, 7).toString('base64')],
    ['not base64', 'this is not a key at all, only words here!!'],
    ['empty', ''],
  ])('refuses a key that is %s', (_why, configured) => {
    expect(() => parseMasterKey(configured)).toThrow(InvalidMasterKeyError);
  });
});
