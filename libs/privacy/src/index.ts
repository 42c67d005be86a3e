export type { Sealed } from './envelope-encryption';
export { parseMasterKey, generateMasterKey } from './envelope-encryption';
export type { PersonalDataVaultOptions, SealedField, KeyStorePreparation } from './personal-data-vault';
export type { KeyStore } from './key-store';
export { FileKeyStore } from './key-store';
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
  KeyStoreKeyUnreadableError,
} from './privacy.errors';
export type { SubjectKeysTable, SubjectKeysTables } from './subject-keys.repository';
export type { MasterKeyRotation } from './master-key-rotation';
export { rotateMasterKey } from './master-key-rotation';
