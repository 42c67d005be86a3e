import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Principal, Role } from './principal';
import { InvalidTokenError, TokenVerifier } from './token.service';

const ROLES_KEY = 'helpline:roles';
const PUBLIC_KEY = 'helpline:public';

/** Which roles reach a route (or a whole controller). A route with neither @Roles nor @Public is refused. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** A route anyone may call (health, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
  if (!request.principal) throw new UnauthorizedException();
  return request.principal;
});

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', reason: 'a bearer token is required' });
    try {
      request.principal = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        throw new UnauthorizedException({ code: 'UNAUTHENTICATED', reason: error.reason });
      throw error;
    }
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    const held = request.principal.roles ?? [request.principal.role];
    const acting = held.find((role) => admitted.includes(role));
    if (!acting) {
      throw new ForbiddenException({
        code: 'FORBIDDEN_ROLE',
        reason: `the ${held.join(', ')} role${held.length > 1 ? 's' : ''} may not use this route`,
      });
    }
    request.principal = { ...request.principal, role: acting };
    return true;
  }
}
