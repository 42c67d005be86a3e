import type { MappableError } from '@helpline/runtime';

/** Errors of the case application layer (the domain's own refusals are CaseRuleViolation). */
export class CaseNotFoundError extends Error implements MappableError {
  readonly httpStatus = 404;
  readonly code = 'CASE_NOT_FOUND';
  readonly reason = 'there is no case with this id on your lines';
  readonly field = 'caseId';
}

export class LineNotAllowedError extends Error implements MappableError {
  readonly httpStatus = 403;
  readonly code = 'LINE_NOT_ALLOWED';
  readonly reason = 'you do not work on this line';
  readonly field = 'lineId';
}

export class IdempotencyKeyMismatchError extends Error implements MappableError {
  readonly httpStatus = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly reason = 'this Idempotency-Key was already used for a different request';
  readonly field = 'Idempotency-Key';
}

export class ServiceNotInDirectoryError extends Error implements MappableError {
  readonly httpStatus = 409;
  readonly code = 'SERVICE_NOT_ACTIVE';
  readonly reason = 'a referral can only target an active service of the resource directory';
  readonly field = 'serviceId';
}

export class FutureTimeError extends Error implements MappableError {
  readonly httpStatus = 400;
  readonly code = 'VALIDATION_FAILED';
  readonly reason = 'occurredAt cannot be in the future';
  readonly field = 'occurredAt';
}
