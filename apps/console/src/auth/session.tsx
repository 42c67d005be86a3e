import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { answer, api, ApiProblem, setBearer } from '../api/client';
import type { Me } from '../api/responses';
import type { components } from '../api/schema';
import { completeSignIn, labelOf, OidcClientConfig, returnPathOf, userManagerFor } from './oidc';
import { SIGNED_IN_PATH, SIGNED_OUT_PATH } from './paths';

/** How this console signs people in, as the API says (GET /auth/console-config). */
export type SignInMode = components['schemas']['ConsoleSignIn']['mode'];

/** Why the sign-in page is showing, when it is not the first visit. */
export type SignInNotice = 'signedOut' | 'expired' | 'signInFailed' | 'configFailed';

/**
 * Who is signed in. The token lives in memory. A development sign-in also keeps it in this tab's sessionStorage so
 * that a reload does not sign the developer out; an OpenID session never leaves memory (auth/oidc.ts).
 */
interface Session {
  mode: SignInMode;
  token: string | undefined;
  me: Me | undefined;
  label: string | undefined;
  notice: SignInNotice | undefined;
  /** What went wrong when the notice is signInFailed (the API's refusal of the provider's token, for one). */
  failure: unknown;
  /** Development mode: signs in with a token the API minted for a demo identity. */
  signIn: (token: string, label: string, options?: { keepInTab?: boolean }) => Promise<void>;
  /** OpenID mode: leaves for the provider's sign-in, to come back to this page. */
  signInWithProvider: () => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);
const TAB_KEY = 'helpline-console-development-session';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [mode, setMode] = useState<SignInMode>('none');
  const [oidc, setOidc] = useState<OidcClientConfig>();
  const [token, setToken] = useState<string | undefined>();
  const [me, setMe] = useState<Me | undefined>();
  const [label, setLabel] = useState<string | undefined>();
  const [notice, setNotice] = useState<SignInNotice | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [restoring, setRestoring] = useState(true);

  /** This page forgets the session: no token in memory, none in the tab, the sign-in page with why. */
  const forget = useCallback((why?: SignInNotice) => {
    sessionStorage.removeItem(TAB_KEY);
    setBearer(undefined, () => undefined);
    setToken(undefined);
    setMe(undefined);
    setLabel(undefined);
    setNotice(why);
  }, []);

  /** Takes a token on once the API says whose it is; a token it refuses (401) later ends the session. */
  const adopt = useCallback(async (newToken: string, newLabel: string, whenRefused: () => void) => {
    setBearer(newToken, whenRefused);
    let who: Me;
    try {
      who = await answer<Me>(api.GET('/me'));
    } catch (refused) {
      setBearer(undefined, () => undefined);
      throw refused;
    }
    setToken(newToken);
    setLabel(newLabel);
    setMe(who);
    setNotice(undefined);
    setFailure(undefined);
  }, []);

  const signIn = useCallback(
    async (newToken: string, newLabel: string, options: { keepInTab?: boolean } = {}) => {
      await adopt(newToken, newLabel, () => forget('expired'));
      if (options.keepInTab) sessionStorage.setItem(TAB_KEY, JSON.stringify({ token: newToken, label: newLabel }));
    },
    [adopt, forget],
  );

  useEffect(() => {
    const start = async () => {
      let config: components['schemas']['ConsoleSignIn'];
      try {
        config = await answer(api.GET('/auth/console-config'));
      } catch {
        setNotice('configFailed');
        return;
      }
      setMode(config.mode);
      if (config.mode === 'development') {
        const kept = sessionStorage.getItem(TAB_KEY);
        if (!kept) return;
        const { token: keptToken, label: keptLabel } = JSON.parse(kept) as { token: string; label: string };
        // Only the API's refusal (401, which forgets the session on its own) ends it: a request cut short by a reload
        // or a service that does not answer leaves the tab's session for the next load.
        await signIn(keptToken, keptLabel, { keepInTab: true }).catch((failed: unknown) => {
          if (failed instanceof ApiProblem && failed.status === 401) return;
          setNotice('signInFailed');
          setFailure(failed);
        });
        return;
      }
      if (config.mode !== 'oidc') return;
      const client: OidcClientConfig = {
        authority: config.authority!,
        clientId: config.clientId!,
        scope: config.scope!,
        ...(config.resource ? { resource: config.resource } : {}),
      };
      setOidc(client);
      const userManager = userManagerFor(client);
      const endSession = (why: SignInNotice) => {
        forget(why);
        void userManager.removeUser();
      };
      userManager.events.addAccessTokenExpired(() => endSession('expired'));
      const path = window.location.pathname;
      if (path === SIGNED_OUT_PATH) {
        window.history.replaceState(null, '', '/console/');
        setNotice('signedOut');
      } else if (path === SIGNED_IN_PATH) {
        try {
          const user = await completeSignIn(userManager);
          window.history.replaceState(null, '', returnPathOf(user));
          await adopt(user.access_token, labelOf(user), () => endSession('expired'));
        } catch (failed) {
          window.history.replaceState(null, '', '/console/');
          await userManager.removeUser();
          setNotice('signInFailed');
          setFailure(failed);
        }
      }
      await userManager.clearStaleState();
    };
    void start().finally(() => setRestoring(false));
  }, [adopt, forget, signIn]);

  const signInWithProvider = useCallback(async () => {
    if (!oidc) return;
    const { pathname, search } = window.location;
    await userManagerFor(oidc).signinRedirect({ state: { returnTo: pathname + search } });
  }, [oidc]);

  const signOut = useCallback(() => {
    forget('signedOut');
    if (!oidc) return;
    const userManager = userManagerFor(oidc);
    void (async () => {
      // The provider's own session ends too when it says where (end_session_endpoint); it then sends the browser
      // to /console/signed-out. Without one, this page has already forgotten the tokens: that is all there is.
      const endSessionEndpoint = await userManager.metadataService.getEndSessionEndpoint().catch(() => undefined);
      if (endSessionEndpoint) await userManager.signoutRedirect().catch(() => userManager.removeUser());
      else await userManager.removeUser();
    })();
  }, [forget, oidc]);

  const session = useMemo(
    () => ({ mode, token, me, label, notice, failure, signIn, signInWithProvider, signOut }),
    [mode, token, me, label, notice, failure, signIn, signInWithProvider, signOut],
  );
  if (restoring) return null;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The signed-in user; only for pages behind the sign-in. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
