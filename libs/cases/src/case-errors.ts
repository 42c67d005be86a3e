import { ApplicationError } from '@helpline/kernel';

/** Errors of the case application layer (the domain's own refusals are CaseRuleViolation). */
export class CaseNotFoundError extends ApplicationError {
  readonly code = 'CASE_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor() {
    super('there is no case with this id on your lines', 'caseId');
  }
}

export class LineNotAllowedError extends ApplicationError {
  readonly code = 'LINE_NOT_ALLOWED';
  readonly kind = 'forbidden' as const;

  constructor() {
    super('you do not work on this line', 'lineId');
  }
}

export class ServiceNotInDirectoryError extends ApplicationError {
  readonly code = 'SERVICE_NOT_ACTIVE';
  readonly kind = 'conflict' as const;

  constructor() {
    super('a referral can only target an active service of the resource directory', 'serviceId');
  }
}
