import fc from 'fast-check';
import { normalisePhoneNumber, pseudonymise } from './caller-pseudonym';
import { InvalidPhoneNumberError, InvalidPseudonymSecretError, PhoneNumberProblem } from './privacy.errors';

const secret = 'a-pseudonym-secret-of-enough-length';

describe('the caller pseudonym', () => {
  it('recognises a returning caller however the number is written', () => {
    const pseudonyms = ['+39 333 123 4567', '0039 333-1234567', '3331234567', '(+39) 333.123.4567', '333/1234567'].map(
      (number) => pseudonymise(secret, number),
    );

    expect(new Set(pseudonyms).size).toBe(1);
    expect(pseudonyms[0]).toMatch(/^ps_[A-Za-z0-9_-]{22}$/);
  });

  it('tells different callers apart', () => {
    expect(pseudonymise(secret, '3331234567')).not.toBe(pseudonymise(secret, '3331234568'));
  });

  it('cannot be recomputed without the secret', () => {
    expect(pseudonymise(secret, '3331234567')).not.toBe(pseudonymise(`${secret}-other`, '3331234567'));
  });

  it('does not contain the number', () => {
    expect(pseudonymise(secret, '3331234567')).not.toMatch(/333|4567/);
  });

  it('is the same whatever separators are put in the number', () => {
    const separator = fc.constantFrom('', ' ', '.', '-', '(', ')', '/');
    fc.assert(
      fc.property(fc.array(separator, { minLength: 10, maxLength: 10 }), (separators) => {
        const written = [...'3331234567'].map((digit, index) => separators[index] + digit).join('');
        return pseudonymise(secret, written) === pseudonymise(secret, '+393331234567');
      }),
    );
  });

  it('refuses a secret too short to keep numbers from being guessed', () => {
    expect(() => pseudonymise('short', '3331234567')).toThrow(InvalidPseudonymSecretError);
  });
});

describe('normalising a phone number', () => {
  it.each([
    ['+39 333 123 4567', '+393331234567'],
    ['0039 333-1234567', '+393331234567'],
    ['333 1234567', '+393331234567'],
    ['02 1234 5678', '+390212345678'],
    ['+39 02 12345678', '+390212345678'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 (20) 7946-0958', '+442079460958'],
  ])('reads %s as %s', (written, normalised) => {
    expect(normalisePhoneNumber(written)).toBe(normalised);
  });

  it.each<[string, PhoneNumberProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['333 CALL ME', 'unexpected_characters'],
    ['+39 333 +1234567', 'unexpected_characters'],
    ['mario.rossi@example.org', 'unexpected_characters'],
    ['333 12', 'too_short'],
    ['+39 12', 'too_short'],
    ['333 1234567 8901', 'too_long'],
    ['+39 333 1234567 89012', 'too_long'],
    ['555 1234567', 'no_country_code'],
    ['+0 333 1234567', 'no_country_code'],
  ])('refuses %j (%s)', (written, problem) => {
    expect(() => normalisePhoneNumber(written)).toThrow(
      expect.objectContaining({ code: 'INVALID_PHONE_NUMBER', problem }),
    );
  });

  it('names the field and the problem but never repeats the number', () => {
    let refusal: unknown;
    try {
      normalisePhoneNumber('333 1234567 8901', 'callback.number');
    } catch (error) {
      refusal = error;
    }

    expect(refusal).toBeInstanceOf(InvalidPhoneNumberError);
    const { field, reason, message } = refusal as InvalidPhoneNumberError;
    expect(field).toBe('callback.number');
    expect(reason).toBe('the phone number has too many digits');
    expect(JSON.stringify({ ...(refusal as object), message })).not.toMatch(/333|1234567|8901/);
  });
});
