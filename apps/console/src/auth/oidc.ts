import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { User } from 'oidc-client-ts';
import { SIGNED_IN_PATH, SIGNED_OUT_PATH } from './paths';

/** The console's client of the API's OpenID provider, as GET /auth/console-config names it. */
export interface OidcClientConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly scope: string;
  readonly resource?: string;
}

let manager: UserManager | undefined;

/**
 * The authorization-code flow with PKCE (S256, oidc-client-ts's default for the code flow). The tokens are kept in
 * this page's memory only (InMemoryWebStorage): a reload or a closed tab forgets them. The sign-in state (PKCE
 * verifier, nonce) must outlive the redirect to the provider, so it waits in this tab's sessionStorage and is
 * removed when the provider sends the browser back. No silent renew: an expired session signs in again.
 */
export function userManagerFor(config: OidcClientConfig): UserManager {
  const origin = window.location.origin;
  manager ??= new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    response_type: 'code',
    redirect_uri: origin + SIGNED_IN_PATH,
    post_logout_redirect_uri: origin + SIGNED_OUT_PATH,
    // A provider that issues the API's tokens per resource (RFC 8707) wants it on both requests.
    ...(config.resource ? { resource: config.resource, extraTokenParams: { resource: config.resource } } : {}),
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'helpline-console-oidc.' }),
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
  });
  return manager;
}

let callback: Promise<User> | undefined;

/** Completes the sign-in the provider sent the browser back from, once even if asked twice (React's StrictMode). */
export function completeSignIn(userManager: UserManager): Promise<User> {
  callback ??= userManager.signinRedirectCallback();
  return callback;
}

/** Where to go once signed in: the console page the sign-in started from (only ever a path of the console). */
export function returnPathOf(user: User): string {
  const state = user.state as { returnTo?: unknown } | undefined;
  const returnTo = typeof state?.returnTo === 'string' ? state.returnTo : '';
  return returnTo.startsWith('/console/') && !returnTo.startsWith(SIGNED_IN_PATH) ? returnTo : '/console/';
}

/** The name the header shows: the provider's username or name, else the subject. */
export function labelOf(user: User): string {
  const profile = user.profile;
  return String(profile.preferred_username ?? profile.name ?? profile.sub);
}
