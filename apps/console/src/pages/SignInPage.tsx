import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Container } from 'design-react-kit';
import { answer, api } from '../api/client';
import type { DemoIdentity } from '../api/responses';
import { useSession } from '../auth/session';
import { ProblemMessage } from '../components/fields';

/**
 * In the embedded development mode the API lists its demo identities (GET /development/identities) and mints a
 * token for the one picked; with an OpenID provider those routes do not exist and this page says so.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [error, setError] = useState<unknown>();
  const identities = useQuery({
    queryKey: ['development-identities'],
    queryFn: () => answer(api.GET('/development/identities')) as Promise<DemoIdentity[]>,
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
    <Container className="my-5">
      <main id="content">
        <p className="text-uppercase fw-semibold">{t('app.comune')}</p>
        <h1>{identities.isError ? t('signIn.oidcTitle') : t('signIn.title')}</h1>
        {identities.isError && <Alert color="info">{t('signIn.oidcMissing')}</Alert>}
        {identities.data && (
          <>
            <Alert color="warning">{t('signIn.devNotice')}</Alert>
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
            <ProblemMessage error={error} />
          </>
        )}
      </main>
    </Container>
  );
}
