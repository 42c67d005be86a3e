// A real OpenID provider for the identity tests: oidc-provider (certified), in a process of its own because it ships
// as ES modules only and the tests run as CommonJS under jest. It listens on 127.0.0.1 (a free port), then prints one
// line, `READY <issuer>`, on stdout. Its settings come as JSON in the first argument (see oidc-provider-process.ts).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { clientId, redirectUri, postLogoutRedirectUri, accounts, resources } = JSON.parse(process.argv[2]);

const server = createServer();
// Node closes a keep-alive connection idle for 5 s; a test whose own process is busy (starting the API on PGlite)
// may not see that close in time and send its next request on the closed socket ("other side closed"). The provider
// lives only as long as its test, so its connections stay open until it stops (close() ends the idle ones).
server.keepAliveTimeout = 0;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      // A browser application: no secret, so the code is bound to its verifier (PKCE, required below).
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: postLogoutRedirectUri ? [postLogoutRedirectUri] : [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  jwks: { keys: [{ ...signingKey, kid: `key-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'api'],
  async findAccount(_context, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id }) };
  },
  // The claims the API reads (roles, lines, service, unit) are in the access token, as a city's provider maps them.
  async extraTokenClaims(_context, token) {
    return token.kind === 'AccessToken' ? accounts[token.accountId] : undefined;
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo(_context, indicator) {
        const resource = resources[indicator];
        if (!resource) throw new Provider.errors.InvalidTarget();
        return {
          scope: 'api',
          audience: resource.audience,
          accessTokenTTL: resource.ttlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
provider.on('server_error', (_context, error) => process.stderr.write(`server_error ${error?.stack ?? error}\n`));
server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
