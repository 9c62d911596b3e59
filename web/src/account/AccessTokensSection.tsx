/**
 * Personal access tokens for QGIS, GDAL and scripts: create one (name, expiry of at most a year,
 * read-only or not), copy it once, see the list with each token's last use, revoke one. The
 * token itself is shown only right after it is created.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../app/ErrorMessage';
import { describeError } from '../i18n/describe-error';
import { createAccessToken, fetchAccessTokens, revokeAccessToken, type AccessTokenInfo } from './tokens-api';

const EXPIRY_DAYS = [30, 90, 180, 365] as const;

export function AccessTokensSection({ username }: { username: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [tokens, setTokens] = useState<AccessTokenInfo[] | null>(null);
  const [name, setName] = useState('');
  const [days, setDays] = useState<number>(90);
  const [readOnly, setReadOnly] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState(false);

  const load = useCallback(async () => {
    try {
      setTokens((await fetchAccessTokens()).tokens);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError(t('account.tokens.nameRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    setCopied(false);
    try {
      const reply = await createAccessToken({ name: name.trim(), expiresInDays: days, readOnly });
      setCreated({ token: reply.token, name: reply.info.name });
      setName('');
      await load();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (token: AccessTokenInfo) => {
    if (!window.confirm(t('account.tokens.revokeConfirm', { name: token.name }))) return;
    setError(null);
    try {
      await revokeAccessToken(token.id);
      if (created?.name === token.name) setCreated(null);
      await load();
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }) : t('account.tokens.never'));
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  return (
    <section className="account-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('account.tokens.title')}</h2>
      <p>{t('account.tokens.intro')}</p>
      <p className="token-howto">{t('account.tokens.howTo', { url: `${origin}/ogc`, username })}</p>

      {created && (
        <div className="notice token-created" role="status">
          <p>
            <strong>{t('account.tokens.createdTitle', { name: created.name })}</strong>
          </p>
          <p>{t('account.tokens.createdOnce')}</p>
          <p>
            <code className="token-value" aria-label={t('account.tokens.tokenLabel')}>
              {created.token}
            </code>
          </p>
          <button type="button" className="button" onClick={copy}>
            {copied ? t('account.tokens.copied') : t('account.tokens.copy')}
          </button>
        </div>
      )}

      <form className="account-form" onSubmit={create}>
        <h3>{t('account.tokens.newTitle')}</h3>
        <div className="field">
          <label htmlFor={`${id}-name`} className="field-label">
            {t('account.tokens.name')}
          </label>
          <input id={`${id}-name`} value={name} maxLength={100} placeholder={t('account.tokens.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-expiry`} className="field-label">
            {t('account.tokens.expiry')}
          </label>
          <select id={`${id}-expiry`} value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {t('account.tokens.days', { count: d })}
              </option>
            ))}
          </select>
        </div>
        <label className="form-checkbox">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} /> {t('account.tokens.readOnly')}
        </label>
        <div>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('account.tokens.creating') : t('account.tokens.create')}
          </button>
        </div>
      </form>
      {error && <ErrorMessage message={error} />}

      <h3>{t('account.tokens.listTitle')}</h3>
      {tokens === null ? (
        <p>{t('account.tokens.loading')}</p>
      ) : tokens.length === 0 ? (
        <p>{t('account.tokens.none')}</p>
      ) : (
        <table className="token-table">
          <thead>
            <tr>
              <th scope="col">{t('account.tokens.name')}</th>
              <th scope="col">{t('account.tokens.access')}</th>
              <th scope="col">{t('account.tokens.expires')}</th>
              <th scope="col">{t('account.tokens.lastUsed')}</th>
              <th scope="col">{t('account.tokens.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('account.tokens.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id}>
                <td>
                  {token.name}
                  <br />
                  <code translate="no">{token.hint}…</code>
                </td>
                <td>{token.readOnly ? t('account.tokens.readOnlyShort') : t('account.tokens.readWrite')}</td>
                <td>{when(token.expiresAt)}</td>
                <td>
                  {when(token.lastUsedAt)}
                  {token.lastUsedIp && <div className="token-muted">{token.lastUsedIp}</div>}
                </td>
                <td>{t(`account.tokens.states.${token.state}`)}</td>
                <td>
                  {token.state === 'live' && (
                    <button type="button" className="button button--danger" onClick={() => revoke(token)} aria-label={t('account.tokens.revokeNamed', { name: token.name })}>
                      {t('account.tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
