/*
 * Refusals of the safety application layer. Each carries its HTTP status and stable code (the shape the API's error
 * filter maps, `MappableError` of @helpline/runtime, which this library cannot import: runtime lists its
 * projections). The domain's own refusals are SafetyRuleViolation / SafetyAccessDenied.
 */

abstract class SafetyApplicationError extends Error {
  abstract readonly httpStatus: number;
  abstract readonly code: string;
  abstract readonly reason: string;
  readonly field?: string;
}

/** Unknown, or not yours to see (another unit's, or not yet sent to the police): the same answer either way. */
export class SafetyRequestNotFoundError extends SafetyApplicationError {
  readonly httpStatus = 404;
  readonly code = 'SAFETY_REQUEST_NOT_FOUND';
  readonly reason = 'there is no safety request with this id that you may see';
  override readonly field = 'requestId';
}

export class SafetyEmergencyNotFoundError extends SafetyApplicationError {
  readonly httpStatus = 404;
  readonly code = 'SAFETY_EMERGENCY_NOT_FOUND';
  readonly reason = 'there is no emergency record with this id that you may see';
  override readonly field = 'emergencyId';
}

export class SafetyIdempotencyKeyReusedError extends SafetyApplicationError {
  readonly httpStatus = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly reason = 'this Idempotency-Key was already used for a different request';
  override readonly field = 'Idempotency-Key';
}

export class SafetyFutureTimeError extends SafetyApplicationError {
  readonly httpStatus = 400;
  readonly code = 'VALIDATION_FAILED';
  readonly reason = 'occurredAt cannot be in the future';
  override readonly field = 'occurredAt';
}

/** A platform role (operator, evaluator, ...) has no part in the safety protocol's commands. */
export class NotInSafetyProtocolError extends SafetyApplicationError {
  readonly httpStatus = 403;
  readonly code = 'FORBIDDEN_ROLE';
  readonly reason = 'this role takes no part in the safety protocol';
}

/** A unit's staff asked for another unit's register or figures. */
export class OtherUnitError extends SafetyApplicationError {
  readonly httpStatus = 403;
  readonly code = 'OTHER_UNIT';
  readonly reason = 'you may see only the records of your own unit';
  override readonly field = 'unitId';
}

/** A query parameter the read models cannot use (a month that is not YYYY-MM, a range the wrong way round). */
export class SafetyQueryError extends SafetyApplicationError {
  readonly httpStatus = 400;
  readonly code = 'VALIDATION_FAILED';

  constructor(
    override readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}
