import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { DirectoryError, DirectoryVersionConflictError } from '@helpline/directory';
import type { MappableError } from '@helpline/runtime';

const STATUS_OF_KIND: Record<DirectoryError['kind'], number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
};

/** A directory refusal as the API answers it (the directory README's table): 400, 404 or 409, with code, field and reason. */
export class DirectoryHttpError extends Error implements MappableError {
  readonly httpStatus: number;
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(error: DirectoryError) {
    super(error.reason);
    this.name = 'DirectoryHttpError';
    this.httpStatus = STATUS_OF_KIND[error.kind] ?? 409;
    this.code = error.code;
    this.reason = error.reason;
    this.field = error.field;
    if (error instanceof DirectoryVersionConflictError)
      this.details = { expectedVersion: error.expectedVersion, currentVersion: error.actualVersion };
  }
}

/**
 * The shared error filter maps every DomainError of kind `not_found` to 409 (for the case domain a missing referral
 * is a rule broken, not a missing resource). A directory entry that does not exist is a missing resource: 404.
 * This interceptor, on the directory's controllers only, gives directory errors their own statuses.
 */
@Injectable()
export class DirectoryErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof DirectoryError ? new DirectoryHttpError(error) : error)),
        ),
      );
  }
}
