/** "Encode this community": preview old → new codes, and only then apply them. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { applyEncoding, fetchEncodingPreview, type EncodingPreview } from './plan-api';

export interface EncodingPanelProps {
  communityCode: string;
  communityName: string;
  dedicatedStart: number;
  onApplied(count: number): void;
}

export function EncodingPanel({ communityCode, communityName, dedicatedStart, onApplied }: EncodingPanelProps) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<EncodingPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPreview(null);
    setError(null);
  }, [communityCode]);

  const run = async (step: 'preview' | 'apply') => {
    setBusy(true);
    setError(null);
    try {
      if (step === 'preview') setPreview(await fetchEncodingPreview(communityCode));
      else if (preview) {
        const count = preview.changedCount;
        setPreview(await applyEncoding(communityCode, preview));
        onApplied(count);
      }
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="plan-section" aria-labelledby="plan-encoding-title">
      <h2 id="plan-encoding-title" className="plan-section__title">{t('plan.encoding.title', { name: communityName })}</h2>
      <p className="plan-muted">{t('plan.encoding.intro', { start: dedicatedStart })}</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => run('preview')} disabled={busy}>{t('plan.encoding.preview')}</button>
        {preview && preview.changedCount > 0 && (
          <button type="button" className="button button--primary" onClick={() => run('apply')} disabled={busy}>{t('plan.encoding.apply', { count: preview.changedCount })}</button>
        )}
      </div>
      {error && <p className="error-box" role="alert">{error}</p>}
      {preview && preview.changedCount === 0 && <p role="status">{t('plan.encoding.nothing')}</p>}
      {preview && preview.skippedRetired.length > 0 && <p className="plan-muted">{t('plan.encoding.skipped', { codes: preview.skippedRetired.map((c) => c.slice(12)).join('、') })}</p>}
      {preview && (
        <table className="plan-table">
          <caption className="visually-hidden">{t('plan.encoding.title', { name: communityName })}</caption>
          <thead>
            <tr><th scope="col">{t('plan.encoding.name')}</th><th scope="col">{t('plan.encoding.old')}</th><th scope="col">{t('plan.encoding.new')}</th></tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.gridId} className={r.changed ? 'is-changed' : undefined}>
                <td>{r.name}</td>
                <td className="plan-code">{r.oldCode}</td>
                <td className="plan-code">{r.changed ? <strong>{r.newCode}</strong> : r.newCode}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
