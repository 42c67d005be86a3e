import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';

const LOCATION_OF = 'helpline:locationOf';

/** Where the thing a 201 answer created can be read, from the answer and the route's path parameters. */
type Locate = (answer: never, params: Readonly<Record<string, string>>) => string;

/**
 * Sets `Location` (RFC 9110 §10.2.2) on the route's 201 answer: the address of what it created, or of the record
 * that shows it (a call-back and a session are read on their case).
 */
@Injectable()
class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const locate = this.reflector.get<Locate | undefined>(LOCATION_OF, context.getHandler());
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((answer: unknown) => {
        const response = http.getResponse<Response>();
        if (locate && response.statusCode === 201 && answer !== null && typeof answer === 'object')
          response.setHeader(
            'Location',
            locate(answer as never, http.getRequest<Request>().params as Record<string, string>),
          );
        return answer;
      }),
    );
  }
}

/** Marks a route that answers 201 with the address of what it created. */
export function CreatedAt<TAnswer>(locate: (answer: TAnswer, params: Readonly<Record<string, string>>) => string) {
  return applyDecorators(SetMetadata(LOCATION_OF, locate), UseInterceptors(LocationInterceptor));
}

/** The id a command answer's first event carries under `field` (a referral's, a call-back's, a session's). */
export function firstEventId(answer: { events?: ReadonlyArray<Record<string, unknown>> }, field: string): string {
  const id = answer.events?.[0]?.[field];
  return typeof id === 'string' ? id : '';
}
