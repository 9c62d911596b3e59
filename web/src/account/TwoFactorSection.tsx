import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import type { SessionUser } from '../api/endpoints';
import { disableTotp, enableTotp, startTotpSetup } from '../api/security';
import { describeError } from '../i18n/describe-error';
import { QrCode } from './QrCode';
import { ErrorMessage } from '../app/ErrorMessage';

const CODE_PATTERN = /^[0-9]{6}$/;

/** The base32 secret in groups of four, as authenticator apps show it. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/**
 * Two-step verification (TOTP): enrol by scanning a QR code of the otpauth:// URI (or typing the
 * key) and confirming one code; turn it off again with a code, except for administrators, who
 * must keep it. `onChanged` refreshes the session user.
 */
export function TwoFactorSection({ user, required, onChanged }: { user: SessionUser; required: boolean; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const id = useId();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [qrFailed, setQrFailed] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const reset = () => {
    setCode('');
    setError(null);
  };

  const start = async () => {
    setBusy(true);
    reset();
    setMessage(null);
    setQrFailed(false);
    try {
      setSetup(await startTotpSetup());
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const withCode = async (event: FormEvent, action: (code: string) => Promise<void>, failedKey: 'account.totp.enableFailed' | 'account.totp.disableFailed', doneKey: 'account.totp.enabled' | 'account.totp.disabled') => {
    event.preventDefault();
    if (!CODE_PATTERN.test(code)) {
      setError(t(failedKey, { message: t('account.totp.codeFormat') }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await action(code);
      setSetup(null);
      setCode('');
      setMessage(t(doneKey));
      await onChanged();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status < 500 && failure.status > 0 ? t(failedKey, { message: failure.message }) : describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const onQrError = useCallback(() => setQrFailed(true), []);

  const codeField = (
    <div className="field field--code">
      <label htmlFor={`${id}-code`} className="field-label">
        {t('account.totp.code')}
      </label>
      <input
        id={`${id}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\s/g, ''))}
      />
    </div>
  );
  const feedback = (
    <>
      <ErrorMessage message={error} />
      {message && (
        <p className="success" role="status">
          {message}
        </p>
      )}
    </>
  );

  return (
    <section className={`account-card${required ? ' account-card--required' : ''}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('account.totp.title')}</h2>
      <p className={user.totpEnabled ? 'status-line status-line--on' : 'status-line'}>{user.totpEnabled ? t('account.totp.on') : t('account.totp.off')}</p>

      {user.totpEnabled ? (
        user.role === 'admin' ? (
          <>
            <p className="muted">{t('account.totp.adminKeep')}</p>
            {feedback}
          </>
        ) : (
          <form className="account-form" onSubmit={(e) => withCode(e, disableTotp, 'account.totp.disableFailed', 'account.totp.disabled')} noValidate>
            {message && (
              <p className="success" role="status">
                {message}
              </p>
            )}
            <p className="muted">{t('account.totp.disableIntro')}</p>
            {codeField}
            <ErrorMessage message={error} />
            <div className="button-row">
              <button type="submit" className="button" disabled={busy || !code}>
                {busy ? t('account.totp.disabling') : t('account.totp.disable')}
              </button>
            </div>
          </form>
        )
      ) : setup ? (
        <form className="account-form" onSubmit={(e) => withCode(e, enableTotp, 'account.totp.enableFailed', 'account.totp.enabled')} noValidate>
          <h3>{t('account.totp.scan')}</h3>
          <div className="totp-enrol">
            {!qrFailed && <QrCode text={setup.uri} label={t('account.totp.qrLabel')} onError={onQrError} />}
            <div className="totp-enrol__key">
              {qrFailed && <p className="error">{t('account.totp.qrFailed')}</p>}
              <p>{t('account.totp.manual')}</p>
              <code className="totp-secret" aria-label={t('account.totp.secret')} translate="no">
                {groupSecret(setup.secret)}
              </code>
              <p className="note">{t('account.totp.keepSecret')}</p>
            </div>
          </div>
          <h3>{t('account.totp.confirmStep')}</h3>
          {codeField}
          {feedback}
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={busy || !code}>
              {busy ? t('account.totp.confirming') : t('account.totp.confirm')}
            </button>
            <button type="button" className="button" disabled={busy} onClick={start}>
              {t('account.totp.restart')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              disabled={busy}
              onClick={() => {
                setSetup(null);
                reset();
              }}
            >
              {t('account.totp.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>{t('account.totp.intro')}</p>
          {feedback}
          <div className="button-row">
            <button type="button" className={required ? 'button button--primary' : 'button'} disabled={busy} onClick={start}>
              {busy ? t('account.totp.starting') : t('account.totp.start')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
