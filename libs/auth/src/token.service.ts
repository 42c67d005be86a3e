import { createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AuthSettings } from '@helpline/config';
import { isRole, isUnitRole, Principal, Role } from './principal';

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid bearer token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

const CLAIM_LINES = 'lines';
const CLAIM_ROLE = 'role';
const CLAIM_SERVICE = 'service_id';
const CLAIM_UNIT = 'unit_id';

/** Verifies bearer JWTs: HS256 with a shared secret in development, or a JWKS URL of an OpenID Connect provider. */
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: AuthSettings) {
    if (settings.kind === 'jwks') this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
    else this.secret = new TextEncoder().encode(settings.secret);
  }

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.settings.issuer, audience: this.settings.audience };
      ({ payload } = this.jwks
        ? await jwtVerify(token, this.jwks, options)
        : await jwtVerify(token, this.secret!, { ...options, algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the token has expired');
      throw new InvalidTokenError('the token could not be verified');
    }
    return principalFromClaims(payload);
  }
}

export function principalFromClaims(payload: JWTPayload): Principal {
  const role = payload[CLAIM_ROLE];
  if (!payload.sub) throw new InvalidTokenError('the token has no subject (sub)');
  if (!isRole(role)) throw new InvalidTokenError('the token has no known role');
  const lines = payload[CLAIM_LINES] ?? [];
  if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) {
    throw new InvalidTokenError('the lines claim must be a list of line ids');
  }
  const serviceId = payload[CLAIM_SERVICE];
  if (role === 'service_staff' && (typeof serviceId !== 'string' || serviceId.length === 0)) {
    throw new InvalidTokenError('a service_staff token must name its service (service_id)');
  }
  const unitId = payload[CLAIM_UNIT];
  if (isUnitRole(role) && (typeof unitId !== 'string' || unitId.length === 0)) {
    throw new InvalidTokenError(`a ${role} token must name its unit (unit_id)`);
  }
  const principal: Principal = {
    id: payload.sub,
    role,
    lines,
    serviceId: typeof serviceId === 'string' ? serviceId : undefined,
  };
  return typeof unitId === 'string' && unitId.length > 0 ? { ...principal, unitId } : principal;
}

export interface DevelopmentTokenRequest {
  readonly sub: string;
  readonly role: Role;
  readonly lines?: readonly string[];
  readonly serviceId?: string;
  /** The unit of a social_worker or unit_officer. */
  readonly unitId?: string;
  /** Seconds; default 12 hours. */
  readonly expiresIn?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/** Mints an HS256 token for development and tests (the CLI's `token` command and the demo tokens). */
export async function mintDevelopmentToken(secret: string, request: DevelopmentTokenRequest): Promise<string> {
  const claims: JWTPayload = { [CLAIM_ROLE]: request.role, [CLAIM_LINES]: [...(request.lines ?? [])] };
  if (request.serviceId) claims[CLAIM_SERVICE] = request.serviceId;
  if (request.unitId) claims[CLAIM_UNIT] = request.unitId;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(`${request.expiresIn ?? 12 * 3600}s`);
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
