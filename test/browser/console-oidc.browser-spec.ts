import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { SIGNED_IN_PATH, SIGNED_OUT_PATH } from '../../apps/console/src/auth/paths';
import { OidcProviderProcess } from '../support/oidc-provider-process';
import { chromiumMissing, ConsoleUnderTest, PATIENCE, seriousViolations } from './console-harness';

if (chromiumMissing) process.stderr.write(`\n${chromiumMissing}\n\n`);
const describeInChromium = chromiumMissing ? describe.skip : describe;

const CLIENT_ID = 'helpline-console';
const AUDIENCE = 'helpline-api';
const API_RESOURCE = 'https://helpline.example/api';

/** A port nobody listens on now: the provider must know the console's address before the API starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The console signing in through a real OpenID provider (oidc-provider, certified) started by the test: the
 * authorization-code flow with PKCE in Chromium, through the provider's own sign-in and consent pages, back to the
 * console; the API taking the provider's access token; no token kept anywhere but in the page's memory; signing out
 * through the provider's end-session page, after which the page holds no token and the provider asks again.
 */
describeInChromium('the console signing in with an OpenID provider', () => {
  let provider: OidcProviderProcess;
  let under: ConsoleUnderTest;
  let consoleOrigin: string;

  beforeAll(async () => {
    const port = await freePort();
    consoleOrigin = `http://127.0.0.1:${port}`;
    provider = await OidcProviderProcess.start({
      clientId: CLIENT_ID,
      redirectUri: consoleOrigin + SIGNED_IN_PATH,
      postLogoutRedirectUri: consoleOrigin + SIGNED_OUT_PATH,
      accounts: {
        'giulia.operatrice': { roles: ['operator'], lines: ['sostienimi'] },
        'ugo.sconosciuto': { roles: ['superuser'], lines: ['sostienimi'] },
      },
      resources: { [API_RESOURCE]: { audience: AUDIENCE, ttlSeconds: 600 } },
    });
    const discovery = await provider.discovery();
    under = await ConsoleUnderTest.start({
      port,
      settings: {
        developmentMode: false,
        auth: {
          kind: 'jwks',
          jwksUrl: String(discovery.jwks_uri),
          issuer: provider.issuer,
          audience: AUDIENCE,
          claims: { roles: 'roles', lines: 'lines', service: 'service_id', unit: 'unit_id' },
        },
        consoleOidc: { authority: provider.issuer, clientId: CLIENT_ID, scope: 'openid api', resource: API_RESOURCE },
      },
    });
  }, 5 * PATIENCE);
  afterAll(async () => {
    await under?.stop();
    await provider?.stop();
  });

  /** Every value the page keeps in localStorage and sessionStorage. */
  const storedValues = (page: Page) =>
    page.evaluate<{ local: string[]; session: string[] }>(`({
      local: Object.keys(localStorage).map((key) => key + '=' + localStorage.getItem(key)),
      session: Object.keys(sessionStorage).map((key) => key + '=' + sessionStorage.getItem(key)),
    })`);

  /** The provider's development sign-in and consent pages: any password. */
  const signInAtProvider = async (page: Page, account: string) => {
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('qualsiasi');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  };

  it(
    'signs an operator in with the code flow and PKCE, keeps the tokens in memory only, and signs out at the provider',
    async () => {
      const page = await under.page();
      const bearers: string[] = [];
      page.on('request', (request) => {
        const authorization = request.headers().authorization;
        if (authorization && request.url().startsWith(consoleOrigin)) bearers.push(authorization);
      });

      // A page of the console opened without a session: the sign-in page, with no development sign-in on it.
      await page.goto(`${consoleOrigin}/console/queue`);
      await page.getByRole('heading', { name: 'Accesso', exact: true }).waitFor();
      await page.getByText('Entra con le credenziali del Comune').waitFor();
      expect(await page.getByText('Accesso di sviluppo').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);

      const authorizationRequested = page.waitForRequest((request) =>
        request.url().startsWith(`${provider.issuer}/auth?`),
      );
      await page.getByRole('button', { name: 'Entra con il fornitore di identità' }).click();
      const authorizationRequest = await authorizationRequested;
      const asked = new URL(authorizationRequest.url()).searchParams;
      expect({
        response_type: asked.get('response_type'),
        client_id: asked.get('client_id'),
        redirect_uri: asked.get('redirect_uri'),
        code_challenge_method: asked.get('code_challenge_method'),
        resource: asked.get('resource'),
      }).toEqual({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: consoleOrigin + SIGNED_IN_PATH,
        code_challenge_method: 'S256',
        resource: API_RESOURCE,
      });
      expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // Back where the sign-in started, the queue loaded with the provider's token.
      const queueLoaded = page.waitForResponse(
        (response) => response.url().startsWith(`${consoleOrigin}/queues/`) && response.status() === 200,
      );
      await signInAtProvider(page, 'giulia.operatrice');
      await page.getByRole('heading', { name: 'Coda dei casi' }).waitFor();
      await queueLoaded;
      expect(new URL(page.url()).pathname).toBe('/console/queue');
      await page.getByText('Accesso come giulia.operatrice').waitFor();
      const token = bearers.at(-1)!.replace(/^Bearer /, '');
      expect(decodeJwt(token)).toMatchObject({
        iss: provider.issuer,
        aud: AUDIENCE,
        client_id: CLIENT_ID,
        sub: 'giulia.operatrice',
      });

      // No token, nor anything else, in localStorage; nothing of the session in sessionStorage either (the sign-in
      // state waited there during the redirect and is gone).
      const stored = await storedValues(page);
      expect(stored.local).toEqual([]);
      expect(
        stored.session.filter((value) => value.includes(token) || value.includes('helpline-console-oidc')),
      ).toEqual([]);

      // Signing out: the provider's end-session page, then back to the console's sign-in page.
      await page.getByRole('button', { name: 'Esci' }).click();
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page.getByText('Sei uscito.').waitFor();
      await page.getByRole('heading', { name: 'Accesso', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/console/');

      // The page holds no token any more: a page of the console opens on the sign-in, no request carries one, and
      // the API refuses what the page asks for.
      const bearersBeforeSignOut = bearers.length;
      await page.goto(`${consoleOrigin}/console/queue`);
      await page.getByRole('heading', { name: 'Accesso', exact: true }).waitFor();
      expect(await page.getByRole('heading', { name: 'Coda dei casi' }).count()).toBe(0);
      expect(await page.evaluate<number>(`fetch('/me').then((response) => response.status)`)).toBe(401);
      expect(bearers.length).toBe(bearersBeforeSignOut);
      const after = await storedValues(page);
      expect([...after.local, ...after.session].filter((value) => value.includes(token))).toEqual([]);

      // The provider's session ended too: signing in again asks who one is.
      await page.getByRole('button', { name: 'Entra con il fornitore di identità' }).click();
      await page.locator('input[name="login"]').waitFor();
      await page.context().close();
    },
    5 * PATIENCE,
  );

  it('sends a person whose token the API refuses back to the sign-in page, saying why', async () => {
    const page = await under.page();
    await page.goto(`${consoleOrigin}/console/`);
    await page.getByRole('button', { name: 'Entra con il fornitore di identità' }).click();
    await signInAtProvider(page, 'ugo.sconosciuto');
    await page.getByText('L’accesso non è riuscito. Riprova.').waitFor();
    await page.getByRole('heading', { name: 'Accesso', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Esci' }).count()).toBe(0);
    expect((await storedValues(page)).local).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
