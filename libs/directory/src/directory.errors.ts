import { DomainError, type DomainErrorKind } from '@helpline/domain';
import type { DirectoryEntityType } from './directory.vocabularies';

/** `invalid` (400), `not_found` (404), `conflict` (409; a stale version may also be answered 412). */
export type DirectoryErrorKind = DomainErrorKind;

/**
 * Base of every refusal of the directory: a `DomainError`, so the one exception filter that maps the domain's
 * refusals to HTTP maps these too. `code` is stable and machine-readable; `reason` is for humans; `field` names the
 * offending input when there is one. Directory values are public data, never personal.
 */
export abstract class DirectoryError extends DomainError {
  protected constructor(reason: string, field?: string) {
    super(reason, field);
  }
}

/** An input that breaks a rule of the directory. `field` is a path into the input, e.g. `schedules[1].opensAt`. */
export class DirectoryValidationError extends DirectoryError {
  readonly code = 'DIRECTORY_VALIDATION';
  readonly kind = 'invalid' as const;

  constructor(field: string, reason: string) {
    super(reason, field);
  }
}

export class DirectoryEntryNotFoundError extends DirectoryError {
  readonly code = 'DIRECTORY_ENTRY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(
    readonly entityType: DirectoryEntityType,
    readonly entityId: string,
  ) {
    super(`No ${entityType.replace('_', ' ')} with id ${entityId} in the directory`, 'id');
  }
}

/** A create named an id that is already taken. */
export class DirectoryEntryExistsError extends DirectoryError {
  readonly code = 'DIRECTORY_ENTRY_EXISTS';
  readonly kind = 'conflict' as const;

  constructor(
    readonly entityType: DirectoryEntityType,
    readonly entityId: string,
  ) {
    super(`A ${entityType.replace('_', ' ')} with id ${entityId} already exists`, 'id');
  }
}

/** The entry changed since the administrator read it: reload, then apply the change again. */
export class DirectoryVersionConflictError extends DirectoryError {
  readonly code = 'DIRECTORY_VERSION_CONFLICT';
  readonly kind = 'conflict' as const;

  constructor(
    readonly entityType: DirectoryEntityType,
    readonly entityId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `The ${entityType.replace('_', ' ')} ${entityId} is at version ${actualVersion}, expected ${expectedVersion}`,
      'expectedVersion',
    );
  }
}
