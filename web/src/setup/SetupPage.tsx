/**
 * `/setup`: the first administrator of a fresh install, through the one-time link `npm start`
 * prints (`/setup#token=…`). The token sits in the address's fragment, which the browser never
 * sends; the page takes it out of the address bar at once and posts it in request bodies only.
 * Outside demo mode the new admin enrols a second factor right here, with the account page's own
 * enrolment section, before going on. Once an admin exists the API answers 404 and the page says
 * the link is void.
 */
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { fetchSessionUser } from '../api/endpoints';
import { Check } from '../account/PasswordSection';
import { passwordChecks, passwordProblemOf, withoutFieldPath } from '../account/password-checks';
import { TwoFactorSection } from '../account/TwoFactorSection';
import { ErrorMessage } from '../app/ErrorMessage';
import { useSession } from '../app/session';
import { describeError } from '../i18n/describe-error';
import { checkSetupToken, createFirstAdmin } from './api';
import '../account/account.css';
import './setup.css';

type LinkState = { kind: 'checking' } | { kind: 'ready' } | { kind: 'done' } | { kind: 'refused'; message: string };

/** Why the server refused a token, in the reader's language (its `details.token`), else its own words. */
function refusalText(failure: unknown, t: TFunction): string {
  if (failure instanceof ApiError && failure.status > 0 && failure.status < 500) {
    const reason = (failure.details as { token?: string } | undefined)?.token;
    if (reason === 'unknown') return t('setup.void.unknown');
    if (reason === 'used') return t('setup.void.used');
    if (reason === 'expired') return t('setup.void.expired');
    return t('setup.void.refused', { message: failure.message });
  }
  return describeError(failure, t);
}

/** The token of the link, read once from the fragment (then removed from the address bar). */
function takeTokenFromAddress(): string {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return match ? decodeURIComponent(match[1]!) : '';
}

/**
 * The token the page was opened with, taken from the address once per page load: a first render
 * React throws away (while a lazily loaded part arrives) must not take it for itself.
 */
let tokenOfLoad: string | undefined;
function initialToken(): string {
  if (tokenOfLoad === undefined) tokenOfLoad = takeTokenFromAddress();
  return tokenOfLoad;
}

export function SetupPage() {
  const { t } = useTranslation();
  const { user, setUser } = useSession();
  const [token, setToken] = useState(initialToken);
  const [link, setLink] = useState<LinkState>({ kind: 'checking' });
  /** Set once this page created the admin: the rest of the steps follow the session. */
  const [created, setCreated] = useState(false);

  // A link pasted into the address bar of this same tab only changes the fragment.
  useEffect(() => {
    const onHashChange = () => {
      const next = takeTokenFromAddress();
      if (next) setToken(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    let live = true;
    setLink({ kind: 'checking' });
    // Without a token, still ask: the server says whether set-up is over (404) or not.
    checkSetupToken(token || '-').then(
      () => live && setLink(token ? { kind: 'ready' } : { kind: 'refused', message: t('setup.noToken') }),
      (failure) => {
        if (!live) return;
        if (failure instanceof ApiError && failure.status === 404) setLink({ kind: 'done' });
        else if (!token && failure instanceof ApiError && failure.status === 403) setLink({ kind: 'refused', message: t('setup.noToken') });
        else setLink({ kind: 'refused', message: refusalText(failure, t) });
      },
    );
    return () => {
      live = false;
    };
  }, [token, t]);

  const refresh = useCallback(async () => {
    setUser((await fetchSessionUser()).user);
  }, [setUser]);

  const step = !created ? 'account' : user?.mustEnrolTotp ? 'totp' : 'done';

  return (
    <div className="page page--narrow setup-page account-page">
      <h1>{t('setup.title')}</h1>
      {created || link.kind === 'ready' ? (
        <>
          <p className="muted">{t('setup.intro')}</p>
          <Steps current={step} />
          {step === 'account' && <AdminForm token={token} onCreated={(u) => { setUser(u); setCreated(true); }} onVoid={(l) => setLink(l)} />}
          {step === 'totp' && user && (
            <>
              <p className="notice">{t('setup.totpIntro')}</p>
              <TwoFactorSection user={user} required onChanged={refresh} />
            </>
          )}
          {step === 'done' && user && (
            <section className="account-card" aria-labelledby="setup-done">
              <h2 id="setup-done">{t('setup.done.title')}</h2>
              <p>{t('setup.done.text', { username: user.username })}</p>
              <ul className="setup-next">
                <li><Link to="/areas">{t('setup.done.areas')}</Link></li>
                <li><Link to="/admin/users">{t('setup.done.users')}</Link></li>
              </ul>
            </section>
          )}
        </>
      ) : link.kind === 'checking' ? (
        <p className="muted" role="status">{t('setup.checking')}</p>
      ) : (
        <div className="notice notice--warning" role="alert">
          <h2>{t('setup.void.title')}</h2>
          <p>{link.kind === 'done' ? t('setup.void.done') : link.message}</p>
          <p><Link to="/login">{t('setup.void.login')}</Link></p>
        </div>
      )}
    </div>
  );
}

function Steps({ current }: { current: 'account' | 'totp' | 'done' }) {
  const { t } = useTranslation();
  const order = ['account', 'totp', 'done'] as const;
  const index = order.indexOf(current);
  return (
    <ol className="setup-steps" aria-label={t('setup.steps.label')}>
      {order.map((key, i) => (
        <li key={key} className={i < index ? 'setup-step setup-step--done' : i === index ? 'setup-step setup-step--current' : 'setup-step'} aria-current={i === index ? 'step' : undefined}>
          <span className="setup-step__number" aria-hidden="true">{i < index ? '✓' : i + 1}</span>
          {t(`setup.steps.${key}`)}
        </li>
      ))}
    </ol>
  );
}

function AdminForm({ token, onCreated, onVoid }: { token: string; onCreated(user: Awaited<ReturnType<typeof createFirstAdmin>>['user']): void; onVoid(link: LinkState): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [show, setShow] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checks = passwordChecks(password);
  // A refusal is about what was sent: it goes once the person edits the form.
  useEffect(() => setError(null), [username, displayName, password, again]);
  const mismatch = again !== '' && password !== again;
  const type = show ? 'text' : 'password';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== again) {
      setError(t('setup.form.mismatch'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const reply = await createFirstAdmin({ token, username: username.trim(), displayName: displayName.trim(), password });
      onCreated(reply.user);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) onVoid({ kind: 'done' });
      else if (failure instanceof ApiError && (failure.status === 403 || failure.status === 410)) onVoid({ kind: 'refused', message: refusalText(failure, t) });
      else if (failure instanceof ApiError && (failure.status === 400 || failure.status === 409)) {
        const problem = /body\/password/.test(failure.serverMessage) ? passwordProblemOf(failure.serverMessage) : null;
        setError(t('setup.form.failed', { message: problem ? t(`account.password.problems.${problem}`) : withoutFieldPath(failure.message) }));
      } else setError(describeError(failure, t));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section className="account-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('setup.steps.account')}</h2>
      <form className="account-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-username`} className="field-label">{t('setup.form.username')}</label>
          <input id={`${id}-username`} autoComplete="username" maxLength={64} aria-describedby={`${id}-username-hint`} value={username} onChange={(e) => setUsername(e.target.value)} />
          <p className="note" id={`${id}-username-hint`}>{t('setup.form.usernameHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`} className="field-label">{t('setup.form.displayName')}</label>
          <input id={`${id}-name`} autoComplete="name" maxLength={100} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`} className="field-label">{t('setup.form.password')}</label>
          <input id={`${id}-password`} type={type} autoComplete="new-password" maxLength={256} aria-describedby={`${id}-rule ${id}-checks`} value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <p id={`${id}-rule`} className="note">{t('account.password.rule')}</p>
        <ul className="password-checks" id={`${id}-checks`}>
          <Check met={password ? checks.longEnough : null}>{t('account.password.checkLength', { count: checks.length })}</Check>
          <Check met={password ? checks.enoughClasses : null}>{t('account.password.checkClasses', { count: checks.classes })}</Check>
          <Check met={null}>{t('account.password.checkCommon')}</Check>
        </ul>
        <div className="field">
          <label htmlFor={`${id}-again`} className="field-label">{t('setup.form.confirm')}</label>
          <input id={`${id}-again`} type={type} autoComplete="new-password" maxLength={256} aria-invalid={mismatch} value={again} onChange={(e) => setAgain(e.target.value)} />
          {mismatch && <p className="field-error">{t('setup.form.mismatch')}</p>}
        </div>
        <label className="form-checkbox">
          <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
          {t('account.password.show')}
        </label>
        <ErrorMessage message={error} />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={submitting || !username.trim() || !displayName.trim() || !password || !again}>
            {submitting ? t('setup.form.submitting') : t('setup.form.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
