import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { changePassword } from '../api/security';
import { describeError } from '../i18n/describe-error';
import { passwordChecks, passwordProblemOf, withoutFieldPath } from './password-checks';

/**
 * Change your own password. The rule is explained and checked as you type (length and kinds of
 * characters); the server has the last word (it also refuses common passwords) and its 400 message
 * is shown as it is. `onChanged` refreshes the session (the server sent a fresh cookie).
 */
export function PasswordSection({ required, onChanged }: { required: boolean; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [show, setShow] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The server's own words for a refusal, shown under the translated reason. */
  const [serverMessage, setServerMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const checks = passwordChecks(next);
  const mismatch = again !== '' && next !== again;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== again) {
      setError(t('account.password.mismatch'));
      return;
    }
    setSubmitting(true);
    setError(null);
    setServerMessage(null);
    setDone(false);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
      await onChanged();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError(t('account.password.failed', { message: t('account.password.wrongCurrent') }));
      else if (failure instanceof ApiError && failure.status === 400) {
        const problem = passwordProblemOf(failure.serverMessage);
        setError(t('account.password.failed', { message: problem ? t(`account.password.problems.${problem}`) : withoutFieldPath(failure.message) }));
        if (problem) setServerMessage(withoutFieldPath(failure.serverMessage));
      }
      else setError(describeError(failure, t));
    } finally {
      setSubmitting(false);
    }
  };

  const type = show ? 'text' : 'password';
  return (
    <section className={`account-card${required ? ' account-card--required' : ''}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('account.password.title')}</h2>
      <p id={`${id}-rule`}>{t('account.password.rule')}</p>
      <form className="account-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-current`} className="field-label">
            {t('account.password.current')}
          </label>
          <input
            id={`${id}-current`}
            type={type}
            autoComplete="current-password"
            maxLength={256}
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`} className="field-label">
            {t('account.password.new')}
          </label>
          <input
            id={`${id}-new`}
            type={type}
            autoComplete="new-password"
            maxLength={256}
            aria-describedby={`${id}-rule ${id}-checks`}
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </div>
        <ul className="password-checks" id={`${id}-checks`}>
          <Check met={next ? checks.longEnough : null}>{t('account.password.checkLength', { count: checks.length })}</Check>
          <Check met={next ? checks.enoughClasses : null}>{t('account.password.checkClasses', { count: checks.classes })}</Check>
          <Check met={null}>{t('account.password.checkCommon')}</Check>
        </ul>
        <div className="field">
          <label htmlFor={`${id}-again`} className="field-label">
            {t('account.password.confirm')}
          </label>
          <input
            id={`${id}-again`}
            type={type}
            autoComplete="new-password"
            maxLength={256}
            aria-invalid={mismatch}
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
          {mismatch && <p className="field-error">{t('account.password.mismatch')}</p>}
        </div>
        <label className="form-checkbox">
          <input type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
          {t('account.password.show')}
        </label>
        {error && (
          <div role="alert">
            <p className="error">{error}</p>
            {serverMessage && (
              <p className="note">
                {t('account.password.serverSaid', { message: serverMessage })}
              </p>
            )}
          </div>
        )}
        {done && (
          <p className="success" role="status">
            {t('account.password.changed')}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={submitting || !current || !next || !again}>
            {submitting ? t('account.password.submitting') : t('account.password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** One line of the rule: met, not met, or (null) only the server can tell. */
export function Check({ met, children }: { met: boolean | null; children: string }) {
  const { t } = useTranslation();
  const state = met === null ? 'unknown' : met ? 'met' : 'unmet';
  return (
    <li className={`password-check password-check--${state}`}>
      <span aria-hidden="true" className="password-check__mark">
        {met === null ? '•' : met ? '✓' : '✗'}
      </span>
      {children}
      {met !== null && <span className="visually-hidden"> ({met ? t('account.password.met') : t('account.password.notMet')})</span>}
    </li>
  );
}
