export type { Sealed } from './envelope-encryption';
export { parseMasterKey, generateMasterKey } from './envelope-encryption';
export type { PersonalDataVaultOptions, SealedField } from './personal-data-vault';
export { PersonalDataVault } from './personal-data-vault';
export { normalisePhoneNumber, pseudonymise } from './caller-pseudonym';
export { redact, isPersonalKey, REDACTED } from './redact';
export type { PhoneNumberProblem } from './privacy.errors';
export {
  PrivacyError,
  InvalidPhoneNumberError,
  SealedValueUnreadableError,
  PersonalDataErasedError,
  SubjectKeyUnreadableError,
  InvalidMasterKeyError,
  InvalidPseudonymSecretError,
} from './privacy.errors';
export type { SubjectKeysTable, SubjectKeysTables } from './subject-keys.repository';
