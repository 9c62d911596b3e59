/** Shows a staff page only to the roles that may open it; others are sent to log in or told why not. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import type { Role } from '../../../server/modules/auth/roles';
import { useSession } from '../app/session';

export function RoleGate({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <p className="page muted">{t('guard.checking')}</p>;
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (!roles.includes(user.role)) {
    return (
      <div className="page page--narrow">
        <p role="alert">{t('guard.forbidden', { role: t(`roles.${user.role}`) })}</p>
        <p>
          <Link to="/">{t('nav.map')}</Link>
        </p>
      </div>
    );
  }
  return children;
}
