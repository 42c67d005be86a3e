import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface ProviderSettings {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Where the provider may send the browser after signing out (end_session_endpoint's post_logout_redirect_uri). */
  readonly postLogoutRedirectUri?: string;
  /** Each account's id (what is typed at the provider's sign-in) and the claims its access tokens carry. */
  readonly accounts: Record<string, Record<string, unknown>>;
  /** Resource indicators (RFC 8707) the provider issues JWT access tokens for: their audience and lifetime. */
  readonly resources: Record<string, { audience: string; ttlSeconds: number }>;
}

export interface Tokens {
  readonly access_token: string;
  readonly id_token: string;
  readonly token_type: string;
  readonly expires_in: number;
}

/**
 * oidc-provider (a certified OpenID provider) in a child process: it ships as ES modules only, which jest's CommonJS
 * sandbox does not load without more machinery than a test deserves (test/support/oidc-provider/provider.mjs).
 */
export class OidcProviderProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    private readonly settings: ProviderSettings,
  ) {}

  static async start(settings: ProviderSettings): Promise<OidcProviderProcess> {
    const child = spawn(
      process.execPath,
      [join(__dirname, 'oidc-provider', 'provider.mjs'), JSON.stringify(settings)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const issuer = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /READY (\S+)/.exec(out);
        if (ready) resolve(ready[1]!);
      });
      child.once('exit', (code) => reject(new Error(`the OpenID provider stopped (${code}): ${errors}`)));
    });
    return new OidcProviderProcess(child, issuer, settings);
  }

  async discovery(): Promise<Record<string, unknown>> {
    return (await (await fetch(`${this.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  }

  /**
   * The authorization-code flow with PKCE, as a browser goes through it: the authorization request, the provider's
   * sign-in and consent pages (its development interactions: any password), the redirect back with the code, and
   * the code exchanged (with its verifier) for tokens for `resource` (without one: an opaque access token, for the
   * provider's own userinfo).
   */
  async signIn(account: string, resource?: string): Promise<Tokens> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(8).toString('hex');
    const cookies = new Map<string, string>();
    const send = async (url: string, form?: Record<string, string>) => {
      const response = await fetch(new URL(url, this.issuer), {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      return response;
    };

    const authorization = new URL(`${this.issuer}/auth`);
    authorization.search = new URLSearchParams({
      client_id: this.settings.clientId,
      response_type: 'code',
      redirect_uri: this.settings.redirectUri,
      scope: resource ? 'openid api' : 'openid',
      ...(resource ? { resource } : {}),
      state,
      nonce: randomBytes(8).toString('hex'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    let response = await send(authorization.toString());
    for (let step = 0; step < 10; step++) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`the provider answered ${response.status}: ${await response.text()}`);
      if (location.startsWith(this.settings.redirectUri)) {
        const back = new URL(location);
        if (back.searchParams.get('state') !== state) throw new Error('the state came back changed');
        const code = back.searchParams.get('code');
        if (!code) throw new Error(`no code: ${location}`);
        return this.exchange(code, verifier, resource);
      }
      if (/\/interaction\//.test(location)) {
        const page = await (await send(location)).text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        if (prompt === 'login') response = await send(location, { prompt, login: account, password: 'any' });
        else if (prompt === 'consent') response = await send(location, { prompt });
        else throw new Error(`an interaction this driver does not know: ${page.slice(0, 200)}`);
      } else response = await send(location);
    }
    throw new Error('the sign-in did not come back to the client');
  }

  private async exchange(code: string, verifier: string, resource: string | undefined): Promise<Tokens> {
    const response = await fetch(`${this.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.settings.redirectUri,
        client_id: this.settings.clientId,
        code_verifier: verifier,
        ...(resource ? { resource } : {}),
      }).toString(),
    });
    if (!response.ok) throw new Error(`the token request answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Tokens;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
