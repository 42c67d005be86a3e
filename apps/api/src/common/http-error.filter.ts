import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '@helpline/domain';
import { IdempotencyKeyReusedError, StreamVersionConflictError } from '@helpline/event-store';
import { PrivacyError } from '@helpline/privacy';
import { isMappableError, MappableError } from '@helpline/runtime';
import { ErrorBody } from './error-body';

/** Domain error classes register how they map to HTTP here (by class name), so libs need not depend on Nest. */
const domainMappings: Array<(error: unknown) => MappableError | undefined> = [];
export function registerErrorMapping(mapping: (error: unknown) => MappableError | undefined): void {
  domainMappings.push(mapping);
}

registerErrorMapping((error) =>
  error instanceof StreamVersionConflictError
    ? {
        httpStatus: 409,
        code: 'STALE_VERSION',
        reason: 'the case changed since the version you sent',
        details: { expectedVersion: error.expectedVersion, currentVersion: error.actualVersion },
      }
    : undefined,
);
registerErrorMapping((error) =>
  error instanceof IdempotencyKeyReusedError
    ? {
        httpStatus: 422,
        code: 'IDEMPOTENCY_KEY_REUSED',
        reason: 'this Idempotency-Key was already used for a different request',
        field: 'Idempotency-Key',
      }
    : undefined,
);

const STATUS_OF_KIND: Record<string, number> = { invalid: 400, not_found: 409, conflict: 409, forbidden: 403 };

// A rule the domain refuses is a 409; a request that is wrong in itself a 400; an unknown case a 404.
registerErrorMapping((error) =>
  error instanceof DomainError
    ? {
        httpStatus: error.code === 'CASE_NOT_OPENED' ? 404 : (STATUS_OF_KIND[error.kind] ?? 409),
        code: error.code,
        reason: error.reason,
        field: error.field,
      }
    : undefined,
);
registerErrorMapping((error) =>
  error instanceof PrivacyError && error.kind !== 'internal'
    ? { httpStatus: STATUS_OF_KIND[error.kind] ?? 409, code: error.code, reason: error.reason, field: error.field }
    : undefined,
);

/** One filter maps every error to the same body; nothing of a stack trace or of the request reaches the client. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      // The error's name and code only: messages can carry values a caller sent.
      this.logger.error(
        { err: { name: (exception as Error)?.name, code: (exception as { code?: unknown })?.code } },
        'unhandled error',
      );
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    const mapped = isMappableError(exception) ? exception : domainMappings.map((map) => map(exception)).find(Boolean);
    if (mapped) {
      return {
        statusCode: mapped.httpStatus,
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
        reason: 'the request body is not valid JSON or is too large',
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
