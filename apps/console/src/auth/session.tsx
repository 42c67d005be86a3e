import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { answer, api, setBearer } from '../api/client';
import type { Me } from '../api/responses';

/**
 * Who is signed in. The token lives in memory; a development sign-in also keeps it in this tab's sessionStorage so
 * that a reload does not sign the developer out (an OpenID session never does: see auth/oidc.ts).
 */
interface Session {
  token: string | undefined;
  me: Me | undefined;
  label: string | undefined;
  signIn: (token: string, label: string, options?: { keepInTab?: boolean }) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | undefined>(undefined);
const TAB_KEY = 'helpline-console-development-session';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | undefined>();
  const [me, setMe] = useState<Me | undefined>();
  const [label, setLabel] = useState<string | undefined>();
  const [restoring, setRestoring] = useState(true);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(TAB_KEY);
    setBearer(undefined, () => undefined);
    setToken(undefined);
    setMe(undefined);
    setLabel(undefined);
  }, []);

  const signIn = useCallback(
    async (newToken: string, newLabel: string, options: { keepInTab?: boolean } = {}) => {
      setBearer(newToken, signOut);
      const who = await answer<Me>(api.GET('/me'));
      if (options.keepInTab) sessionStorage.setItem(TAB_KEY, JSON.stringify({ token: newToken, label: newLabel }));
      setToken(newToken);
      setLabel(newLabel);
      setMe(who);
    },
    [signOut],
  );

  useEffect(() => {
    const kept = sessionStorage.getItem(TAB_KEY);
    if (!kept) {
      setRestoring(false);
      return;
    }
    const { token: keptToken, label: keptLabel } = JSON.parse(kept) as { token: string; label: string };
    signIn(keptToken, keptLabel, { keepInTab: true })
      .catch(() => signOut())
      .finally(() => setRestoring(false));
  }, [signIn, signOut]);

  const session = useMemo(() => ({ token, me, label, signIn, signOut }), [token, me, label, signIn, signOut]);
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
