import { DomainError, type DomainErrorKind } from '../shared/domain-error';

/** Every protocol rule a safety command can break, with how it reads to a client. */
export const safetyRuleKinds = {
  VALUE_REQUIRED: 'invalid',
  INVALID_VALUE: 'invalid',
  INVALID_TIMESTAMP: 'invalid',
  INVALID_SEALED_VALUE: 'invalid',
  SEALING_KEY_MISMATCH: 'invalid',
  PERSONAL_DATA_ERASED: 'conflict',
  // Preventive path
  REQUEST_NOT_DRAFTED: 'not_found',
  REQUEST_ALREADY_DRAFTED: 'conflict',
  REQUEST_ID_MISMATCH: 'invalid',
  REQUEST_ALREADY_SENT: 'conflict',
  REQUEST_NOT_SENT: 'conflict',
  REQUEST_CANCELLED: 'conflict',
  REQUEST_ALREADY_ACKNOWLEDGED: 'conflict',
  REQUEST_ALREADY_ANSWERED: 'conflict',
  INFORMATION_ALREADY_REQUESTED: 'conflict',
  INFORMATION_NOT_REQUESTED: 'conflict',
  MEETING_TIME_PASSED: 'conflict',
  MEETING_NOT_YET_HELD: 'conflict',
  OUTCOME_ALREADY_RECORDED: 'conflict',
  // Emergency path
  EMERGENCY_NOT_RECORDED: 'not_found',
  EMERGENCY_ALREADY_RECORDED: 'conflict',
  EMERGENCY_ID_MISMATCH: 'invalid',
  EMERGENCY_CLOSED: 'conflict',
  STARTED_AFTER_RECORDING: 'invalid',
  BEFORE_EMERGENCY_STARTED: 'invalid',
  OPERATIONS_CENTRE_ALREADY_CALLED: 'conflict',
  DISPATCH_BEFORE_CALL: 'invalid',
  PATROL_ALREADY_DISPATCHED: 'conflict',
  FORCES_ALREADY_ALERTED: 'conflict',
  ARRIVAL_BEFORE_DISPATCH: 'conflict',
  PATROL_ALREADY_ARRIVED: 'conflict',
  PATROL_NOT_ARRIVED: 'conflict',
  REPORT_ALREADY_FILED: 'conflict',
} as const satisfies Record<string, DomainErrorKind>;

export type SafetyRuleCode = keyof typeof safetyRuleKinds;
export const SAFETY_RULE_CODES = Object.keys(safetyRuleKinds) as readonly SafetyRuleCode[];

/** A safety command the protocol refuses. The reason names the rule, never a personal value. */
export class SafetyRuleViolation extends DomainError {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: SafetyRuleCode,
    reason: string,
    field?: string,
  ) {
    super(reason, field);
    this.kind = safetyRuleKinds[code];
  }
}

/**
 * Refusals about who acts rather than what is asked: a role the protocol does not allow for the step, or a unit
 * acting on another unit's record: `forbidden`, a 403 over HTTP.
 */
export const SAFETY_ACCESS_CODES = ['ROLE_NOT_ALLOWED', 'ONLY_UNIT_OFFICER_MAY_SEND', 'OTHER_UNIT'] as const;
export type SafetyAccessCode = (typeof SAFETY_ACCESS_CODES)[number];

export class SafetyAccessDenied extends DomainError {
  readonly kind: DomainErrorKind = 'forbidden';

  constructor(
    readonly code: SafetyAccessCode,
    reason: string,
    field?: string,
  ) {
    super(reason, field);
  }
}
