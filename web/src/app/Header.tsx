import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import type { ParseKeys } from 'i18next';
import { currentLanguage, LANGUAGES, setLanguage, type Language } from '../i18n';
import { loadPublicMapPage } from './public-map-loader';
import { useSession } from './session';
import type { Role } from '../../../server/modules/auth/roles';

interface NavItem {
  to: string;
  label: ParseKeys;
  /** Who sees the link; undefined for everyone. */
  roles?: readonly Role[];
}

/** The header's links. Later pages add themselves here (with the roles that may open them). */
const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'nav.map' },
  { to: '/areas', label: 'nav.areas', roles: ['planner', 'admin'] },
  { to: '/plan', label: 'nav.plan', roles: ['planner', 'admin'] },
  { to: '/coverage', label: 'nav.coverage', roles: ['planner', 'analyst', 'admin'] },
  { to: '/facilities', label: 'nav.facilities', roles: ['planner', 'admin'] },
  { to: '/incidents', label: 'nav.incidents', roles: ['analyst', 'admin'] },
  { to: '/report', label: 'nav.report', roles: ['grid_worker', 'admin'] },
  { to: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { to: '/admin/audit', label: 'nav.audit', roles: ['admin'] },
];

const LANGUAGE_LABEL: Record<Language, ParseKeys> = { 'zh-CN': 'lang.zh', en: 'lang.en' };

export function Header() {
  const { t } = useTranslation();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);
  // On a phone the links fold into a menu under a button; any navigation closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMenuOpen(false), [location.pathname]);
  const language = currentLanguage();
  const visibleItems = NAV_ITEMS.filter((item) => !item.roles || (user && item.roles.includes(user.role)));

  return (
    <header className="app-header">
      <Link to="/" className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true" />
        <span className="app-header__name">{t('app.name')}</span>
        <span className="app-header__latin">{t('app.nameLatin')}</span>
      </Link>
      {visibleItems.length > 1 && (
        <button
          type="button"
          className="app-header__menu-button"
          aria-expanded={menuOpen}
          aria-controls="app-navigation"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t('header.menu')}
        </button>
      )}
      <nav id="app-navigation" className={`app-header__nav${menuOpen ? ' is-open' : ''}`} aria-label={t('header.navigation')}>
        <ul>
          {visibleItems.map((item) => (
            <li key={item.to}>
              {/* A link closes the menu, also when it names the page already shown (a role's own page). */}
              <NavLink to={item.to} end onClick={() => setMenuOpen(false)}>
                {t(item.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="app-header__tools">
        <div className="language-switch" role="group" aria-label={t('header.languageGroup')}>
          {LANGUAGES.map((code) => (
            <button
              key={code}
              type="button"
              lang={code}
              aria-pressed={language === code}
              className={language === code ? 'is-active' : undefined}
              onClick={() => setLanguage(code)}
            >
              {t(LANGUAGE_LABEL[code])}
            </button>
          ))}
        </div>
        {user ? (
          <div className="app-header__user">
            <Link to="/account" className="app-header__user-name" title={t('nav.account')}>
              {t('header.user', { name: user.displayName, role: t(`roles.${user.role}`) })}
            </Link>
            <button
              type="button"
              className="link-button"
              disabled={loggingOut}
              onClick={async () => {
                setLoggingOut(true);
                try {
                  // Leave the staff page first: once the session is gone its guard would send
                  // the user to the login page instead. The public map's code is fetched before
                  // leaving, so that the staff page is not still shown while it arrives.
                  await loadPublicMapPage().catch(() => undefined);
                  navigate('/');
                  await new Promise((resolve) => setTimeout(resolve, 50));
                  await logout();
                } finally {
                  setLoggingOut(false);
                }
              }}
            >
              {loggingOut ? t('header.loggingOut') : t('header.logout')}
            </button>
          </div>
        ) : user === null ? (
          <Link to="/login" className="app-header__login">
            {t('header.login')}
          </Link>
        ) : null}
      </div>
    </header>
  );
}
