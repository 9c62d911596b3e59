/**
 * The /areas page's outline import: a file, its level, coordinate system and encoding →
 * preview (each feature matched to a district, street or community, on a map over the existing
 * outlines and in a table) → the planner fixes matches or skips features (each change checks
 * again) → import all of it as a job with progress.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { useTranslation } from 'react-i18next';
import { fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { useReloadHierarchyRoot } from '../app/EmptyState';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { useMapView } from '../map/useMapView';
import {
  fetchOutlineImportJob, previewOutlineImport, startOutlineImport,
  type CrsChoice, type EncodingChoice, type OutlineImportJob, type OutlineImportOptions, type OutlineImportPreview, type OutlineLevelChoice, type OutlineRow,
} from './outline-import-api';
import { OutlineImportLayers, STATUS_COLOURS } from './OutlineImportLayers';
import './outline-import.css';
import { FileButton } from '../imports-ui/FileButton';
import { jobFailureText, loadRefusalCatalogue, problemText } from '../api/client';
import { followJob } from '../api/jobs';

const LEVELS: OutlineLevelChoice[] = ['auto', 'district', 'street', 'community'];
const CRS: CrsChoice[] = ['auto', 'wgs84', 'cgcs2000', 'gcj02', 'bd09'];
const ENCODINGS: EncodingChoice[] = ['auto', 'utf-8', 'gbk', 'gb18030'];
const ACCEPT = '.zip,.geojson,.json,.kml,.kmz,.gpkg,.fgb,.gml,.csv';
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
const SKIP = '__skip';

export function OutlineImportSection() {
  const reloadRoot = useReloadHierarchyRoot();
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [level, setLevel] = useState<OutlineLevelChoice>('auto');
  const [crs, setCrs] = useState<CrsChoice>('auto');
  const [encoding, setEncoding] = useState<EncodingChoice>('auto');
  /** The planner's own choices: feature → area code, or SKIP. */
  const [choices, setChoices] = useState<Record<number, string>>({});
  const [preview, setPreview] = useState<OutlineImportPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'recheck' | 'commit' | null>(null);
  const [job, setJob] = useState<OutlineImportJob | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const options = useCallback((picked: Record<number, string>): OutlineImportOptions => ({
    level: preview && level === 'auto' ? preview.level : level,
    crs,
    encoding,
    matches: Object.fromEntries(Object.entries(picked).filter(([, code]) => code !== SKIP)),
    skips: Object.entries(picked).filter(([, code]) => code === SKIP).map(([feature]) => Number(feature)),
  }), [preview, level, crs, encoding]);

  const runPreview = useCallback(async (picked: Record<number, string>, kind: 'preview' | 'recheck') => {
    if (!file) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(kind);
    setMessage(null);
    try {
      const result = await previewOutlineImport(file, options(picked), controller.signal);
      // Findings and match notes are said in the UI's language from the refusal catalogue.
      if (result.findings.length > 0 || result.rows.some((r) => r.noteCode)) await loadRefusalCatalogue();
      if (controller.signal.aborted) return;
      setPreview(result);
    } catch (failure) {
      if (controller.signal.aborted) return;
      setMessage({ kind: 'error', text: describeError(failure, t) });
      if (kind === 'preview') setPreview(null);
    } finally {
      if (abort.current === controller) setBusy(null);
    }
  }, [file, options, t]);

  const choose = (feature: number, value: string) => {
    const picked = { ...choices };
    if (value) picked[feature] = value;
    else delete picked[feature];
    setChoices(picked);
    void runPreview(picked, 'recheck');
  };

  const commit = async () => {
    if (!file || !preview) return;
    setBusy('commit');
    setMessage(null);
    try {
      const current = await followJob(await startOutlineImport(file, options(choices)), fetchOutlineImportJob, setJob);
      if (current.status === 'failed') {
        setMessage({ kind: 'error', text: jobFailureText(current) });
      } else if (current.result) {
        setMessage({ kind: 'info', text: t('areas.outlineImport.done', { count: current.result.imported, level: t(`areas.outlineImport.levelNames.${current.result.level}`) }) });
        setPreview(null);
        setChoices({});
        layers?.refreshAreas();
        // The hierarchy table and the derive section above and below show the new outlines.
        reloadRoot();
      }
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(null);
      setJob(null);
    }
  };

  // The map: created once the section has a preview to show.
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const mapRef = useRef<HTMLDivElement | null>(null);
  const view = useMapView(mapRef, preview ? basemap : null, t('areas.outlineImport.mapLabel'));
  const [layers, setLayers] = useState<OutlineImportLayers | null>(null);
  useEffect(() => {
    if (!view) return;
    let cancelled = false;
    void view.whenReady().then(() => { if (!cancelled) setLayers(new OutlineImportLayers(view)); });
    return () => {
      cancelled = true;
      setLayers(null);
    };
  }, [view]);
  useEffect(() => {
    layers?.show(preview ? (preview.preview as FeatureCollection) : null);
  }, [layers, preview]);

  const choicesByParent = useMemo(() => {
    const groups = new Map<string, OutlineImportPreview['choices']>();
    for (const area of preview?.choices ?? []) {
      const key = area.parentName ?? '';
      groups.set(key, [...(groups.get(key) ?? []), area]);
    }
    return [...groups];
  }, [preview?.choices]);

  const sourceLine = (p: OutlineImportPreview) =>
    t('areas.outlineImport.source', {
      format: p.format,
      crs: p.sourceCrs.from === 'chosen' ? t(`areas.outlineImport.crsOptions.${p.sourceCrs.name as CrsChoice}`) : p.sourceCrs.name,
      reprojected: p.sourceCrs.reprojected ? t('areas.outlineImport.reprojectedNote') : '',
      shifted: p.sourceCrs.shiftedFrom ? t('areas.outlineImport.shiftedNote', { from: p.sourceCrs.shiftedFrom.toUpperCase() }) : '',
      nameField: p.fields.nameField ?? t('areas.outlineImport.none'),
      codeField: p.fields.codeField ?? t('areas.outlineImport.none'),
    }) + (p.encoding ? t('areas.outlineImport.encodingUsed', { name: p.encoding.name.toUpperCase(), from: t(`areas.outlineImport.encodingFrom.${p.encoding.from}`) }) : '');

  const selectValue = (row: OutlineRow) => choices[row.feature] ?? '';
  const progress = job?.progress;

  return (
    <section className="areas-section outline-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('areas.outlineImport.title')}</h2>
      <p className="outline-import__intro">{t('areas.outlineImport.intro')}</p>
      <div className="outline-import__form">
        <div className="outline-import__file">
          <FileButton label={t('areas.outlineImport.file')} accept={ACCEPT} file={file} help={t('areas.outlineImport.fileHint')}
            onChange={(f) => { setFile(f); setPreview(null); setChoices({}); setMessage(null); }} />
        </div>
        <label htmlFor={`${id}-level`}>
          <span>{t('areas.outlineImport.level')}</span>
          <select id={`${id}-level`} value={level} onChange={(e) => { setLevel(e.target.value as OutlineLevelChoice); setPreview(null); setChoices({}); }}>
            {LEVELS.map((l) => <option key={l} value={l}>{t(`areas.outlineImport.levels.${l}`)}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-crs`}>
          <span>{t('areas.outlineImport.crs')}</span>
          <select id={`${id}-crs`} value={crs} onChange={(e) => { setCrs(e.target.value as CrsChoice); setPreview(null); }}>
            {CRS.map((c) => <option key={c} value={c}>{t(`areas.outlineImport.crsOptions.${c}`)}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-encoding`}>
          <span>{t('areas.outlineImport.encoding')}</span>
          <select id={`${id}-encoding`} value={encoding} onChange={(e) => { setEncoding(e.target.value as EncodingChoice); setPreview(null); }}>
            {ENCODINGS.map((c) => <option key={c} value={c}>{t(`areas.outlineImport.encodingOptions.${c}`)}</option>)}
          </select>
        </label>
      </div>
      <div className="button-row">
        <button type="button" className="button" disabled={!file || busy !== null} onClick={() => runPreview(choices, 'preview')}>{t('areas.outlineImport.preview')}</button>
        {preview && (
          <button type="button" className="button button--primary" disabled={!preview.canCommit || busy !== null} onClick={commit}>
            {t('areas.outlineImport.commit', { count: preview.summary.matched })}
          </button>
        )}
      </div>
      {(busy === 'preview' || busy === 'recheck') && (
        <p className="outline-import__progress" role="status">
          <progress aria-label={t(`areas.outlineImport.${busy === 'preview' ? 'previewing' : 'rechecking'}`)} />
          {t(`areas.outlineImport.${busy === 'preview' ? 'previewing' : 'rechecking'}`)}
        </p>
      )}
      {busy === 'commit' && progress && (
        <p className="outline-import__progress" role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={t(`areas.outlineImport.stages.${progress.stage as 'reading'}`)} />
          {t('areas.outlineImport.progress', { stage: t(`areas.outlineImport.stages.${progress.stage as 'reading'}`), done: progress.done, total: progress.total })}
        </p>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}

      {preview && (
        <div className="outline-import__preview">
          <p role="status">{t('areas.outlineImport.summary', { features: preview.featureCount, ...preview.summary })}</p>
          <p className="outline-import__muted">{sourceLine(preview)}</p>
          {!preview.canCommit && <p className="error-box">{t('areas.outlineImport.blocked')}</p>}
          <div className="outline-import__map-wrap">
            <div ref={mapRef} className="outline-import__map" />
            <ul className="outline-import__legend" aria-label={t('areas.outlineImport.mapLabel')}>
              {(Object.keys(STATUS_COLOURS) as (keyof typeof STATUS_COLOURS)[]).map((s) => (
                <li key={s}><span className="outline-import__swatch" style={{ background: STATUS_COLOURS[s] }} />{t(`areas.outlineImport.legend.${s}`)}</li>
              ))}
            </ul>
          </div>
          {preview.findings.length > 0 && (
            <>
              <h3>{t('areas.outlineImport.findingsTitle')}</h3>
              <ul className="outline-import__findings">
                {preview.findings.map((f, i) => <li key={i} className={`outline-import__finding--${f.severity}`}>{problemText(f)}</li>)}
              </ul>
            </>
          )}
          <div className="outline-import__table-wrap">
            <table className="outline-import__table">
              <caption>{t('areas.outlineImport.table.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('areas.outlineImport.table.feature')}</th>
                  <th scope="col">{t('areas.outlineImport.table.name')}</th>
                  <th scope="col">{t('areas.outlineImport.table.code')}</th>
                  <th scope="col">{t('areas.outlineImport.table.status')}</th>
                  <th scope="col">{t('areas.outlineImport.table.match')}</th>
                  <th scope="col">{t('areas.outlineImport.table.area')}</th>
                  <th scope="col">{t('areas.outlineImport.table.note')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.feature} className={`outline-import__row--${row.status}`}>
                    <td>{row.feature}</td>
                    <td>{row.name ?? ''}</td>
                    <td>{row.codeValue ?? ''}</td>
                    <td>
                      <span className="outline-import__swatch" style={{ background: STATUS_COLOURS[row.status] }} />
                      {t(`areas.outlineImport.status.${row.status}`)}
                      {row.by && <small> · {t(`areas.outlineImport.by.${row.by}`)}</small>}
                    </td>
                    <td>
                      <select
                        aria-label={t('areas.outlineImport.matchFor', { feature: row.feature })}
                        value={selectValue(row)} disabled={busy === 'commit'}
                        onChange={(e) => choose(row.feature, e.target.value)}
                      >
                        <option value="">{row.status === 'matched' && row.by !== 'override' ? `${t('areas.outlineImport.choose')} ${row.areaName}` : t('areas.outlineImport.choose')}</option>
                        <option value={SKIP}>{t('areas.outlineImport.skip')}</option>
                        {choicesByParent.map(([parent, areas]) => (
                          <optgroup key={parent} label={parent || '—'}>
                            {areas.map((a) => <option key={a.code} value={a.code}>{a.name}（{a.code}）</option>)}
                          </optgroup>
                        ))}
                      </select>
                    </td>
                    <td>{row.squareMeters !== null ? t('areas.outlineImport.squareKilometers', { value: (row.squareMeters / 1e6).toFixed(2) }) : ''}</td>
                    <td className="outline-import__note">{(row.status === 'ambiguous' || row.status === 'unmatched') && row.note ? problemText({ message: row.note, code: row.noteCode, params: row.noteParams }) : row.areaCode ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
