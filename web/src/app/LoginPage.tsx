import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { fetchClientConfig, login } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { ApiError } from '../api/client';
import { describeError } from '../i18n/describe-error';
import { useSession } from './session';
import { ErrorMessage } from './ErrorMessage';
import { landingPage } from './home-page';

/** `/login`: staff log in here; POST /api/auth/login sets the session cookie. */
export function LoginPage() {
  const { t } = useTranslation();
  const { user, setUser } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const usernameId = useId();
  const passwordId = useId();
  const otpId = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  /** Shown once the server asks for the second factor of an enrolled account. */
  const [otpRequired, setOtpRequired] = useState(false);
  const [otp, setOtp] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const config = useApi((signal) => fetchClientConfig(signal), []);
  /** Where to go after logging in: the page that sent the user here, else the map. */
  const requested = (location.state as { from?: string } | null)?.from;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const reply = await login(username, password, otpRequired ? otp : undefined);
      setUser(reply.user);
      // An account that must first change its password or enrol a second factor goes to /account,
      // which says why; it goes on to `from` once that is done.
      const from = landingPage(reply.user.role, requested);
      if (reply.user.mustChangePassword || reply.user.mustEnrolTotp) navigate('/account', { replace: true, state: { from, setupRequired: true } });
      else navigate(from, { replace: true });
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 401 || failure.status === 423)) {
        const details = failure.details as { otpRequired?: boolean } | undefined;
        if (details?.otpRequired) setOtpRequired(true);
        setError(t('login.failed', { message: failure.message }));
      } else {
        setError(describeError(failure, t));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="page page--narrow login-page">
      <h1>{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      {user && (
        <div className="notice" role="status">
          <p>{t('login.loggedIn', { name: user.displayName })}</p>
          {user.mustChangePassword && <p>{t('login.mustChangePassword')}</p>}
          {user.mustEnrolTotp && <p>{t('login.mustEnrolTotp')}</p>}
        </div>
      )}
      <form className="login-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={usernameId} className="field-label">
            {t('login.username')}
          </label>
          <input id={usernameId} name="username" autoComplete="username" required maxLength={64} value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={passwordId} className="field-label">
            {t('login.password')}
          </label>
          <input
            id={passwordId}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={256}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {otpRequired && (
          <div className="field">
            <label htmlFor={otpId} className="field-label">
              {t('login.otp')}
            </label>
            <input
              id={otpId}
              name="otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]*"
              maxLength={10}
              value={otp}
              onChange={(e) => setOtp(e.target.value.trim())}
            />
          </div>
        )}
        <ErrorMessage message={error} />
        <button type="submit" className="button button--primary" disabled={submitting || !username || !password || (otpRequired && !otp)}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      {config.data?.demoMode && <p className="note">{t('login.demoNote')}</p>}
      <p>
        <Link to="/">{t('login.backToMap')}</Link>
      </p>
    </div>
  );
}
