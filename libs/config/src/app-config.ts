import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : value === true || value === 'true' || value === '1'
      ? true
      : value === false || value === 'false' || value === '0'
        ? false
        : value;
/** A claim's name, or a dotted path into nested claims (Keycloak: `realm_access.roles`). */
const CLAIM_PATH = /^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+){0,4}$/;
const emptyAsUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every setting the service reads, from the environment, validated once at start-up.
 * Nothing else in the code reads process.env (see README, "Configuration").
 */
export class EnvironmentVariables {
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR: string = './data';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// connection string' })
  DATABASE_URL?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\/\S+$/, {
    message: 'EVENTSTORE_CONNECTION_STRING must be an esdb:// connection string',
  })
  EVENTSTORE_CONNECTION_STRING?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUTH_JWT_SECRET must be at least 32 characters' })
  AUTH_JWT_SECRET?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'AUTH_JWKS_URL must be an http(s) URL' })
  AUTH_JWKS_URL?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(CLAIM_PATH, { message: 'AUTH_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles' })
  AUTH_ROLES_CLAIM: string = 'role';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(CLAIM_PATH, { message: 'AUTH_LINES_CLAIM must be a claim name or a dotted path' })
  AUTH_LINES_CLAIM: string = 'lines';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(CLAIM_PATH, { message: 'AUTH_SERVICE_CLAIM must be a claim name or a dotted path' })
  AUTH_SERVICE_CLAIM: string = 'service_id';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(CLAIM_PATH, { message: 'AUTH_UNIT_CLAIM must be a claim name or a dotted path' })
  AUTH_UNIT_CLAIM: string = 'unit_id';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,40}$/, { message: 'AUTH_ROLE_PREFIX must be 1-40 of A-Za-z0-9_.:-' })
  AUTH_ROLE_PREFIX?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'CONSOLE_OIDC_CLIENT_ID must be 1-200 printable characters, no spaces' })
  CONSOLE_OIDC_CLIENT_ID?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, {
    message: 'CONSOLE_OIDC_SCOPE must be scope names separated by single spaces',
  })
  CONSOLE_OIDC_SCOPE?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, protocols: ['http', 'https'], require_protocol: true },
    { message: 'CONSOLE_OIDC_RESOURCE must be an http(s) URL (a resource indicator, RFC 8707)' },
  )
  CONSOLE_OIDC_RESOURCE?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'MASTER_KEY must be 32 bytes in base64 (44 characters)' })
  MASTER_KEY?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'PSEUDONYM_SECRET must be at least 32 characters' })
  PSEUDONYM_SECRET?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  KEY_STORE_DIR?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  LINES_FILE?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  CALLBACK_NUMBER_RETENTION_HOURS: number = 72;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  SMALL_CELL_THRESHOLD: number = 5;

  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  PROJECTIONS_IN_PROCESS: boolean = true;

  /** Off behind a pooler that cannot keep a session's prepared statements (PgBouncer in transaction mode before 1.21). */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  DATABASE_PREPARED_STATEMENTS: boolean = true;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PROJECTOR_PORT: number = 3001;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'INSTANCE_ID must be 1-100 letters, digits, ".", "_", ":" or "-"' })
  INSTANCE_ID?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 12_000;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  REPORT_REPLAYS_AT_ONCE: number = 2;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  MAIL_FROM: string = 'helpline@localhost';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'PUBLIC_BASE_URL must be an http(s) URL' })
  PUBLIC_BASE_URL?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24 * 30)
  SAFETY_NOTICE_HOURS: number = 48;

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsEmail({ require_tld: false }, { message: 'SAFETY_POLICE_COMMAND_EMAIL must be an e-mail address' })
  SAFETY_POLICE_COMMAND_EMAIL: string = 'police-command@localhost';

  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsEmail({ require_tld: false }, { message: 'SAFETY_AREA_DIRECTOR_EMAIL must be an e-mail address' })
  SAFETY_AREA_DIRECTOR_EMAIL: string = 'area-director@localhost';
}

/** Every variable the service reads; the README lists the same. */
export const CONFIG_VARIABLES = [
  'PORT',
  'DATA_DIR',
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'AUTH_ROLES_CLAIM',
  'AUTH_LINES_CLAIM',
  'AUTH_SERVICE_CLAIM',
  'AUTH_UNIT_CLAIM',
  'AUTH_ROLE_PREFIX',
  'CONSOLE_OIDC_CLIENT_ID',
  'CONSOLE_OIDC_SCOPE',
  'CONSOLE_OIDC_RESOURCE',
  'MASTER_KEY',
  'PSEUDONYM_SECRET',
  'KEY_STORE_DIR',
  'LINES_FILE',
  'CALLBACK_NUMBER_RETENTION_HOURS',
  'SMALL_CELL_THRESHOLD',
  'PROJECTIONS_IN_PROCESS',
  'DATABASE_PREPARED_STATEMENTS',
  'PROJECTOR_PORT',
  'INSTANCE_ID',
  'LOG_LEVEL',
  'RATE_LIMIT_PER_MINUTE',
  'REPORT_REPLAYS_AT_ONCE',
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'SAFETY_NOTICE_HOURS',
  'SAFETY_POLICE_COMMAND_EMAIL',
  'SAFETY_AREA_DIRECTOR_EMAIL',
] as const satisfies ReadonlyArray<keyof EnvironmentVariables>;

export class ConfigurationError extends Error {
  constructor(readonly problems: Array<{ variable: string; reason: string }>) {
    super(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem.variable}: ${problem.reason}`).join('\n')}`,
    );
    this.name = 'ConfigurationError';
  }
}

/** Validates the environment; throws a ConfigurationError naming each bad variable and why (never its value). */
export function validateEnvironment(env: Record<string, unknown>): EnvironmentVariables {
  const known: Record<string, unknown> = {};
  for (const variable of CONFIG_VARIABLES) if (env[variable] !== undefined) known[variable] = env[variable];
  const config = plainToInstance(EnvironmentVariables, known);
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigurationError(
      errors.map((error) => ({
        variable: error.property,
        reason: Object.values(error.constraints ?? { invalid: 'is invalid' }).join('; '),
      })),
    );
  }
  return config;
}
