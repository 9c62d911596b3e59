/**
 * `/account`: your own account: who you are, your password and your two-step verification.
 * A session that must first change its password or enrol a second factor is sent here by the
 * set-up guard (web/src/app/guards.tsx), and the page says which steps are left and why.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { fetchSessionUser, type SessionUser } from '../api/endpoints';
import { useAreaDirectory, useAreaNames } from '../admin/area-directory';
import { needsSetup, RequireRole, type AccountRedirectState } from '../app/guards';
import { useSession } from '../app/session';
import { PasswordSection } from './PasswordSection';
import { TwoFactorSection } from './TwoFactorSection';
import { AccessTokensSection } from './AccessTokensSection';
import './account.css';

export function AccountPage() {
  return (
    <RequireRole>
      <AccountContent />
    </RequireRole>
  );
}

function AccountContent() {
  const { t } = useTranslation();
  const { user, setUser } = useSession();
  const location = useLocation();
  const redirect = (location.state as AccountRedirectState | null) ?? {};
  const refresh = useCallback(async () => {
    const reply = await fetchSessionUser();
    setUser(reply.user);
  }, [setUser]);

  /** The set-up steps this visit began with, so that a finished one shows as done. */
  const [stepsAsked] = useState(() => ({ password: user?.mustChangePassword ?? false, totp: user?.mustEnrolTotp ?? false }));

  if (!user) return null;
  const setupLeft = needsSetup(user);
  /** Reached through the guard: the page the user wanted, to go on to once set up. */
  const wanted = redirect.setupRequired && redirect.from && redirect.from !== '/account' && redirect.from !== '/' ? redirect.from : null;

  return (
    <div className="page account-page">
      <h1>{t('account.title')}</h1>
      {setupLeft ? (
        <SetupNotice user={user} asked={stepsAsked} wanted={wanted} />
      ) : (
        (redirect.setupRequired || stepsAsked.password || stepsAsked.totp) && (
          <div className="notice" role="status">
            <p>{t('account.setup.allDone')}</p>
            {wanted && (
              <p>
                <Link to={wanted}>{t('account.setup.continue', { path: wanted })}</Link>
              </p>
            )}
          </div>
        )
      )}
      <AccountSummary user={user} />
      <PasswordSection required={user.mustChangePassword} onChanged={refresh} />
      <TwoFactorSection user={user} required={user.mustEnrolTotp} onChanged={refresh} />
      {!setupLeft && <AccessTokensSection username={user.username} />}
    </div>
  );
}

function SetupNotice({ user, asked, wanted }: { user: SessionUser; asked: { password: boolean; totp: boolean }; wanted: string | null }) {
  const { t } = useTranslation();
  const steps = [
    ...(asked.password || user.mustChangePassword ? [{ key: 'password', text: t('account.setup.changePassword'), left: user.mustChangePassword }] : []),
    ...(asked.totp || user.mustEnrolTotp ? [{ key: 'totp', text: t('account.setup.enrolTotp'), left: user.mustEnrolTotp }] : []),
  ];
  return (
    <section className="setup-notice" role="alert" aria-labelledby="setup-notice-title">
      <h2 id="setup-notice-title">{t('account.setup.title')}</h2>
      <p>{t('account.setup.intro')}</p>
      {wanted && <p>{t('account.setup.redirected', { path: wanted })}</p>}
      <ol>
        {steps.map((step) => (
          <li key={step.key} className={step.left ? 'setup-step' : 'setup-step setup-step--done'}>
            <span className="setup-step__state">{step.left ? t('account.setup.todo') : t('account.setup.done')}</span> {step.text}
          </li>
        ))}
      </ol>
    </section>
  );
}

function AccountSummary({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const areaName = useAreaNames(useAreaDirectory(), user.scopeAreaCode ? [user.scopeAreaCode] : []);
  return (
    <section className="account-card" aria-labelledby="account-summary-title">
      <h2 id="account-summary-title">{t('account.summary.title')}</h2>
      <dl className="account-summary">
        <dt>{t('account.summary.displayName')}</dt>
        <dd>{user.displayName}</dd>
        <dt>{t('account.summary.username')}</dt>
        <dd translate="no">{user.username}</dd>
        <dt>{t('account.summary.role')}</dt>
        <dd>{t(`roles.${user.role}`)}</dd>
        <dt>{t('account.summary.scope')}</dt>
        <dd>{user.scopeAreaCode ? areaName(user.scopeAreaCode) : t('account.summary.wholeDistrict')}</dd>
      </dl>
    </section>
  );
}
