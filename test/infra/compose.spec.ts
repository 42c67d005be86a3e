import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, resolveSettings } from '@helpline/config';
import { infraFile, readCompose } from '../support/infra-files';

/**
 * infra/compose.yaml as Docker Compose reads it (no Docker engine runs here: `docker compose up` was not run).
 * What can be checked without one: the services, the settings they pass exist and validate, secrets are files.
 */
describe('infra/compose.yaml', () => {
  const compose = readCompose();
  const helplineServices = ['api', 'projector'] as const;
  const known = new Set<string>(CONFIG_VARIABLES);
  /** Settings that are secrets: given only as `<VARIABLE>_FILE`, never in the file itself. */
  const secretSettings = ['DATABASE_URL', 'MASTER_KEY', 'PSEUDONYM_SECRET', 'AUTH_JWT_SECRET'];

  it('runs the API, the projector, PostgreSQL, a mail catcher and the identity provider', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'keycloak', 'mailpit', 'postgres', 'projector']);
    expect(compose.services.api!.build).toEqual({ context: '..', dockerfile: 'infra/Dockerfile' });
    expect(compose.services.projector!.image).toBe(compose.services.api!.image);
    expect(compose.services.projector!.command).toEqual(['node', 'dist/apps/projector/src/main.js']);
    expect(compose.services.api!.environment!.PROJECTIONS_IN_PROCESS).toBe('false');
  });

  it.each(helplineServices)('%s: every variable it sets is a setting of the service (or its _FILE)', (service) => {
    const names = Object.keys(compose.services[service]!.environment!);
    const unknown = names.filter((name) => !known.has(name) && !known.has(name.replace(/_FILE$/, '')));
    expect(unknown).toEqual([]);
  });

  it.each(helplineServices)('%s: secrets come from files that compose mounts, never from the file', (service) => {
    const { environment = {}, secrets = [] } = compose.services[service]!;
    for (const secret of secretSettings) expect(environment[secret]).toBeUndefined();
    for (const secret of ['DATABASE_URL', 'MASTER_KEY', 'PSEUDONYM_SECRET'])
      expect(environment[`${secret}_FILE`]).toMatch(/^\/run\/secrets\/\w+$/);
    for (const [name, path] of Object.entries(environment).filter(([variable]) => variable.endsWith('_FILE'))) {
      const secret = path.replace('/run/secrets/', '');
      expect({ name, mounted: secrets.includes(secret), declared: secret in compose.secrets }).toEqual({
        name,
        mounted: true,
        declared: true,
      });
    }
  });

  it('keeps the key store on a volume of its own, shared by the API and the projector', () => {
    const keyStoreDir = compose.services.api!.environment!.KEY_STORE_DIR;
    const mountOf = (service: string) =>
      compose.services[service]!.volumes!.find((volume) => volume.endsWith(`:${keyStoreDir}`));
    expect(mountOf('api')).toBeDefined();
    expect(mountOf('projector')).toBe(mountOf('api'));
    expect(mountOf('api')!.split(':')[0]! in compose.volumes).toBe(true);
    expect(
      compose.services.postgres!.volumes!.some((volume) => volume.startsWith(`${mountOf('api')!.split(':')[0]}:`)),
    ).toBe(false);
  });

  it('checks the projector on the port it listens on', () => {
    const port = compose.services.projector!.environment!.PROJECTOR_PORT;
    expect(compose.services.projector!.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${port}/health`);
  });

  it('makes every secret it mounts with infra/make-secrets.sh', () => {
    const script = readFileSync(infraFile('make-secrets.sh'), 'utf8');
    const written = [...script.matchAll(/^write (\w+) /gm)].map((match) => match[1]).sort();
    expect(written).toEqual(Object.keys(compose.secrets).sort());
    for (const { file } of Object.values(compose.secrets)) expect(file).toMatch(/^\.\/secrets\/\w+$/);
  });

  it.each(helplineServices)(
    '%s: its settings validate, with secret files shaped like make-secrets.sh writes',
    (service) => {
      const folder = mkdtempSync(join(tmpdir(), 'helpline-compose-'));
      const sample: Record<string, string> = {
        database_url: 'postgres://helpline:password@postgres:5432/helpline',
        master_key: Buffer.alloc(32, 3).toString('base64'),
        pseudonym_secret: 'p'.repeat(43),
      };
      const environment = Object.fromEntries(
        Object.entries(compose.services[service]!.environment!).map(([name, value]) => {
          if (!name.endsWith('_FILE')) return [name, value];
          const secret = value.replace('/run/secrets/', '');
          writeFileSync(join(folder, secret), sample[secret]!);
          return [name, join(folder, secret)];
        }),
      );
      const settings = resolveSettings(environment);
      expect(settings.database).toEqual({ kind: 'postgres', url: sample.database_url, preparedStatements: true });
      expect(settings.auth).toMatchObject({ kind: 'jwks', audience: 'helpline-api' });
      expect(settings.smtpUrl).toBe('smtp://mailpit:1025');
      expect(settings.keyStoreDir).toBe('/var/lib/helpline/keys');
    },
  );
});
