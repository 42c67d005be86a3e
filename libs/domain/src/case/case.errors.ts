import { DomainError, type DomainErrorKind } from '../shared/domain-error';

/** Every rule a case command can break, with how it reads to a client. */
export const caseRuleKinds = {
  CASE_NOT_OPENED: 'not_found',
  CASE_ALREADY_OPENED: 'conflict',
  CASE_ID_MISMATCH: 'invalid',
  CASE_CLOSED: 'conflict',
  CASE_NOT_CLOSED: 'conflict',
  OUTCOME_REQUIRED: 'invalid',
  VALUE_REQUIRED: 'invalid',
  INVALID_VALUE: 'invalid',
  INVALID_TIMESTAMP: 'invalid',
  OCCURRED_BEFORE_CASE_OPENED: 'conflict',
  OCCURRED_BEFORE_PREVIOUS_STEP: 'conflict',
  UNKNOWN_LINE: 'invalid',
  CHANNEL_NOT_OFFERED: 'invalid',
  FIELD_NOT_COLLECTED: 'invalid',
  INVALID_SEALED_VALUE: 'invalid',
  SEALING_KEY_MISMATCH: 'invalid',
  PERSONAL_DATA_ERASED: 'conflict',
  CALLBACK_NOT_REQUESTED: 'not_found',
  CALLBACK_ALREADY_REQUESTED: 'conflict',
  CALLBACK_ALREADY_COMPLETED: 'conflict',
  CALLBACK_NUMBER_DISCARDED: 'conflict',
  REFERRAL_NOT_FOUND: 'not_found',
  REFERRAL_ALREADY_EXISTS: 'conflict',
  DUPLICATE_OPEN_REFERRAL: 'conflict',
  REFERRAL_NOT_PROPOSED: 'conflict',
  REFERRAL_NOT_SENT: 'conflict',
  REFERRAL_NOT_ACCEPTED: 'conflict',
  APPOINTMENT_NOT_SCHEDULED: 'conflict',
  APPOINTMENT_NOT_YET_DUE: 'conflict',
  REFERRAL_NOT_OPEN: 'conflict',
  REFERRAL_NOT_AWAITING_SERVICE: 'conflict',
  CONSENT_REQUIRED: 'invalid',
  SHARED_FIELD_UNAVAILABLE: 'conflict',
  SESSION_ALREADY_SCHEDULED: 'conflict',
  SESSION_NOT_SCHEDULED: 'conflict',
  ALREADY_TAKEN_IN_CHARGE: 'conflict',
  OPERATOR_ALREADY_ASSIGNED: 'conflict',
} as const satisfies Record<string, DomainErrorKind>;

export type CaseRuleCode = keyof typeof caseRuleKinds;
export const CASE_RULE_CODES = Object.keys(caseRuleKinds) as readonly CaseRuleCode[];

/** A case command the domain refuses. The reason names the rule, never a personal value. */
export class CaseRuleViolation extends DomainError {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: CaseRuleCode,
    reason: string,
    field?: string,
  ) {
    super(reason, field);
    this.kind = caseRuleKinds[code];
  }
}
