import { createHmac } from 'node:crypto';
import { InvalidPhoneNumberError, InvalidPseudonymSecretError } from './privacy.errors';

const SEPARATORS = /[\s.\-()/]/g;
const MAX_INPUT_LENGTH = 64;
const PSEUDONYM_LENGTH = 22;

/**
 * The number in E.164 form (`+393331234567`): separators dropped, `00` read as `+`, and a number without a
 * country code read as Italian (a landline starts with 0, a mobile with 3) and given `+39`.
 * Throws InvalidPhoneNumberError, which names the problem but never repeats the number.
 */
export function normalisePhoneNumber(phoneNumber: string, field = 'phoneNumber'): string {
  if (typeof phoneNumber !== 'string' || phoneNumber.trim() === '') throw new InvalidPhoneNumberError('empty', field);
  if (phoneNumber.length > MAX_INPUT_LENGTH) throw new InvalidPhoneNumberError('too_long', field);
  let compact = phoneNumber.replace(SEPARATORS, '');
  if (compact.startsWith('00')) compact = `+${compact.slice(2)}`;
  if (!/^\+?[0-9]+$/.test(compact)) throw new InvalidPhoneNumberError('unexpected_characters', field);
  if (compact.startsWith('+')) {
    const digits = compact.slice(1);
    if (digits.startsWith('0')) throw new InvalidPhoneNumberError('no_country_code', field);
    if (digits.length < 7) throw new InvalidPhoneNumberError('too_short', field);
    if (digits.length > 15) throw new InvalidPhoneNumberError('too_long', field);
    return compact;
  }
  if (!/^[03]/.test(compact)) throw new InvalidPhoneNumberError('no_country_code', field);
  if (compact.length < 6) throw new InvalidPhoneNumberError('too_short', field);
  if (compact.length > 11) throw new InvalidPhoneNumberError('too_long', field);
  return `+39${compact}`;
}

/**
 * A keyed pseudonym of a caller's number (`ps_` + 22 base64url characters of an HMAC-SHA256): a returning caller
 * is recognised and counted without the number being kept. Without the secret the pseudonym cannot be
 * recomputed from a guessed number, which a plain hash of the small space of phone numbers would allow.
 */
export function pseudonymise(secret: string | Uint8Array, phoneNumber: string): string {
  const key = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (key.length < 16) throw new InvalidPseudonymSecretError();
  const digest = createHmac('sha256', key).update(normalisePhoneNumber(phoneNumber)).digest('base64url');
  return `ps_${digest.slice(0, PSEUDONYM_LENGTH)}`;
}
