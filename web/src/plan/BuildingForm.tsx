/**
 * The form of one building clicked on the map: name, address, building code and its figures, saved
 * at the version it was read (409 when someone changed it meanwhile), or the building retired. Its
 * grid's figures follow at once (the server re-counts them).
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { useApi } from '../api/useApi';
import { fetchBuilding, retireBuilding, updateBuilding } from './population-api';
import { enterDoesNotSubmit } from '../app/enter-safe';

const FIGURES = ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const;

export function BuildingForm({ id, onClose, onSaved }: { id: number; onClose(): void; onSaved(message: string): void }) {
  const { t } = useTranslation();
  const formId = useId();
  const [seq, setSeq] = useState(0);
  const building = useApi((signal) => fetchBuilding(id, signal), [id, seq]);
  const [draft, setDraft] = useState({ name: '', address: '', buildingCode: '', households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 });
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const b = building.data;

  useEffect(() => {
    if (!b) return;
    setDraft({ name: b.name, address: b.address ?? '', buildingCode: b.buildingCode ?? '', households: b.households, residents: b.residents, residents60Plus: b.residents60Plus, residents80Plus: b.residents80Plus });
  }, [b]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onSaved(done);
      setSeq((n) => n + 1);
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    if (!b) return;
    void act(() => updateBuilding(id, {
      version: b.version, name: draft.name.trim() || b.name, address: draft.address.trim() || null, buildingCode: draft.buildingCode.trim() || null,
      households: draft.households, residents: draft.residents, residents60Plus: draft.residents60Plus, residents80Plus: draft.residents80Plus, reason,
    }), t('population.building.saved', { name: draft.name || b.name }));
  };

  return (
    <section className="plan-section plan-building-form" aria-labelledby={`${formId}-title`}>
      <div className="button-row">
        <h2 id={`${formId}-title`} className="plan-section__title">{t('population.building.title', { name: b?.name ?? '' })}</h2>
        <button type="button" className="button button--small button--quiet" onClick={onClose} aria-label={t('population.building.close')}>×</button>
      </div>
      {building.error ? <p className="error-box" role="alert">{describeError(building.error, t)}</p> : null}
      {b && (
        <form onSubmit={save} onKeyDown={enterDoesNotSubmit}>
          <p className="plan-muted">{t('population.building.meta', { version: b.version, community: b.communityCode ?? '—' })}{b.retired ? ` · ${t('population.building.retired')}` : ''}</p>
          <div className="plan-grid-2">
            <label className="plan-field"><span>{t('population.building.name')}</span>
              <input value={draft.name} maxLength={100} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} /></label>
            <label className="plan-field"><span>{t('population.building.code')}</span>
              <input value={draft.buildingCode} maxLength={5} pattern="[0-9]{5}" onChange={(e) => setDraft((d) => ({ ...d, buildingCode: e.target.value }))} /></label>
          </div>
          <label className="plan-field"><span>{t('population.building.address')}</span>
            <input value={draft.address} maxLength={200} onChange={(e) => setDraft((d) => ({ ...d, address: e.target.value }))} /></label>
          <div className="plan-grid-2">
            {FIGURES.map((key) => (
              <label key={key} className="plan-field"><span>{t(`population.building.${key}`)}</span>
                <input type="number" min={0} step={1} value={draft[key]} onChange={(e) => setDraft((d) => ({ ...d, [key]: Math.max(0, Math.round(Number(e.target.value) || 0)) }))} /></label>
            ))}
          </div>
          <label className="plan-field"><span>{t('population.buildings.reason')}</span>
            <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
          {error && <p className="error-box" role="alert">{error}</p>}
          {!b.retired && (
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={busy}>{t('population.building.save')}</button>
              <button type="button" className="button" disabled={busy}
                onClick={() => void act(() => retireBuilding(id, b.version, reason), t('population.building.retiredDone', { name: b.name }))}>{t('population.building.retire')}</button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
