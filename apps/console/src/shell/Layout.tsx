import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { Button, Container, Header, HeaderBrand, HeaderContent, HeaderRightZone } from 'design-react-kit';
import { useMe, useSession } from '../auth/session';
import { FocusOnNavigation } from '../components/focus';
import { LANGUAGES } from '../i18n';
import { PAGE_NAMES, pagesOf } from './navigation';

/** The frame of every page: the Comune and the user's lines, the role's pages, the language, signing out. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { label, signOut } = useSession();
  const where =
    me.lines.length > 0
      ? t('app.lines', { lines: me.lines.map((line) => t(`vocab.line.${line}`, { defaultValue: line })).join(', ') })
      : me.serviceId
        ? t('app.service', { service: me.serviceId })
        : t(`roles.${me.role}`);
  return (
    <>
      <a className="visually-hidden-focusable" href="#content">
        {t('app.skipToContent')}
      </a>
      <Header type="slim" theme="">
        <HeaderContent>
          <HeaderBrand>{t('app.comune')}</HeaderBrand>
          <HeaderRightZone>
            <label htmlFor="language" className="visually-hidden">
              {t('app.language')}
            </label>
            <select
              id="language"
              className="form-select form-select-sm w-auto me-3"
              value={i18n.language}
              onChange={(event) => void i18n.changeLanguage(event.target.value)}
            >
              {LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {language === 'it' ? 'Italiano' : 'English'}
                </option>
              ))}
            </select>
            <Button color="primary" size="sm" onClick={signOut}>
              {t('app.signOut')}
            </Button>
          </HeaderRightZone>
        </HeaderContent>
      </Header>
      <div className="bg-primary text-white py-3">
        <Container>
          <p className="h4 mb-1 text-white">{t('app.title')}</p>
          <p className="mb-0">
            {t('app.signedInAs', { label: label ?? me.id })} · {t(`roles.${me.role}`)} · {where}
          </p>
        </Container>
      </div>
      <Container>
        <nav aria-label={t('app.mainNavigation')} className="nav-console border-bottom mb-4">
          {pagesOf(me.role).map((page) => (
            <NavLink key={page} to={`/${page}`} end>
              {t(PAGE_NAMES[page] ?? page)}
            </NavLink>
          ))}
        </nav>
        <main id="content" tabIndex={-1} className="pb-5">
          <Outlet />
        </main>
        <FocusOnNavigation targetId="content" />
      </Container>
    </>
  );
}
