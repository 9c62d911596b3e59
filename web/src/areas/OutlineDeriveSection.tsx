/**
 * Deriving outlines on /areas: the communities (or streets) under a chosen district or street
 * that have no outline yet, each with what it could be built from; a preview of one on a small
 * map (the outline, its gaps and slivers with their m², how it fits its neighbours), then
 * applying it, or all of them one after another with progress.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { ApiError, loadRefusalCatalogue, problemText } from '../api/client';
import { fetchAreas, fetchClientConfig } from '../api/endpoints';
import { useHierarchyRoot, useReloadHierarchyRoot } from '../app/EmptyState';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { useMapView } from '../map/useMapView';
import { applyDerive, fetchDerivable, fetchDerivePreview, type DerivableArea, type DerivePreview } from './outline-derive-api';
import './outline-derive.css';

type Level = 'community' | 'street';
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
const SOURCE = 'outline-derive';
const COLOURS = { outline: '#1565c0', gap: '#d32f2f', sliver: '#ef6c00', separate_part: '#6a1b9a' } as const;

interface RunResult {
  code: string;
  name: string;
  status: 'derived' | 'skipped' | 'refused';
  message: string | null;
  /** Why it was refused: said in the UI's language when shown (problemText). */
  refusal?: { message: string; code?: string | null; params?: unknown };
}

export function OutlineDeriveSection() {
  const { t } = useTranslation();
  const ids = { parent: useId(), level: useId(), fill: useId(), title: useId() };
  // Asked again when the code list changes the hierarchy (a district added on this page).
  const root = useHierarchyRoot();
  const reloadRoot = useReloadHierarchyRoot();
  const districts = useApi((signal) => fetchAreas('district', signal, { withoutOutline: true }), [root]);
  const streets = useApi((signal) => fetchAreas('street', signal, { withoutOutline: true }), [root]);
  const [parent, setParent] = useState<string>('');
  const [level, setLevel] = useState<Level>('community');
  const [fillGaps, setFillGaps] = useState(false);
  const [seq, setSeq] = useState(0);
  useEffect(() => {
    if (!parent && districts.data?.features[0]) setParent(districts.data.features[0].properties.code);
  }, [parent, districts.data]);
  // A street holds communities, not streets.
  const effectiveLevel: Level = parent.length === 9 ? 'community' : level;
  const candidates = useApi((signal) => fetchDerivable(parent, effectiveLevel, signal), [parent, effectiveLevel, seq], parent !== '');
  const [previewing, setPreviewing] = useState<DerivableArea | null>(null);
  const preview = useApi(async (signal) => {
    const result = await fetchDerivePreview(previewing!.code, fillGaps, signal);
    // Why it cannot be applied is said in the UI's language from the refusal catalogue.
    if (result.refusalCode) await loadRefusalCatalogue();
    return result;
  }, [previewing?.code, fillGaps], previewing !== null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<RunResult[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const derivable = (candidates.data ?? []).filter((a) => a.partCount > 0);
  const levelName = t(`areas.outlineDerive.levels.${effectiveLevel}`);

  const deriveOne = async (area: DerivableArea): Promise<RunResult> => {
    try {
      const written = await applyDerive(area.code, area.version, fillGaps);
      return { code: area.code, name: area.name, status: 'derived', message: t('areas.outlineDerive.done', { name: area.name, version: written.version, area: Math.round(written.areaSquareMeters).toLocaleString() }) };
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 409 || failure.status === 422)) {
        return { code: area.code, name: area.name, status: 'refused', message: failure.message, refusal: { message: failure.serverMessage, code: failure.code, params: failure.params } };
      }
      throw failure;
    }
  };

  const applyOne = async (area: DerivableArea) => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await deriveOne(area);
      setMessage({ kind: result.status === 'derived' ? 'info' : 'error', text: result.status === 'derived' ? result.message! : t('areas.outlineDerive.refused', { message: result.refusal ? problemText(result.refusal) : result.message }) });
      if (result.status === 'derived') setPreviewing(null);
      setSeq((n) => n + 1);
      reloadRoot();
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const applyAll = async () => {
    const list = candidates.data ?? [];
    setBusy(true);
    setMessage(null);
    setPreviewing(null);
    const done: RunResult[] = [];
    setResults([]);
    setProgress({ done: 0, total: list.length });
    try {
      for (const area of list) {
        done.push(area.partCount === 0 ? { code: area.code, name: area.name, status: 'skipped', message: t('areas.outlineDerive.nothing') } : await deriveOne(area));
        setResults([...done]);
        setProgress({ done: done.length, total: list.length });
      }
      const count = (status: RunResult['status']) => done.filter((r) => r.status === status).length;
      setMessage({ kind: 'info', text: t('areas.outlineDerive.allDone', { derived: count('derived'), skipped: count('skipped'), refused: count('refused') }) });
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
      setProgress(null);
      setSeq((n) => n + 1);
      reloadRoot();
    }
  };

  return (
    <section className="areas-section" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('areas.outlineDerive.title')}</h2>
      <p className="muted">{t('areas.outlineDerive.intro')}</p>
      <div className="areas-derive__controls">
        <label htmlFor={ids.parent}>
          <span>{t('areas.outlineDerive.parent')}</span>
          <select id={ids.parent} value={parent} onChange={(e) => { setParent(e.target.value); setPreviewing(null); setResults([]); }}>
            {(districts.data?.features ?? []).map((d) => <option key={d.properties.code} value={d.properties.code}>{d.properties.name}（{d.properties.code}）</option>)}
            {(streets.data?.features ?? []).map((s) => <option key={s.properties.code} value={s.properties.code}>— {s.properties.name}（{s.properties.code}）</option>)}
          </select>
        </label>
        <label htmlFor={ids.level}>
          <span>{t('areas.outlineDerive.level')}</span>
          <select id={ids.level} value={effectiveLevel} disabled={parent.length === 9} onChange={(e) => { setLevel(e.target.value as Level); setPreviewing(null); setResults([]); }}>
            <option value="community">{t('areas.outlineDerive.levels.community')}</option>
            <option value="street">{t('areas.outlineDerive.levels.street')}</option>
          </select>
        </label>
        <label htmlFor={ids.fill} className="areas-derive__check">
          <input id={ids.fill} type="checkbox" checked={fillGaps} onChange={(e) => setFillGaps(e.target.checked)} /> {t('areas.outlineDerive.fillGaps')}
        </label>
        <button type="button" className="button button--primary" disabled={busy || derivable.length === 0} onClick={() => void applyAll()}>
          {t('areas.outlineDerive.applyAll', { count: derivable.length })}
        </button>
      </div>
      {progress && (
        <div className="areas-derive__progress" role="status">
          <progress max={progress.total} value={progress.done} aria-label={t('areas.outlineDerive.progress', progress)} />
          <span>{t('areas.outlineDerive.progress', progress)}</span>
        </div>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      {candidates.loading && !candidates.data && <p className="muted">{t('areas.outlineDerive.loading')}</p>}
      {candidates.error != null && <p className="error-box" role="alert">{describeError(candidates.error, t)}</p>}
      {candidates.data && candidates.data.length === 0 && <p className="muted">{t('areas.outlineDerive.none', { level: levelName })}</p>}
      {candidates.data && derivable.length < candidates.data.length && (
        <p className="muted">{t('areas.outlineDerive.notListed', { count: candidates.data.length - derivable.length })}</p>
      )}
      {derivable.length > 0 && (
        <table className="areas-table">
          <thead>
            <tr><th>{t('areas.outlineDerive.table.code')}</th><th>{t('areas.outlineDerive.table.name')}</th><th>{t('areas.outlineDerive.table.parts')}</th><th>{t('areas.outlineDerive.table.actions')}</th></tr>
          </thead>
          <tbody>
            {derivable.map((area) => (
              <tr key={area.code} className={previewing?.code === area.code ? 'is-selected' : undefined}>
                <td className="areas-code">{area.code}</td>
                <td>{area.name}</td>
                <td>{area.partCount > 0 ? t(`areas.outlineDerive.parts.${effectiveLevel}`, { count: area.partCount }) : <span className="muted">{t('areas.outlineDerive.nothing')}</span>}</td>
                <td className="button-row">
                  <button type="button" className="button button--small" disabled={busy || area.partCount === 0} aria-label={`${t('areas.outlineDerive.preview')} ${area.name}`} onClick={() => setPreviewing(area)}>{t('areas.outlineDerive.preview')}</button>
                  <button type="button" className="button button--small" disabled={busy || area.partCount === 0} aria-label={`${t('areas.outlineDerive.apply')} ${area.name}`} onClick={() => void applyOne(area)}>{t('areas.outlineDerive.apply')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {results.length > 0 && (
        <ul className="areas-derive__results" aria-label={t('areas.outlineDerive.title')}>
          {results.map((r) => (
            <li key={r.code} className={`is-${r.status}`}><strong>{t(`areas.outlineDerive.status.${r.status}`)}</strong> {r.name}（{r.code}）{r.status === 'refused' && r.message ? `${t('areas.outlineDerive.separator')}${r.refusal ? problemText(r.refusal) : r.message}` : ''}</li>
          ))}
        </ul>
      )}
      {previewing && (
        <DerivePreviewPanel
          area={previewing}
          preview={preview.data && preview.data.code === previewing.code ? preview.data : null}
          error={preview.error}
          busy={busy}
          onApply={() => void applyOne(previewing)}
        />
      )}
    </section>
  );
}

function DerivePreviewPanel(props: { area: DerivableArea; preview: DerivePreview | null; error: unknown; busy: boolean; onApply(): void }) {
  const { t } = useTranslation();
  const { preview } = props;
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const containerRef = useRef<HTMLDivElement | null>(null);
  const view = useMapView(containerRef, basemap, t('areas.outlineDerive.mapLabel'));

  useEffect(() => {
    if (!view) return;
    view.addGeoJsonSource(SOURCE);
    view.addLayer({ id: `${SOURCE}-fill`, type: 'fill', source: SOURCE, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': ['case', ['==', ['get', 'kind'], 'outline'], 0.15, 0.55] } });
    view.addLayer({ id: `${SOURCE}-line`, type: 'line', source: SOURCE, paint: { 'line-color': ['get', 'colour'], 'line-width': ['case', ['==', ['get', 'kind'], 'outline'], 2.5, 1.5] } });
  }, [view]);
  useEffect(() => {
    if (!view || !preview) return;
    const features: Feature[] = [];
    if (preview.geometry) features.push({ type: 'Feature', geometry: preview.geometry as Geometry, properties: { kind: 'outline', colour: COLOURS.outline } });
    for (const hole of preview.holes) {
      if (hole.kind !== 'separate_part') features.push({ type: 'Feature', geometry: hole.geometry as Geometry, properties: { kind: hole.kind, colour: COLOURS[hole.kind] } });
    }
    const collection: FeatureCollection = { type: 'FeatureCollection', features };
    view.setGeoJsonData(SOURCE, collection);
    if (preview.bbox) view.fitBounds(preview.bbox as [number, number, number, number], { padding: 24, animate: false });
  }, [view, preview]);

  const blocking = preview?.fit.filter((f) => f.kind !== 'gap') ?? [];
  return (
    <div className="areas-derive__preview" aria-label={t('areas.outlineDerive.previewTitle', { name: props.area.name, code: props.area.code })} role="region">
      <h3>{t('areas.outlineDerive.previewTitle', { name: props.area.name, code: props.area.code })}</h3>
      <div className="areas-derive__preview-body">
        <div className="areas-derive__map" ref={containerRef} />
        <div className="areas-derive__details">
          {props.error != null && <p className="error-box" role="alert">{describeError(props.error, t)}</p>}
          {!preview && props.error == null && <p className="muted">{t('areas.outlineDerive.loading')}</p>}
          {preview && (
            <>
              <p>{t('areas.outlineDerive.figures', { area: Math.round(preview.areaSquareMeters).toLocaleString(), parts: preview.partCount, partsArea: Math.round(preview.partsAreaSquareMeters).toLocaleString() })}</p>
              <p className="areas-derive__legend" aria-hidden="true">
                <span><i style={{ background: COLOURS.outline }} />{t('areas.outlineDerive.legend.outline')}</span>
                <span><i style={{ background: COLOURS.gap }} />{t('areas.outlineDerive.legend.gap')}</span>
                <span><i style={{ background: COLOURS.sliver }} />{t('areas.outlineDerive.legend.sliver')}</span>
              </p>
              <h4>{t('areas.outlineDerive.holes')}</h4>
              {preview.holes.length === 0 ? <p className="muted">{t('areas.outlineDerive.noHoles')}</p> : (
                <ul className="areas-derive__holes">
                  {preview.holes.map((hole, index) => (
                    <li key={index}>
                      {t(`areas.outlineDerive.holeKinds.${hole.kind}`)} · {t('areas.outlineDerive.area', { area: hole.areaSquareMeters.toLocaleString() })}
                      {hole.kind !== 'separate_part' && <> · {hole.filled ? t('areas.outlineDerive.filled') : t('areas.outlineDerive.open')}</>}
                    </li>
                  ))}
                </ul>
              )}
              {preview.fit.length > 0 && (
                <ul className="areas-derive__fit">
                  {preview.fit.map((f, index) => (
                    <li key={index} className={f.kind === 'gap' ? 'muted' : 'error'}>
                      {t(`areas.outlineDerive.fit.${f.kind}`, { name: f.name, code: f.code })} · {t('areas.outlineDerive.area', { area: f.areaSquareMeters.toLocaleString() })}
                    </li>
                  ))}
                </ul>
              )}
              {preview.refusal && <p className="error-box" role="alert">{t('areas.outlineDerive.refused', { message: problemText({ message: preview.refusal, code: preview.refusalCode, params: preview.refusalParams }) })}</p>}
              <button type="button" className="button button--primary" disabled={props.busy || !preview.canApply || blocking.length > 0} onClick={props.onApply}>
                {t('areas.outlineDerive.apply')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
