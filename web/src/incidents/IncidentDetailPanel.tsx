/**
 * One incident: its fields, the reporter masked (unmask for roles that may, audited by the
 * server), its history, photos, and the next steps the caller may take.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { categoryNameOf, fetchIncident, postTransition, postUnmask, type CategoryInfo, type IncidentDetail } from './api';
import './incident-items.css';

export function IncidentDetailPanel({ id, categories, onClose, onChanged }: { id: number; categories: CategoryInfo[]; onClose(): void; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [purpose, setPurpose] = useState<'callback' | 'verification' | 'legal_request'>('callback');
  const [unmasked, setUnmasked] = useState<{ name: string | null; phone: string | null; idNumber: string | null } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setDetail(null);
    setUnmasked(null);
    setError(null);
    fetchIncident(id, controller.signal).then(setDetail, (e) => {
      if (!controller.signal.aborted) setError(describeError(e, t));
    });
    return () => controller.abort();
  }, [id, t]);

  const en = i18n.language === 'en';
  const categoryName = (code: string | null) => categoryNameOf(categories, code, en);
  const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }) : t('incidents.none'));

  async function step(to: IncidentDetail['status']) {
    setBusy(true);
    setError(null);
    try {
      setDetail(await postTransition(id, to, note));
      setNote('');
      onChanged();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function unmask() {
    setBusy(true);
    try {
      setUnmasked(await postUnmask(id, purpose));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="incident-detail" aria-labelledby="incident-detail-title">
      <header className="incident-detail__head">
        <h2 id="incident-detail-title">
          {t('incidents.detail')} #{id}
        </h2>
        <button type="button" className="link-button" onClick={onClose}>
          {t('incidents.close')}
        </button>
      </header>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {!detail ? (
        <p className="muted">{t('incidents.loading')}</p>
      ) : (
        <>
          <p className="incident-detail__title">
            <span className={`status-chip status-chip--${detail.status}`}>{t(`incidents.statuses.${detail.status}`)}</span>{' '}
            <strong>{categoryName(detail.category)}</strong>
            {detail.subCategory ? ` · ${categoryName(detail.subCategory)}` : ''}{' '}
            {detail.overdue ? <span className="overdue-chip">{t('incidents.overdueFlag')}</span> : null}
          </p>
          <p>{detail.description}</p>
          <dl className="incident-detail__fields">
            <dt>{t('incidents.externalId')}</dt>
            <dd>{detail.externalId ?? t('incidents.none')}</dd>
            <dt>{t('incidents.source')}</dt>
            <dd>{t(`incidents.sources.${detail.source}`)}</dd>
            <dt>{t('incidents.reportedAt')}</dt>
            <dd>{time(detail.reportedAt)}</dd>
            <dt>{t('incidents.dueAt')}</dt>
            <dd>{time(detail.dueAt)}</dd>
            <dt>{t('incidents.closedAt')}</dt>
            <dd>{time(detail.closedAt)}</dd>
            <dt>{t('incidents.place')}</dt>
            <dd>
              {[detail.placement.streetName, detail.placement.communityName, detail.placement.gridName].filter(Boolean).join(' · ')}
              {detail.placement.gridCode ? ` (${detail.placement.gridCode})` : ''}
            </dd>
            {detail.reporter ? (
              <>
                <dt>{t('incidents.reporter')}</dt>
                <dd data-testid="reporter">
                  {unmasked
                    ? [unmasked.name, unmasked.phone, unmasked.idNumber].filter(Boolean).join(' · ')
                    : [detail.reporter.name, detail.reporter.phone, detail.reporter.idNumber].filter(Boolean).join(' · ') + ' ' + t('incidents.reporterMasked')}
                </dd>
              </>
            ) : null}
          </dl>
          {detail.mayUnmask && !unmasked ? (
            <div className="incident-detail__unmask">
              <label>
                {t('incidents.unmaskPurpose')}{' '}
                <select value={purpose} onChange={(e) => setPurpose(e.target.value as typeof purpose)}>
                  {(['callback', 'verification', 'legal_request'] as const).map((p) => (
                    <option key={p} value={p}>
                      {t(`incidents.purpose.${p}`)}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" disabled={busy} onClick={unmask}>
                {t('incidents.unmask')}
              </button>
              <p className="muted small">{t('incidents.unmaskAudited')}</p>
            </div>
          ) : null}
          {detail.photoIds.length > 0 ? (
            <div className="incident-detail__photos">
              <h3>{t('incidents.photos')}</h3>
              {detail.photoIds.map((p) => (
                <img key={p} src={`/api/incidents/${id}/photos/${p}`} alt={`${t('incidents.photos')} ${p}`} />
              ))}
            </div>
          ) : null}
          {detail.allowedTransitions.length > 0 ? (
            <div className="incident-detail__actions">
              <h3>{t('incidents.transitions')}</h3>
              <label className="stacked">
                {t('incidents.note')}
                <textarea value={note} rows={2} onChange={(e) => setNote(e.target.value)} />
              </label>
              <div className="button-row">
                {detail.allowedTransitions.map((tr) => (
                  <button
                    key={tr.to}
                    type="button"
                    disabled={busy || (tr.noteRequired && note.trim() === '')}
                    title={tr.noteRequired ? t('incidents.noteRequired') : undefined}
                    onClick={() => step(tr.to)}
                  >
                    {t(`incidents.actions.${tr.to}`)}
                  </button>
                ))}
              </div>
            </div>
          ) : null}
          <h3>{t('incidents.history')}</h3>
          <ol className="incident-detail__history">
            {detail.events.map((e, k) => (
              <li key={k}>
                {time(e.at)} · {t(`incidents.statuses.${e.toStatus}`)}
                {e.actor ? ` · ${e.actor}` : ''}
                {e.note ? ` · ${e.note}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
