import { ApplicationError } from '@helpline/kernel';

/*
 * Refusals of the safety application layer, each with its stable code and kind (the API's error filter maps kinds to
 * HTTP). The domain's own refusals are SafetyRuleViolation / SafetyAccessDenied.
 */

/** Unknown, or not yours to see (another unit's, or not yet sent to the police): the same answer either way. */
export class SafetyRequestNotFoundError extends ApplicationError {
  readonly code = 'SAFETY_REQUEST_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor() {
    super('there is no safety request with this id that you may see', 'requestId');
  }
}

export class SafetyEmergencyNotFoundError extends ApplicationError {
  readonly code = 'SAFETY_EMERGENCY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor() {
    super('there is no emergency record with this id that you may see', 'emergencyId');
  }
}

/** A platform role (operator, evaluator, ...) has no part in the safety protocol's commands. */
export class NotInSafetyProtocolError extends ApplicationError {
  readonly code = 'FORBIDDEN_ROLE';
  readonly kind = 'forbidden' as const;

  constructor() {
    super('this role takes no part in the safety protocol');
  }
}

/** A unit's staff asked for another unit's register or figures. */
export class OtherUnitError extends ApplicationError {
  readonly code = 'OTHER_UNIT';
  readonly kind = 'forbidden' as const;

  constructor() {
    super('you may see only the records of your own unit', 'unitId');
  }
}

/** A query parameter the read models cannot use (a month that is not YYYY-MM, a range the wrong way round). */
export class SafetyQueryError extends ApplicationError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;

  constructor(field: string, reason: string) {
    super(reason, field);
  }
}
