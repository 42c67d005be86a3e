import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { DirectoryError, DirectoryVersionConflictError } from '@helpline/directory';
import { ApplicationError } from '@helpline/kernel';

/**
 * A directory refusal read as an application error (the directory README's table: 400, 404 or 409), with its code,
 * field and reason, and the versions of a conflict.
 */
export class DirectoryRefusal extends ApplicationError {
  readonly code: string;
  readonly kind: DirectoryError['kind'];

  constructor(error: DirectoryError) {
    super(
      error.reason,
      error.field,
      error instanceof DirectoryVersionConflictError
        ? { expectedVersion: error.expectedVersion, currentVersion: error.actualVersion }
        : undefined,
    );
    this.code = error.code;
    this.kind = error.kind;
  }
}

/**
 * The shared error filter reads a DomainError of kind `not_found` as a rule broken (409: for the case domain a missing
 * referral is not a missing resource). A directory entry that does not exist is a missing resource: 404. This
 * interceptor, on the directory's controllers only, makes directory errors application errors, read as such.
 */
@Injectable()
export class DirectoryErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof DirectoryError ? new DirectoryRefusal(error) : error)),
        ),
      );
  }
}
