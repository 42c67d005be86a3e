import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import {
  IdempotencyKeyReusedForAnotherRequestError,
  StaleVersionError,
  StreamContendedError,
} from '@helpline/command-handling';
import { isDatabaseUnavailable } from '@helpline/database';
import { DomainError } from '@helpline/domain';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '@helpline/event-store';
import { ApplicationError, type ApplicationErrorKind } from '@helpline/kernel';
import { requestIdOf } from './trace-ids';
import { PrivacyError } from '@helpline/privacy';
import { ErrorBody, PROBLEM_CONTENT_TYPE, problemTypeOf } from './error-body';

const DIRECTORY_VERSION_CONFLICT = 'DIRECTORY_VERSION_CONFLICT';

/** How long a client told 503 waits before trying again, when nothing more precise is known. */
const DEFAULT_RETRY_AFTER_SECONDS = 2;

/** The one table from a refusal's kind to its HTTP status. */
const STATUS_OF_KIND: Record<ApplicationErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  unavailable: 503,
};

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly reason: string;
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Every refusal of the domain, the application libraries, the vault and the event store, read by kind. The domain's
 * `not_found` names something the aggregate does not hold (a referral, a session): a rule broken, 409; only a case
 * that was never opened is a missing resource.
 */
function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof ApplicationError) {
    const { code, reason, field, details } = error;
    return { status: STATUS_OF_KIND[error.kind], code, reason, field, details };
  }
  if (error instanceof StaleVersionError)
    return {
      // RFC 9110: a precondition the client put in If-Match that does not hold is 412; a version in the body is a
      // conflict of the command with the record's state, 409.
      status: error.expectedVersionFrom === 'if-match' ? 412 : STATUS_OF_KIND.conflict,
      code: 'STALE_VERSION',
      reason: `the record changed since the version you sent (you sent ${error.expectedVersion}, it is now at ${error.actualVersion}): read it again and resend`,
      details: { expectedVersion: error.expectedVersion, currentVersion: error.actualVersion },
    };
  if (error instanceof DomainError) {
    const missingResource = error.code === 'CASE_NOT_OPENED';
    const status = missingResource ? 404 : error.kind === 'not_found' ? 409 : STATUS_OF_KIND[error.kind];
    return { status, code: error.code, reason: error.reason, field: error.field };
  }
  if (error instanceof PrivacyError && error.kind !== 'internal')
    return { status: STATUS_OF_KIND[error.kind], code: error.code, reason: error.reason, field: error.field };
  if (error instanceof StreamVersionConflictError)
    return {
      status: STATUS_OF_KIND.conflict,
      code: 'STALE_VERSION',
      reason: 'the record changed since the version you sent: read it again and resend',
      details: { expectedVersion: error.expectedVersion, currentVersion: error.actualVersion },
    };
  if (error instanceof IdempotencyKeyReusedError) return refusalOf(new IdempotencyKeyReusedForAnotherRequestError());
  if (isDatabaseUnavailable(error))
    return {
      status: STATUS_OF_KIND.unavailable,
      code: 'DATABASE_UNAVAILABLE',
      reason: 'the database cannot be reached at the moment: nothing was recorded, try again shortly',
    };
  return undefined;
}

/** One filter maps every error to the same body; nothing of a stack trace or of the request reaches the client. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const request = host.switchToHttp().getRequest<Request>();
    const body = asProblem(this.toBody(exception), request);
    if (exception instanceof StreamContendedError)
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    else if (body.statusCode === 503 && !response.hasHeader('Retry-After'))
      response.setHeader('Retry-After', String(DEFAULT_RETRY_AFTER_SECONDS));
    const expected = exception instanceof ApplicationError || body.code === 'DATABASE_UNAVAILABLE';
    if (body.statusCode >= 500 && !expected) {
      // The error's class and code only: messages can carry values a caller sent.
      this.logger.error(
        { err: { type: (exception as Error)?.name, code: (exception as { code?: unknown })?.code } },
        'unhandled error',
      );
    } else if (body.code === 'DATABASE_UNAVAILABLE') {
      this.logger.warn({ err: { code: (exception as { code?: unknown })?.code } }, 'database unavailable');
    }
    response.status(body.statusCode).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toBody(exception: unknown): ErrorBody {
    const mapped = refusalOf(exception);
    if (mapped) {
      return {
        statusCode: mapped.status,
        code: mapped.code,
        reason: mapped.reason,
        ...(mapped.field ? { errors: [{ field: mapped.field, reason: mapped.reason }] } : {}),
        ...(mapped.details ?? {}),
      };
    }
    if (isBodyParserError(exception)) {
      return {
        statusCode: exception.status,
        code: exception.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_REQUEST',
        reason:
          exception.type === 'entity.too.deep'
            ? 'the request body is nested too deeply'
            : exception.status === 413
              ? 'the request body is too large'
              : 'the request body is not valid JSON',
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const given = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      if (typeof given.code === 'string') {
        return {
          ...given,
          statusCode: status,
          code: given.code,
          reason: typeof given.reason === 'string' ? given.reason : defaultReason(status),
        };
      }
      // The framework's own messages can quote what the caller sent (a JSON parse error quotes the body), so
      // they are replaced by a fixed reason.
      return {
        statusCode: status,
        code: status === 400 ? 'MALFORMED_REQUEST' : defaultCode(status),
        reason: defaultReason(status),
      };
    }
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: 'INTERNAL_ERROR',
      reason: 'something went wrong on our side',
    };
  }
}

/**
 * The body as RFC 9457 problem details: `type`, `title`, `status`, `detail`, `instance`, with the stable `code`,
 * `reason` and `errors` kept as extension members (clients read them). A stale version the client put in If-Match is
 * a failed precondition (412, RFC 9110) wherever the record's own error comes from. `instance` names this occurrence
 * by the request id the logs carry, never by the path or query: a refusal must not echo a record's id or a value
 * a client sent (a caller's number).
 */
function asProblem(body: ErrorBody, request: Request): ErrorBody {
  // The directory checks the version itself (not through the command handler): its conflict after an If-Match is the
  // same failed precondition.
  const failedPrecondition =
    body.code === DIRECTORY_VERSION_CONFLICT && request.headers['if-match'] !== undefined && body.statusCode === 409;
  const status = failedPrecondition ? 412 : body.statusCode;
  return {
    type: problemTypeOf(body.code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: body.reason,
    instance: `urn:helpline:request:${requestIdOf(request as { id?: unknown }) || 'unknown'}`,
    ...body,
    statusCode: status,
  };
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  const candidate = error as { status?: unknown; type?: unknown };
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    typeof candidate.type === 'string'
  );
}

function defaultReason(status: number): string {
  switch (status) {
    case 400:
      return 'the request is malformed (for example, the body is not valid JSON)';
    case 401:
      return 'a valid bearer token is required';
    case 403:
      return 'you may not do this';
    case 404:
      return 'there is nothing here';
    case 413:
      return 'the request body is too large';
    default:
      return 'the request could not be served';
  }
}

function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 412:
      return 'PRECONDITION_FAILED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'HTTP_ERROR';
  }
}
