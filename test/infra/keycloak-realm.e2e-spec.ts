import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import type { KeyLike } from 'jose';
import { ROLES } from '@helpline/auth';
import { resolveSettings } from '@helpline/config';
import { TestApp } from '../support/test-app';
import { infraFile, readCompose } from '../support/infra-files';
import { SIGNED_IN_PATH, SIGNED_OUT_PATH } from '../../apps/console/src/auth/paths';

interface ProtocolMapper {
  readonly protocolMapper: string;
  readonly config: Record<string, string>;
}
interface RealmUser {
  readonly username: string;
  readonly realmRoles: string[];
  readonly attributes: Record<string, string[]>;
}
interface RealmExport {
  readonly realm: string;
  readonly roles: { readonly realm: Array<{ readonly name: string }> };
  readonly clients: Array<{
    readonly clientId: string;
    readonly publicClient?: boolean;
    readonly standardFlowEnabled?: boolean;
    readonly implicitFlowEnabled?: boolean;
    readonly redirectUris?: string[];
    readonly webOrigins?: string[];
    readonly attributes?: Record<string, string>;
    readonly protocolMappers?: ProtocolMapper[];
  }>;
  readonly users: RealmUser[];
}

/**
 * infra/keycloak/comune-milano-realm.json against the API configured as infra/compose.yaml configures it: the access
 * token Keycloak's mappers would issue for each of the realm's users, signed here (Keycloak itself was not run),
 * is accepted, with the roles, lines, service and unit the user was given.
 */
describe('the Keycloak realm example, with the settings of the compose file', () => {
  const realm = JSON.parse(readFileSync(infraFile('keycloak', 'comune-milano-realm.json'), 'utf8')) as RealmExport;
  const compose = readCompose();
  const apiEnvironment = compose.services.api!.environment!;
  const consoleClient = realm.clients.find((client) => client.clientId === 'helpline-console')!;
  const mappers = consoleClient.protocolMappers ?? [];
  const keycloakHostname = compose.services.keycloak!.environment!.KC_HOSTNAME!;
  const issuer = `${keycloakHostname}/realms/${realm.realm}`;
  let app: TestApp;
  let jwksServer: Server;
  let realmKey: KeyLike;

  /** The access token of a user, claim by claim as the realm's mappers (and Keycloak's default scopes) make it. */
  const accessToken = (user: RealmUser): Promise<string> => {
    const claims: JWTPayload = {
      typ: 'Bearer',
      azp: consoleClient.clientId,
      preferred_username: user.username,
      // The built-in "roles" scope: every realm role, the realm's default ones included.
      realm_access: {
        roles: [...user.realmRoles, 'offline_access', 'uma_authorization', `default-roles-${realm.realm}`],
      },
      resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
    };
    const audiences = ['account'];
    for (const mapper of mappers) {
      if (mapper.config['access.token.claim'] !== 'true') continue;
      if (mapper.protocolMapper === 'oidc-audience-mapper') audiences.push(mapper.config['included.client.audience']!);
      if (mapper.protocolMapper === 'oidc-usermodel-attribute-mapper') {
        const values = user.attributes[mapper.config['user.attribute']!];
        if (values === undefined) continue;
        claims[mapper.config['claim.name']!] = mapper.config.multivalued === 'true' ? values : values[0];
      }
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'realm-key' })
      .setSubject(`kc-${user.username}`)
      .setIssuer(issuer)
      .setAudience(audiences)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(realmKey);
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    realmKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'realm-key', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    // The compose file's identity settings, only the JWKS address moved to this test's key server.
    const identity = Object.fromEntries(Object.entries(apiEnvironment).filter(([name]) => name.startsWith('AUTH_')));
    const settings = resolveSettings({
      ...identity,
      AUTH_JWKS_URL: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/certs`,
      DATA_DIR: '/nonexistent/not-used',
      MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(40),
      KEY_STORE_DIR: '/nonexistent/not-used',
    });
    app = await TestApp.start({ auth: settings.auth });
  });
  afterAll(async () => {
    await app?.stop();
    jwksServer?.close();
  });

  it("declares exactly the service's roles, and the compose file expects the realm's issuer, audience and claims", () => {
    expect(realm.roles.realm.map((role) => role.name).sort()).toEqual([...ROLES].sort());
    expect(apiEnvironment.AUTH_ISSUER).toBe(issuer);
    const audienceMapper = mappers.find((mapper) => mapper.protocolMapper === 'oidc-audience-mapper')!;
    expect(apiEnvironment.AUTH_AUDIENCE).toBe(audienceMapper.config['included.client.audience']);
    expect(realm.clients.map((client) => client.clientId)).toContain(apiEnvironment.AUTH_AUDIENCE);
    const claimOf = (attribute: string) =>
      mappers.find((mapper) => mapper.config['user.attribute'] === attribute)?.config['claim.name'];
    expect({
      lines: claimOf('lines'),
      service: claimOf('service_id'),
      unit: claimOf('unit_id'),
    }).toEqual({
      lines: apiEnvironment.AUTH_LINES_CLAIM,
      service: apiEnvironment.AUTH_SERVICE_CLAIM,
      unit: apiEnvironment.AUTH_UNIT_CLAIM,
    });
    expect(apiEnvironment.AUTH_ROLES_CLAIM).toBe('realm_access.roles');
  });

  it("has the console's client, a public one with PKCE S256, send the browser back to the console only", () => {
    // The compose file reads its secrets from files (Docker secrets) that exist only in a deployment: given inline.
    const withoutSecretFiles = Object.fromEntries(
      Object.entries(apiEnvironment).filter(([name]) => !name.endsWith('_FILE')),
    );
    const settings = resolveSettings({
      ...withoutSecretFiles,
      DATABASE_URL: 'postgres://u@db/helpline',
      MASTER_KEY: Buffer.alloc(32, 5).toString('base64'),
      PSEUDONYM_SECRET: 'p'.repeat(40),
    });
    expect(settings.consoleOidc).toEqual({ authority: issuer, clientId: consoleClient.clientId, scope: 'openid' });
    expect(consoleClient).toMatchObject({
      publicClient: true,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      attributes: { 'pkce.code.challenge.method': 'S256' },
    });
    const consoleAddress = new URL(apiEnvironment.PUBLIC_BASE_URL!);
    // Exact addresses, no wildcard: a code is only ever sent back to the console's own page.
    expect(consoleClient.redirectUris).toContain(`${consoleAddress.origin}${SIGNED_IN_PATH}`);
    expect(consoleClient.redirectUris!.every((uri) => uri.endsWith(SIGNED_IN_PATH))).toBe(true);
    const afterSignOut = consoleClient.attributes!['post.logout.redirect.uris']!.split('##');
    expect(afterSignOut).toContain(`${consoleAddress.origin}${SIGNED_OUT_PATH}`);
    expect(afterSignOut.every((uri) => uri.endsWith(SIGNED_OUT_PATH))).toBe(true);
    // The browser exchanges the code from the console's origin: the provider must admit it (CORS).
    expect(consoleClient.webOrigins).toContain(consoleAddress.origin);
  });

  it('signs every user of the realm in with the roles, lines, service and unit the realm gives them', async () => {
    for (const user of realm.users) {
      const response = await app
        .http()
        .get('/me')
        .set('Authorization', `Bearer ${await accessToken(user)}`);
      expect({ user: user.username, status: response.status }).toEqual({ user: user.username, status: 200 });
      expect(response.body).toMatchObject({
        roles: user.realmRoles,
        lines: user.attributes.lines ?? [],
        ...(user.attributes.service_id ? { serviceId: user.attributes.service_id[0] } : {}),
        ...(user.attributes.unit_id ? { unitId: user.attributes.unit_id[0] } : {}),
      });
    }
  });

  it("lets the realm's operator open a case on her line, and not on another", async () => {
    const operator = realm.users.find((user) => user.realmRoles.includes('operator'))!;
    const bearer = `Bearer ${await accessToken(operator)}`;
    const contact = {
      channel: 'phone',
      callerType: 'media',
      ageBand: 'unknown',
      gender: 'not_stated',
      concern: 'not_stated',
      heardOfLine: 'not_stated',
    };
    const ownLine = operator.attributes.lines![0]!;
    await app
      .http()
      .post('/cases')
      .set('Authorization', bearer)
      .send({ lineId: ownLine, ...contact })
      .expect(201);
    const otherLine = ['sostienimi', 'psych-emergency'].find((line) => !operator.attributes.lines!.includes(line))!;
    const refused = await app
      .http()
      .post('/cases')
      .set('Authorization', bearer)
      .send({ lineId: otherLine, ...contact });
    expect(refused.status).toBe(403);
  });
});
