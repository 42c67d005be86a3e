import { TestApp } from '../support/test-app';

const PROVIDER = {
  kind: 'jwks' as const,
  jwksUrl: 'http://127.0.0.1:9/jwks',
  issuer: 'https://id.comune.example/realms/comune-milano',
  audience: 'helpline-api',
};

/**
 * GET /auth/console-config: what the console's sign-in page asks before anyone is signed in. With the console's
 * OpenID client configured, the provider (the API's own issuer) and the client; in the embedded development mode, the
 * development sign-in; otherwise, that the console cannot sign anyone in.
 */
describe("the console's sign-in configuration", () => {
  const withApp = async (overrides: Parameters<typeof TestApp.start>[0], check: (app: TestApp) => Promise<void>) => {
    const app = await TestApp.start(overrides);
    try {
      await check(app);
    } finally {
      await app.stop();
    }
  };

  it("names the API's provider and the console's client, without a token, and lets the page reach that provider only", () =>
    withApp(
      {
        auth: PROVIDER,
        consoleOidc: {
          authority: PROVIDER.issuer,
          clientId: 'helpline-console',
          scope: 'openid api',
          resource: 'https://helpline.example/api',
        },
      },
      async (app) => {
        const response = await app.http().get('/auth/console-config').expect(200);
        expect(response.body).toEqual({
          mode: 'oidc',
          authority: PROVIDER.issuer,
          clientId: 'helpline-console',
          scope: 'openid api',
          resource: 'https://helpline.example/api',
        });
        expect(response.headers['content-security-policy']).toMatch(
          /connect-src 'self' https:\/\/id\.comune\.example(;|$)/,
        );
      },
    ));

  it('says development in the embedded development mode, and the policy admits no other origin', () =>
    withApp({ developmentMode: true }, async (app) => {
      const response = await app.http().get('/auth/console-config').expect(200);
      expect(response.body).toEqual({ mode: 'development' });
      expect(response.headers['content-security-policy']).toMatch(/connect-src 'self'(;|$)/);
    }));

  it('says none with a provider the console has no client of, or a configured development secret', async () => {
    await withApp({ auth: PROVIDER }, async (app) => {
      expect((await app.http().get('/auth/console-config').expect(200)).body).toEqual({ mode: 'none' });
    });
    await withApp({ developmentMode: false }, async (app) => {
      expect((await app.http().get('/auth/console-config').expect(200)).body).toEqual({ mode: 'none' });
    });
  });
});
