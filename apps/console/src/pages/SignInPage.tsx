import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Container } from 'design-react-kit';
import { answer, api, ApiProblem } from '../api/client';
import type { DemoIdentity } from '../api/responses';
import { SignInNotice, useSession } from '../auth/session';
import { ProblemMessage } from '../components/fields';

/**
 * The way in that the API names (GET /auth/console-config): the City's OpenID provider; in the embedded development
 * mode, a pick of the demo identities that says it is for development; otherwise, that there is no way in here.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { mode, notice, failure } = useSession();
  return (
    <Container className="my-5">
      <main id="content">
        <p className="text-uppercase fw-semibold">{t('app.comune')}</p>
        <h1>{mode === 'development' ? t('signIn.title') : t('signIn.oidcTitle')}</h1>
        {notice && <NoticeMessage notice={notice} />}
        {notice === 'signInFailed' && failure instanceof ApiProblem && <ProblemMessage error={failure} />}
        {mode === 'development' && <DevelopmentSignIn />}
        {mode === 'oidc' && <ProviderSignIn />}
        {mode === 'none' && notice !== 'configFailed' && <Alert color="info">{t('signIn.oidcMissing')}</Alert>}
      </main>
    </Container>
  );
}

function NoticeMessage({ notice }: { notice: SignInNotice }) {
  const { t } = useTranslation();
  const danger = notice === 'signInFailed' || notice === 'configFailed';
  return (
    <Alert color={danger ? 'danger' : notice === 'expired' ? 'warning' : 'success'} role={danger ? 'alert' : 'status'}>
      {t(`signIn.notice.${notice}`)}
    </Alert>
  );
}

function ProviderSignIn() {
  const { t } = useTranslation();
  const { signInWithProvider } = useSession();
  const [leaving, setLeaving] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const go = async () => {
    setLeaving(true);
    setUnreachable(false);
    try {
      await signInWithProvider();
    } catch {
      setUnreachable(true);
      setLeaving(false);
    }
  };
  return (
    <>
      <p>{t('signIn.oidcIntro')}</p>
      {unreachable && (
        <Alert color="danger" role="alert">
          {t('signIn.providerUnreachable')}
        </Alert>
      )}
      <Button color="primary" onClick={() => void go()} disabled={leaving}>
        {leaving ? t('signIn.leaving') : t('signIn.oidcButton')}
      </Button>
    </>
  );
}

/**
 * In the embedded development mode the API lists its demo identities (GET /development/identities) and mints a
 * token for the one picked; those routes exist in no other mode.
 */
function DevelopmentSignIn() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [error, setError] = useState<unknown>();
  const identities = useQuery({
    queryKey: ['development-identities'],
    queryFn: () => answer(api.GET('/development/identities')),
  });
  const choose = async (identity: DemoIdentity) => {
    try {
      const { token } = await answer(api.POST('/development/sign-in', { body: { identity: identity.id } }));
      await signIn(token, `${t(`roles.${identity.role}`)} · ${identity.id}`, { keepInTab: true });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <Alert color="warning">{t('signIn.devNotice')}</Alert>
      <ProblemMessage error={identities.error} />
      {identities.data && (
        <>
          <h2 className="h4">{t('signIn.pick')}</h2>
          <ul className="list-unstyled">
            {identities.data.map((identity) => (
              <li key={identity.id} className="mb-2">
                <Button color="primary" outline onClick={() => void choose(identity)}>
                  {t('signIn.signInAs', { label: `${t(`roles.${identity.role}`)} · ${identity.id}` })}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ProblemMessage error={error} />
    </>
  );
}
