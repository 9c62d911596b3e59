/**
 * Route guards. `SetupGuard` wraps every route: a session that must first change its password or
 * enrol a second factor is sent to /account from any staff page (the server answers 403 to such a
 * session anyway; this says why instead). `RequireRole` wraps a staff page: logged-out visitors go
 * to /login and come back after, other roles see why the page is closed to them.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import type { Role } from '../../../server/modules/auth/roles';
import type { SessionUser } from '../api/endpoints';
import { useSession } from './session';

/**
 * Pages a session with set-up steps left may still open: the public map, login, the account page,
 * and /setup (where the first admin enrols a second factor right after creating the account).
 */
const OPEN_DURING_SETUP: readonly string[] = ['/', '/login', '/account', '/setup'];

/** Where /account was reached from, and why: in the router state of the redirect. */
export interface AccountRedirectState {
  from?: string;
  setupRequired?: boolean;
}

export function needsSetup(user: SessionUser | null | undefined): boolean {
  return Boolean(user && (user.mustChangePassword || user.mustEnrolTotp));
}

export function SetupGuard({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (needsSetup(user) && !OPEN_DURING_SETUP.includes(location.pathname)) {
    const state: AccountRedirectState = { from: location.pathname + location.search, setupRequired: true };
    return <Navigate to="/account" replace state={state} />;
  }
  return children;
}

/** A staff page: `roles` may open it (undefined: anyone logged in). */
export function RequireRole({ roles, children }: { roles?: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) {
    return (
      <p className="page muted" role="status">
        {t('guard.checking')}
      </p>
    );
  }
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.includes(user.role)) {
    return (
      <div className="page page--narrow">
        <h1>{t('guard.forbiddenTitle')}</h1>
        <p>{t('guard.forbidden', { role: t(`roles.${user.role}`) })}</p>
        <p>
          <Link to="/">{t('guard.backToMap')}</Link>
        </p>
      </div>
    );
  }
  return children;
}
