import { createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { DEFAULT_TOKEN_CLAIMS } from '@helpline/config';
import type { AuthSettings, TokenClaims } from '@helpline/config';
import { isLineId } from '@helpline/domain';
import { isRole, isUnitRole, Principal, Role } from './principal';

export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid bearer token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

/** The identity provider's own roles, present in every Keycloak token, that are not the service's. */
const PROVIDER_ROLES = /^(offline_access|uma_authorization|default-roles-.*)$/;

export interface TokenVerifierOptions {
  /** Tokens verified recently whose principal is kept (least recently used first out); 0 keeps none. */
  readonly cacheSize?: number;
  /** The longest a verified token is trusted without verifying it again, even when it expires later. */
  readonly cacheMaxAgeMs?: number;
  /** The clock, in milliseconds (tests move it). */
  readonly now?: () => number;
}

interface VerifiedToken {
  readonly principal: Principal;
  /** Until when (ms) the token may be answered from the cache: its `exp`, capped by `cacheMaxAgeMs`. */
  readonly trustedUntil: number;
}

/**
 * Verifies bearer JWTs: HS256 with a shared secret in development, or a JWKS URL of an OpenID Connect provider.
 * A client sends the same token with every request until it expires, so a verified token's principal is kept,
 * keyed by the whole token, until its `exp` (at most `cacheMaxAgeMs`): the signature and the claims are checked
 * once per token, not once per request. A token that failed is never kept.
 */
export class TokenVerifier {
  private readonly secret?: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly cacheSize: number;
  private readonly cacheMaxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly settings: AuthSettings,
    options: TokenVerifierOptions = {},
  ) {
    if (settings.kind === 'jwks') this.jwks = createRemoteJWKSet(new URL(settings.jwksUrl));
    else this.secret = new TextEncoder().encode(settings.secret);
    this.cacheSize = options.cacheSize ?? 1000;
    this.cacheMaxAgeMs = options.cacheMaxAgeMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<Principal> {
    const now = this.now();
    const cached = this.verified.get(token);
    if (cached) {
      this.verified.delete(token);
      if (now < cached.trustedUntil) {
        this.verified.set(token, cached); // most recently used last
        return cached.principal;
      }
    }
    const { principal, expiresAt } = await this.verifyNow(token, now);
    if (this.cacheSize > 0) {
      if (this.verified.size >= this.cacheSize) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, {
        principal,
        trustedUntil: Math.min(expiresAt ?? Infinity, now + this.cacheMaxAgeMs),
      });
    }
    return principal;
  }

  private async verifyNow(token: string, now: number): Promise<{ principal: Principal; expiresAt?: number }> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.settings.issuer, audience: this.settings.audience, currentDate: new Date(now) };
      ({ payload } = this.jwks
        ? await jwtVerify(token, this.jwks, {
            ...options,
            algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
          })
        : await jwtVerify(token, this.secret!, { ...options, algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new InvalidTokenError('the token has expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed && (error.claim === 'aud' || error.claim === 'iss'))
        throw new InvalidTokenError(`the token was not issued for this service (${error.claim})`);
      throw new InvalidTokenError('the token could not be verified');
    }
    const principal = Object.freeze(principalFromClaims(payload, this.settings.claims));
    return { principal, expiresAt: payload.exp === undefined ? undefined : payload.exp * 1000 };
  }
}

/** A claim by name, or by a dotted path into nested objects. */
function claimAt(payload: JWTPayload, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function rolesOf(payload: JWTPayload, claims: TokenClaims): Role[] {
  const given = claimAt(payload, claims.roles);
  const values = typeof given === 'string' ? [given] : Array.isArray(given) ? given : [];
  if (!values.every((value): value is string => typeof value === 'string'))
    throw new InvalidTokenError(`the ${claims.roles} claim must be a role or a list of roles`);
  const prefix = claims.rolePrefix;
  const ours = prefix
    ? values.filter((value) => value.startsWith(prefix)).map((value) => value.slice(prefix.length))
    : values.filter((value) => !PROVIDER_ROLES.test(value));
  const unknown = ours.filter((value) => !isRole(value));
  if (unknown.length > 0) throw new InvalidTokenError('the token names a role this service does not know');
  if (ours.length === 0) throw new InvalidTokenError('the token has no known role');
  return [...new Set(ours as Role[])];
}

export function principalFromClaims(payload: JWTPayload, claims: TokenClaims = DEFAULT_TOKEN_CLAIMS): Principal {
  if (!payload.sub) throw new InvalidTokenError('the token has no subject (sub)');
  const roles = rolesOf(payload, claims);
  const lines = claimAt(payload, claims.lines) ?? [];
  if (!Array.isArray(lines) || !lines.every((line) => typeof line === 'string')) {
    throw new InvalidTokenError(`the ${claims.lines} claim must be a list of line ids`);
  }
  if (lines.some((line) => line !== '*' && !isLineId(line)))
    throw new InvalidTokenError('the token names a line this service does not know');
  const serviceId = claimAt(payload, claims.service);
  if (roles.includes('service_staff') && (typeof serviceId !== 'string' || serviceId.length === 0)) {
    throw new InvalidTokenError(`a service_staff token must name its service (${claims.service})`);
  }
  const unitId = claimAt(payload, claims.unit);
  const unitRole = roles.find(isUnitRole);
  if (unitRole && (typeof unitId !== 'string' || unitId.length === 0)) {
    throw new InvalidTokenError(`a ${unitRole} token must name its unit (${claims.unit})`);
  }
  const principal: Principal = {
    id: payload.sub,
    role: roles[0]!,
    roles,
    lines: lines,
    serviceId: typeof serviceId === 'string' ? serviceId : undefined,
  };
  return typeof unitId === 'string' && unitId.length > 0 ? { ...principal, unitId } : principal;
}

export interface DevelopmentTokenRequest {
  readonly sub: string;
  readonly role: Role;
  /** More roles the same person holds. */
  readonly alsoRoles?: readonly Role[];
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
  const names = DEFAULT_TOKEN_CLAIMS;
  const roles = [...new Set([request.role, ...(request.alsoRoles ?? [])])];
  const claims: JWTPayload = {
    [names.roles]: roles.length === 1 ? request.role : roles,
    [names.lines]: [...(request.lines ?? [])],
  };
  if (request.serviceId) claims[names.service] = request.serviceId;
  if (request.unitId) claims[names.unit] = request.unitId;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(`${request.expiresIn ?? 12 * 3600}s`);
  if (request.issuer) jwt = jwt.setIssuer(request.issuer);
  if (request.audience) jwt = jwt.setAudience(request.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
