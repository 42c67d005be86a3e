import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Line } from '@helpline/domain';
import { CONFIG_VARIABLES, ConfigurationError, EnvironmentVariables, validateEnvironment } from './app-config';
import { readLinesFile } from './lines-file';

export type DatabaseSettings =
  { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; preparedStatements?: boolean };
export type EventStoreSettings = { kind: 'postgres' } | { kind: 'eventstoredb'; connectionString: string };
/**
 * Where a token carries what the service needs: claim names or dotted paths (Keycloak puts realm roles under
 * `realm_access.roles`, a client's under `resource_access.<client>.roles`). With a role prefix, only the roles
 * that carry it are the service's (the provider's own roles are ignored); without one, every role must be known.
 */
export interface TokenClaims {
  readonly roles: string;
  readonly lines: string;
  readonly service: string;
  readonly unit: string;
  readonly rolePrefix?: string;
}

export const DEFAULT_TOKEN_CLAIMS: TokenClaims = {
  roles: 'role',
  lines: 'lines',
  service: 'service_id',
  unit: 'unit_id',
};

export type AuthSettings =
  | { kind: 'hs256'; secret: string; issuer?: string; audience?: string; claims?: TokenClaims }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string; claims?: TokenClaims };

/**
 * The console's OpenID Connect client (authorization code + PKCE, a public client: no secret). The authority is
 * AUTH_ISSUER, so the console signs in with the provider whose tokens the API accepts.
 */
export interface ConsoleOidcSettings {
  readonly authority: string;
  readonly clientId: string;
  /** The scopes asked for, space-separated; `openid` among them. */
  readonly scope: string;
  /** A resource indicator (RFC 8707) for providers that issue the API's tokens per resource. */
  readonly resource?: string;
}

/** The resolved, typed settings the application runs on. */
export interface Settings {
  readonly port: number;
  readonly database: DatabaseSettings;
  readonly eventStore: EventStoreSettings;
  readonly auth: AuthSettings;
  /** Set: the console signs in with the OpenID provider (CONSOLE_OIDC_*); unset: development sign-in or none. */
  readonly consoleOidc?: ConsoleOidcSettings;
  /** AES-256 key that wraps each case's data key. */
  readonly masterKey: Buffer;
  readonly pseudonymSecret: string;
  /** The folder of the key store: each case's key-encryption key, outside the database (docs/privacy.md). */
  readonly keyStoreDir: string;
  /** The lines served, from `LINES_FILE`; absent: the three seed lines. Applied at start with `configureLines`. */
  readonly lines?: readonly Line[];
  /** True when secrets were generated for the embedded default: the start-up log may print demo tokens. */
  readonly developmentMode: boolean;
  readonly callbackNumberRetentionHours: number;
  readonly smallCellThreshold: number;
  readonly projectionsInProcess: boolean;
  /** Where a projector process answers /health, /health/ready and /metrics (0: it does not listen). */
  readonly projectorPort: number;
  /**
   * A stable name of this process (a pod's or a unit's name), used as its identity in projection leases: a process
   * restarted under the same name takes its leases back at once instead of waiting for them to expire. Two
   * processes running at once must never share one. Unset: a name of its own per start.
   */
  readonly instanceId?: string;
  readonly logLevel: string;
  /** Requests a caller (a token's subject, or an address without one) may make per minute; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** How many evaluation reports "as of" a past date (each replays the log) may run at once. */
  readonly reportReplaysAtOnce: number;
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  readonly publicBaseUrl: string;
  readonly safetyNoticeHours: number;
  /** Where a sent preventive safety request is announced: the local police command and the area director. */
  readonly safetyPoliceCommandEmail: string;
  readonly safetyAreaDirectorEmail: string;
  /** Timing of the safety e-mail dispatcher; not read from the environment (tests shorten it). */
  readonly safetyMailDispatch?: SafetyMailDispatchTuning;
}

export interface SafetyMailDispatchTuning {
  /** How often the outbox is polled (ms). */
  readonly intervalMs?: number;
  /** The first retry's delay after a failed delivery (ms); doubled at each attempt up to `maxBackoffMs`. */
  readonly baseBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a claimed e-mail is reserved for the dispatcher that claimed it (ms). */
  readonly leaseMs?: number;
}

export const SETTINGS = Symbol('Settings');

interface DevelopmentSecrets {
  authJwtSecret: string;
  masterKey: string;
  pseudonymSecret: string;
}

/**
 * Resolves the settings from the environment. With no DATABASE_URL the service runs embedded (PGlite in
 * DATA_DIR) and, for what is not configured, uses secrets generated once and kept in DATA_DIR/secrets.json
 * (so tokens and encrypted data survive a restart). With DATABASE_URL every secret must be configured.
 */
export interface ResolveOptions {
  /**
   * False for a tool that must only use secrets a service already has (the CLI's `token`): with none in DATA_DIR it
   * stops instead of generating secrets no API has ever seen.
   */
  readonly generateDevelopmentSecrets?: boolean;
}

/**
 * `<VARIABLE>_FILE` names a file that holds the variable's value (Docker and Kubernetes secrets are mounted as
 * files): read here, trailing newline dropped. Giving both the variable and its file is a mistake, said plainly.
 */
export function withSecretFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  const problems: Array<{ variable: string; reason: string }> = [];
  for (const variable of CONFIG_VARIABLES) {
    const file = env[`${variable}_FILE`];
    if (!file) continue;
    if (env[variable] !== undefined && env[variable] !== '') {
      problems.push({ variable: `${variable}_FILE`, reason: `set either ${variable} or ${variable}_FILE, not both` });
      continue;
    }
    try {
      resolved[variable] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      problems.push({ variable: `${variable}_FILE`, reason: 'names a file that cannot be read' });
    }
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return resolved;
}

export function resolveSettings(env: Record<string, string | undefined>, options: ResolveOptions = {}): Settings {
  const vars: EnvironmentVariables = validateEnvironment(withSecretFiles(env));
  const dataDir = resolve(vars.DATA_DIR);
  const embedded = !vars.DATABASE_URL;
  const missing: Array<{ variable: string; reason: string }> = [];
  let development: DevelopmentSecrets | undefined;
  const developmentSecrets = () => {
    if (!development && options.generateDevelopmentSecrets === false && !existsSync(join(dataDir, 'secrets.json')))
      throw new ConfigurationError([
        {
          variable: 'DATA_DIR',
          reason: `${dataDir} holds no service's secrets yet: start the API with this DATA_DIR first (npm start), or point DATA_DIR at the API's folder`,
        },
      ]);
    return (development ??= loadOrCreateDevelopmentSecrets(dataDir));
  };

  let auth: AuthSettings;
  const claims: TokenClaims = {
    roles: vars.AUTH_ROLES_CLAIM,
    lines: vars.AUTH_LINES_CLAIM,
    service: vars.AUTH_SERVICE_CLAIM,
    unit: vars.AUTH_UNIT_CLAIM,
    ...(vars.AUTH_ROLE_PREFIX ? { rolePrefix: vars.AUTH_ROLE_PREFIX } : {}),
  };
  if (vars.AUTH_JWKS_URL) {
    // A provider's tokens are accepted only when they were issued by it, for this service.
    if (!vars.AUTH_ISSUER)
      missing.push({ variable: 'AUTH_ISSUER', reason: 'is required with AUTH_JWKS_URL (the provider issuer URL)' });
    if (!vars.AUTH_AUDIENCE)
      missing.push({ variable: 'AUTH_AUDIENCE', reason: 'is required with AUTH_JWKS_URL (this service client id)' });
    auth = {
      kind: 'jwks',
      jwksUrl: vars.AUTH_JWKS_URL,
      issuer: vars.AUTH_ISSUER ?? '',
      audience: vars.AUTH_AUDIENCE ?? '',
      claims,
    };
  } else if (vars.AUTH_JWT_SECRET || embedded) {
    auth = {
      kind: 'hs256',
      secret: vars.AUTH_JWT_SECRET ?? developmentSecrets().authJwtSecret,
      issuer: vars.AUTH_ISSUER,
      audience: vars.AUTH_AUDIENCE,
      claims,
    };
  } else {
    missing.push({
      variable: 'AUTH_JWT_SECRET',
      reason: 'set AUTH_JWT_SECRET (development) or AUTH_JWKS_URL (OpenID Connect) when DATABASE_URL is set',
    });
    auth = { kind: 'hs256', secret: '' };
  }
  const consoleOidc = consoleOidcSettings(vars, missing);
  const masterKey = vars.MASTER_KEY ?? (embedded ? developmentSecrets().masterKey : undefined);
  if (!masterKey)
    missing.push({ variable: 'MASTER_KEY', reason: 'is required when DATABASE_URL is set (32 random bytes, base64)' });
  const pseudonymSecret = vars.PSEUDONYM_SECRET ?? (embedded ? developmentSecrets().pseudonymSecret : undefined);
  if (!pseudonymSecret)
    missing.push({
      variable: 'PSEUDONYM_SECRET',
      reason: 'is required when DATABASE_URL is set (at least 32 characters)',
    });
  const keyStoreDir = vars.KEY_STORE_DIR ? resolve(vars.KEY_STORE_DIR) : embedded ? join(dataDir, 'keys') : undefined;
  if (!keyStoreDir)
    missing.push({
      variable: 'KEY_STORE_DIR',
      reason: 'is required when DATABASE_URL is set (a folder outside the database and its backups)',
    });
  const lines = vars.LINES_FILE ? readLinesFile(vars.LINES_FILE) : undefined;
  for (const problem of lines?.problems ?? []) missing.push({ variable: 'LINES_FILE', reason: problem });
  if (missing.length > 0) throw new ConfigurationError(missing);

  return {
    port: vars.PORT,
    database: embedded
      ? { kind: 'embedded', dataDir }
      : { kind: 'postgres', url: vars.DATABASE_URL!, preparedStatements: vars.DATABASE_PREPARED_STATEMENTS },
    eventStore: vars.EVENTSTORE_CONNECTION_STRING
      ? { kind: 'eventstoredb', connectionString: vars.EVENTSTORE_CONNECTION_STRING }
      : { kind: 'postgres' },
    auth,
    ...(consoleOidc ? { consoleOidc } : {}),
    masterKey: Buffer.from(masterKey!, 'base64'),
    pseudonymSecret: pseudonymSecret!,
    keyStoreDir: keyStoreDir!,
    ...(lines ? { lines: lines.lines } : {}),
    developmentMode: development !== undefined && auth.kind === 'hs256',
    callbackNumberRetentionHours: vars.CALLBACK_NUMBER_RETENTION_HOURS,
    smallCellThreshold: vars.SMALL_CELL_THRESHOLD,
    projectionsInProcess: vars.PROJECTIONS_IN_PROCESS,
    projectorPort: vars.PROJECTOR_PORT,
    instanceId: vars.INSTANCE_ID,
    logLevel: vars.LOG_LEVEL,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    reportReplaysAtOnce: vars.REPORT_REPLAYS_AT_ONCE,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM,
    publicBaseUrl: vars.PUBLIC_BASE_URL ?? `http://localhost:${vars.PORT}`,
    safetyNoticeHours: vars.SAFETY_NOTICE_HOURS,
    safetyPoliceCommandEmail: vars.SAFETY_POLICE_COMMAND_EMAIL,
    safetyAreaDirectorEmail: vars.SAFETY_AREA_DIRECTOR_EMAIL,
  };
}

/** The console's client of the API's provider; each setting that cannot work is named, none is dropped silently. */
function consoleOidcSettings(
  vars: EnvironmentVariables,
  problems: Array<{ variable: string; reason: string }>,
): ConsoleOidcSettings | undefined {
  if (!vars.CONSOLE_OIDC_CLIENT_ID) {
    for (const variable of ['CONSOLE_OIDC_SCOPE', 'CONSOLE_OIDC_RESOURCE'] as const)
      if (vars[variable]) problems.push({ variable, reason: 'is used only with CONSOLE_OIDC_CLIENT_ID' });
    return undefined;
  }
  if (!vars.AUTH_JWKS_URL) {
    problems.push({
      variable: 'CONSOLE_OIDC_CLIENT_ID',
      reason:
        'needs AUTH_JWKS_URL and AUTH_ISSUER: the console signs in with the provider whose tokens the API accepts',
    });
    return undefined;
  }
  if (vars.AUTH_ISSUER && !isHttpUrl(vars.AUTH_ISSUER))
    problems.push({
      variable: 'AUTH_ISSUER',
      reason:
        'must be the provider http(s) URL when CONSOLE_OIDC_CLIENT_ID is set (the console finds the provider there)',
    });
  const scope = vars.CONSOLE_OIDC_SCOPE ?? 'openid';
  if (!scope.split(' ').includes('openid'))
    problems.push({
      variable: 'CONSOLE_OIDC_SCOPE',
      reason: 'must include openid (the console signs in with OpenID Connect)',
    });
  return {
    authority: vars.AUTH_ISSUER ?? '',
    clientId: vars.CONSOLE_OIDC_CLIENT_ID,
    scope,
    ...(vars.CONSOLE_OIDC_RESOURCE ? { resource: vars.CONSOLE_OIDC_RESOURCE } : {}),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function loadOrCreateDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevelopmentSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevelopmentSecrets = {
    authJwtSecret: randomBytes(32).toString('base64url'),
    masterKey: randomBytes(32).toString('base64'),
    pseudonymSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}
