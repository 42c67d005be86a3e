import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from './app-config';
import { resolveSettings } from './settings';

const fresh = () => mkdtempSync(join(tmpdir(), 'helpline-config-'));

describe('resolveSettings', () => {
  it('runs embedded with no configuration, generating secrets once and keeping them in DATA_DIR', () => {
    const dataDir = fresh();
    const first = resolveSettings({ DATA_DIR: dataDir });
    expect(first.database).toEqual({ kind: 'embedded', dataDir });
    expect(first.port).toBe(3000);
    expect(first.developmentMode).toBe(true);
    expect(first.masterKey).toHaveLength(32);
    expect(first.keyStoreDir).toBe(join(dataDir, 'keys'));
    const again = resolveSettings({ DATA_DIR: dataDir });
    expect(again.auth).toEqual(first.auth);
    expect(again.masterKey.equals(first.masterKey)).toBe(true);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('uses PORT, DATABASE_URL and EVENTSTORE_CONNECTION_STRING when given', () => {
    const env = {
      PORT: '4000',
      DATABASE_URL: 'postgres://u@db:5432/helpline',
      EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false',
      AUTH_JWT_SECRET: 'x'.repeat(32),
      MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      KEY_STORE_DIR: '/var/lib/helpline-keys',
    };
    const settings = resolveSettings(env);
    expect(settings.port).toBe(4000);
    expect(settings.keyStoreDir).toBe('/var/lib/helpline-keys');
    expect(settings.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/helpline',
      preparedStatements: true,
    });
    expect(resolveSettings({ ...env, DATABASE_PREPARED_STATEMENTS: 'false' }).database).toMatchObject({
      preparedStatements: false,
    });
    expect(settings.eventStore).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://localhost:2113?tls=false' });
    expect(settings.developmentMode).toBe(false);
  });

  it('takes a stable INSTANCE_ID for the process, and refuses one that cannot name it', () => {
    expect(resolveSettings({ DATA_DIR: fresh() }).instanceId).toBeUndefined();
    expect(resolveSettings({ DATA_DIR: fresh(), INSTANCE_ID: 'projector-0' }).instanceId).toBe('projector-0');
    expect(() => resolveSettings({ DATA_DIR: fresh(), INSTANCE_ID: 'two words' })).toThrow(ConfigurationError);
  });

  it('stops with a message naming each bad variable, without echoing its value', () => {
    const error = (() => {
      try {
        resolveSettings({
          DATA_DIR: fresh(),
          PORT: 'eighty',
          DATABASE_URL: 'mysql://secret-host/db',
          LOG_LEVEL: 'loud',
        });
      } catch (e) {
        return e as ConfigurationError;
      }
      throw new Error('expected a ConfigurationError');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect(error.message).toContain('PORT');
    expect(error.message).not.toContain('secret-host');
  });

  it('requires real secrets when running on a PostgreSQL server', () => {
    expect(() => resolveSettings({ DATABASE_URL: 'postgres://u@db/helpline' })).toThrow(
      /AUTH_JWT_SECRET[\s\S]*MASTER_KEY[\s\S]*PSEUDONYM_SECRET[\s\S]*KEY_STORE_DIR/,
    );
    expect(() =>
      resolveSettings({
        DATABASE_URL: 'postgres://u@db/helpline',
        AUTH_JWT_SECRET: 'short',
        MASTER_KEY: 'abc',
        PSEUDONYM_SECRET: 'p'.repeat(32),
      }),
    ).toThrow(/AUTH_JWT_SECRET: AUTH_JWT_SECRET must be at least 32 characters[\s\S]*MASTER_KEY/);
  });

  it('accepts a JWKS URL instead of a shared secret', () => {
    const settings = resolveSettings({
      DATABASE_URL: 'postgres://u@db/helpline',
      AUTH_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example.org/',
      AUTH_AUDIENCE: 'helpline-api',
      AUTH_ROLES_CLAIM: 'realm_access.roles',
      MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      KEY_STORE_DIR: '/var/lib/helpline-keys',
    });
    expect(settings.auth).toEqual({
      kind: 'jwks',
      jwksUrl: 'https://idp.example.org/.well-known/jwks.json',
      issuer: 'https://idp.example.org/',
      audience: 'helpline-api',
      claims: { roles: 'realm_access.roles', lines: 'lines', service: 'service_id', unit: 'unit_id' },
    });
  });

  it("requires the provider's issuer and this service's audience with a JWKS URL", () => {
    const withProvider = (extra: Record<string, string>) => () =>
      resolveSettings({
        DATABASE_URL: 'postgres://u@db/helpline',
        AUTH_JWKS_URL: 'https://idp.example.org/.well-known/jwks.json',
        MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
        PSEUDONYM_SECRET: 'p'.repeat(32),
        ...extra,
      });
    expect(withProvider({})).toThrow(/AUTH_ISSUER[\s\S]*AUTH_AUDIENCE/);
    expect(withProvider({ AUTH_ISSUER: 'https://idp.example.org/' })).toThrow(/AUTH_AUDIENCE/);
    expect(withProvider({ AUTH_AUDIENCE: 'helpline-api' })).toThrow(/AUTH_ISSUER/);
    expect(withProvider({ AUTH_ROLES_CLAIM: 'realm access' })).toThrow(/AUTH_ROLES_CLAIM/);
  });

  describe("the console's OpenID client", () => {
    const provider = {
      DATABASE_URL: 'postgres://u@db/helpline',
      AUTH_JWKS_URL: 'https://idp.example.org/realms/comune/protocol/openid-connect/certs',
      AUTH_ISSUER: 'https://idp.example.org/realms/comune',
      AUTH_AUDIENCE: 'helpline-api',
      MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      KEY_STORE_DIR: '/var/lib/helpline-keys',
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        resolveSettings(env);
      } catch (error) {
        return (error as ConfigurationError).problems;
      }
      throw new Error('expected a ConfigurationError');
    };

    it("signs the console in with the API's provider as the authority, scope openid unless told", () => {
      expect(resolveSettings(provider).consoleOidc).toBeUndefined();
      expect(resolveSettings({ ...provider, CONSOLE_OIDC_CLIENT_ID: 'helpline-console' }).consoleOidc).toEqual({
        authority: 'https://idp.example.org/realms/comune',
        clientId: 'helpline-console',
        scope: 'openid',
      });
      expect(
        resolveSettings({
          ...provider,
          CONSOLE_OIDC_CLIENT_ID: 'helpline-console',
          CONSOLE_OIDC_SCOPE: 'openid api',
          CONSOLE_OIDC_RESOURCE: 'https://helpline.example/api',
        }).consoleOidc,
      ).toEqual({
        authority: 'https://idp.example.org/realms/comune',
        clientId: 'helpline-console',
        scope: 'openid api',
        resource: 'https://helpline.example/api',
      });
    });

    it('refuses a console client without the provider the API trusts, and settings that cannot work', () => {
      expect(problemsOf({ DATA_DIR: fresh(), CONSOLE_OIDC_CLIENT_ID: 'helpline-console' })).toEqual([
        { variable: 'CONSOLE_OIDC_CLIENT_ID', reason: expect.stringMatching(/needs AUTH_JWKS_URL/) },
      ]);
      expect(problemsOf({ ...provider, CONSOLE_OIDC_SCOPE: 'openid' })).toEqual([
        { variable: 'CONSOLE_OIDC_SCOPE', reason: 'is used only with CONSOLE_OIDC_CLIENT_ID' },
      ]);
      expect(
        problemsOf({ ...provider, CONSOLE_OIDC_CLIENT_ID: 'helpline-console', CONSOLE_OIDC_SCOPE: 'profile email' }),
      ).toEqual([{ variable: 'CONSOLE_OIDC_SCOPE', reason: expect.stringMatching(/must include openid/) }]);
      expect(
        problemsOf({ ...provider, CONSOLE_OIDC_CLIENT_ID: 'helpline-console', AUTH_ISSUER: 'urn:comune:idp' }),
      ).toEqual([{ variable: 'AUTH_ISSUER', reason: expect.stringMatching(/http\(s\) URL/) }]);
      expect(
        problemsOf({ ...provider, CONSOLE_OIDC_CLIENT_ID: 'two words', CONSOLE_OIDC_RESOURCE: 'not a url' }).map(
          (problem) => problem.variable,
        ),
      ).toEqual(['CONSOLE_OIDC_CLIENT_ID', 'CONSOLE_OIDC_RESOURCE']);
    });
  });

  it('reads a secret from <VARIABLE>_FILE, and refuses both or an unreadable file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'helpline-secrets-'));
    const keyFile = join(folder, 'master_key');
    writeFileSync(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`);
    const base = {
      DATABASE_URL: 'postgres://u@db/helpline',
      AUTH_JWT_SECRET: 'j'.repeat(32),
      PSEUDONYM_SECRET: 'p'.repeat(32),
      KEY_STORE_DIR: folder,
    };
    expect(resolveSettings({ ...base, MASTER_KEY_FILE: keyFile }).masterKey).toEqual(Buffer.alloc(32, 7));
    expect(() =>
      resolveSettings({ ...base, MASTER_KEY_FILE: keyFile, MASTER_KEY: Buffer.alloc(32).toString('base64') }),
    ).toThrow(/MASTER_KEY_FILE: set either MASTER_KEY or MASTER_KEY_FILE/);
    expect(() => resolveSettings({ ...base, MASTER_KEY_FILE: join(folder, 'missing') })).toThrow(
      /MASTER_KEY_FILE: names a file that cannot be read/,
    );
  });
});
