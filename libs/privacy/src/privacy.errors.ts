/**
 * Refusals raised by the privacy library. Same shape as the domain's errors (a stable `code`, a `kind` for the
 * transport, a `reason` for humans, the offending `field`), and like them never carrying a personal value.
 */
export abstract class PrivacyError extends Error {
  abstract readonly code: string;
  abstract readonly kind: 'invalid' | 'conflict' | 'internal';

  protected constructor(
    readonly reason: string,
    readonly field?: string,
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

export type PhoneNumberProblem = 'empty' | 'unexpected_characters' | 'too_short' | 'too_long' | 'no_country_code';

const PHONE_NUMBER_REASONS: Record<PhoneNumberProblem, string> = {
  empty: 'the phone number is empty',
  unexpected_characters:
    'the phone number may hold only digits, a leading + or 00, spaces, dots, dashes, slashes and parentheses',
  too_short: 'the phone number has too few digits',
  too_long: 'the phone number has too many digits',
  no_country_code: 'the phone number is not an Italian number and has no country code (+ or 00)',
};

export class InvalidPhoneNumberError extends PrivacyError {
  readonly code = 'INVALID_PHONE_NUMBER';
  readonly kind = 'invalid';
  constructor(
    readonly problem: PhoneNumberProblem,
    field = 'phoneNumber',
  ) {
    super(PHONE_NUMBER_REASONS[problem], field);
  }
}

/** A value was sealed for this subject and field with this key, or it was not: tampered, moved or malformed. */
export class SealedValueUnreadableError extends PrivacyError {
  readonly code = 'SEALED_VALUE_UNREADABLE';
  readonly kind = 'internal';
  constructor(
    readonly subjectId: string,
    field: string,
  ) {
    super(
      `The sealed value of ${field} cannot be opened for ${subjectId}: it was altered or sealed for another case, field or key`,
      field,
    );
  }
}

/** The subject's personal data was erased: nothing new may be sealed for it. */
export class PersonalDataErasedError extends PrivacyError {
  readonly code = 'PERSONAL_DATA_ERASED';
  readonly kind = 'conflict';
  constructor(
    readonly subjectId: string,
    field?: string,
  ) {
    super(`The personal data of ${subjectId} was erased; no personal value can be recorded for it any more`, field);
  }
}

/** A stored data key does not unwrap with the configured master key: a configuration error, not a user's. */
export class SubjectKeyUnreadableError extends PrivacyError {
  readonly code = 'SUBJECT_KEY_UNREADABLE';
  readonly kind = 'internal';
  constructor(readonly subjectId: string) {
    super(`The data key of ${subjectId} does not unwrap with the configured master key`);
  }
}

export class InvalidMasterKeyError extends PrivacyError {
  readonly code = 'INVALID_MASTER_KEY';
  readonly kind = 'internal';
  constructor() {
    super('The personal data master key must be 32 random bytes written in base64');
  }
}

export class InvalidPseudonymSecretError extends PrivacyError {
  readonly code = 'INVALID_PSEUDONYM_SECRET';
  readonly kind = 'internal';
  constructor() {
    super('The pseudonym secret must hold at least 16 bytes');
  }
}

/** A key of the key store does not unwrap: the configured master key is not the one that wrapped it, or the
 * file was altered. A configuration error, not a user's. */
export class KeyStoreKeyUnreadableError extends PrivacyError {
  readonly code = 'KEY_STORE_KEY_UNREADABLE';
  readonly kind = 'internal';
  constructor(
    readonly keyId: string,
    readonly otherMasterKey: boolean,
  ) {
    super(
      otherMasterKey
        ? `The key store key ${keyId} was wrapped by another master key than the configured one`
        : `The key store key ${keyId} was altered or is not the key it claims to be`,
    );
  }
}
