/**
 * The /areas page's road network import: a file (OpenStreetMap .osm.pbf, or road lines as a zipped
 * Shapefile, GeoJSON or GeoPackage), its coordinate system and the class of lines without one →
 * preview (lines per road class, walkable or left out, and the graph check: islands and dangling
 * ends with their lengths, drawn on a map over the file's lines) → replace the network all at
 * once, as a job with its stages shown.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FeatureCollection } from 'geojson';
import { useTranslation } from 'react-i18next';
import { fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { useMapView } from '../map/useMapView';
import {
  fetchNetworkImportJob, fetchNetworkStatus, fetchRoadClasses, previewNetworkImport, startNetworkImport,
  type NetworkCrsChoice, type NetworkImportJob, type NetworkImportOptions, type NetworkPreview,
} from './network-import-api';
import { NETWORK_COLOURS, NetworkImportLayers } from './NetworkImportLayers';
import { FileButton } from '../imports-ui/FileButton';
import './outline-import.css';
import './network-import.css';
import { jobFailureText } from '../api/client';
import { followJob } from '../api/jobs';

const CRS: NetworkCrsChoice[] = ['auto', 'wgs84', 'cgcs2000', 'gcj02', 'bd09'];
const ACCEPT = '.pbf,.osm,.zip,.geojson,.json,.gpkg,.fgb,.gml,.kml';
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
type Stage = keyof typeof import('./network-import-strings').zhCN.stages;

export function NetworkImportSection() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<NetworkCrsChoice>('auto');
  const [defaultClass, setDefaultClass] = useState('');
  const [preview, setPreview] = useState<NetworkPreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null);
  const [job, setJob] = useState<NetworkImportJob | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [statusVersion, setStatusVersion] = useState(0);
  const abort = useRef<AbortController | null>(null);

  const status = useApi((signal) => fetchNetworkStatus(signal), [statusVersion]);
  const classes = useApi((signal) => fetchRoadClasses(signal), []);
  const options = useMemo<NetworkImportOptions>(() => ({ crs, defaultClass }), [crs, defaultClass]);
  const className = useCallback((code: string) => {
    const c = classes.data?.find((x) => x.code === code);
    return c ? t('areas.networkImport.roadClassName', { name: i18n.language.startsWith('zh') ? c.name_zh : c.name_en, code }) : code;
  }, [classes.data, i18n.language, t]);

  const reset = () => { setPreview(null); setMessage(null); };

  const runPreview = async () => {
    if (!file) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy('preview');
    setMessage(null);
    try {
      setPreview(await previewNetworkImport(file, options, controller.signal));
    } catch (failure) {
      if (controller.signal.aborted) return;
      setMessage({ kind: 'error', text: describeError(failure, t) });
      setPreview(null);
    } finally {
      if (abort.current === controller) setBusy(null);
    }
  };

  const commit = async () => {
    if (!file || !preview) return;
    setBusy('commit');
    setMessage(null);
    try {
      const current = await followJob(await startNetworkImport(file, options), fetchNetworkImportJob, setJob);
      if (current.status === 'failed') {
        setMessage({ kind: 'error', text: jobFailureText(current) });
      } else if (current.result) {
        setMessage({ kind: 'info', text: t('areas.networkImport.done', { lines: current.result.lines, walkable: current.result.walkableLines }) });
        setPreview(null);
        setStatusVersion((v) => v + 1);
      }
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(null);
      setJob(null);
    }
  };

  // The map: created once there is a preview to show.
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const mapRef = useRef<HTMLDivElement | null>(null);
  const view = useMapView(mapRef, preview ? basemap : null, t('areas.networkImport.mapLabel'));
  const [layers, setLayers] = useState<NetworkImportLayers | null>(null);
  useEffect(() => {
    if (!view) return;
    let cancelled = false;
    void view.whenReady().then(() => { if (!cancelled) setLayers(new NetworkImportLayers(view)); });
    return () => {
      cancelled = true;
      setLayers(null);
    };
  }, [view]);
  useEffect(() => {
    layers?.show(preview ? (preview.drawn as FeatureCollection) : null, preview?.report ? (preview.report.problems as FeatureCollection) : null);
  }, [layers, preview]);

  const s = status.data;
  const report = preview?.report ?? null;
  const leftOut = preview ? preview.byClass.filter((c) => !c.walkable).reduce((n, c) => n + c.lines, 0) : 0;
  const progress = job?.progress;
  const meters = (m: number) => Math.round(m).toLocaleString(i18n.language);

  return (
    <section className="areas-section outline-import network-import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('areas.networkImport.title')}</h2>
      <p className="outline-import__intro">{t('areas.networkImport.intro')}</p>
      {s && (
        <p className="network-import__current" role="status">
          {s.loaded
            ? t('areas.networkImport.current', { source: s.source, synthetic: s.synthetic ? t('areas.networkImport.syntheticNote') : '', segments: s.segments, walkable: s.walkableSegments, areas: s.walkingAreas })
            : t('areas.networkImport.noneLoaded')}
          {!s.pgrouting.installed && <><br />{t('areas.networkImport.noPgrouting', { message: s.pgrouting.message })}</>}
        </p>
      )}
      <div className="outline-import__form">
        <div className="outline-import__file">
          <FileButton label={t('areas.networkImport.file')} accept={ACCEPT} file={file} help={t('areas.networkImport.fileHint')}
            onChange={(f) => { setFile(f); reset(); }} />
        </div>
        <label htmlFor={`${id}-crs`}>
          <span>{t('areas.networkImport.crs')}</span>
          <select id={`${id}-crs`} value={crs} onChange={(e) => { setCrs(e.target.value as NetworkCrsChoice); reset(); }}>
            {CRS.map((c) => <option key={c} value={c}>{t(`areas.networkImport.crsOptions.${c}`)}</option>)}
          </select>
        </label>
        <label htmlFor={`${id}-class`}>
          <span>{t('areas.networkImport.defaultClass')}</span>
          <select id={`${id}-class`} value={defaultClass} onChange={(e) => { setDefaultClass(e.target.value); reset(); }}>
            <option value="">{t('areas.networkImport.defaultClassNone')}</option>
            {(classes.data ?? []).map((c) => <option key={c.code} value={c.code}>{className(c.code)}</option>)}
          </select>
        </label>
      </div>
      <div className="button-row">
        <button type="button" className="button" disabled={!file || busy !== null} onClick={runPreview}>{t('areas.networkImport.preview')}</button>
        {preview && (
          <button type="button" className="button button--primary" disabled={busy !== null} onClick={commit}>
            {s?.loaded ? t('areas.networkImport.commit', { segments: s.segments }) : t('areas.networkImport.commitNew')}
          </button>
        )}
      </div>
      {busy === 'preview' && (
        <p className="outline-import__progress" role="status">
          <progress aria-label={t('areas.networkImport.previewing')} />
          {t('areas.networkImport.previewing')}
        </p>
      )}
      {busy === 'commit' && progress && (
        <p className="outline-import__progress" role="status">
          <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={t(`areas.networkImport.stages.${progress.stage as Stage}`)} />
          {t('areas.networkImport.progress', { stage: t(`areas.networkImport.stages.${progress.stage as Stage}`), done: Math.min(progress.done + 1, progress.total), total: progress.total })}
        </p>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}

      {preview && (
        <div className="outline-import__preview">
          <p role="status">{t('areas.networkImport.summary', { format: preview.format, lines: preview.lines, walkable: preview.walkableLines, leftOut })}</p>
          {preview.ignored.length > 0 && (
            <p className="outline-import__muted">{t('areas.networkImport.ignored', { list: preview.ignored.map((c) => `${c.roadClass} × ${c.lines}`).join('，') })}</p>
          )}
          <div className="network-import__columns">
            <table className="outline-import__table network-import__classes">
              <caption>{t('areas.networkImport.classTable.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('areas.networkImport.classTable.roadClass')}</th>
                  <th scope="col">{t('areas.networkImport.classTable.lines')}</th>
                  <th scope="col">{t('areas.networkImport.classTable.use')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.byClass.map((c) => (
                  <tr key={c.roadClass} className={c.walkable ? undefined : 'network-import__row--left-out'}>
                    <td>{className(c.roadClass)}</td>
                    <td>{c.lines}</td>
                    <td>{t(`areas.networkImport.classTable.${c.walkable ? 'walkable' : 'leftOut'}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="network-import__graph">
              <h3>{t('areas.networkImport.graphTitle')}</h3>
              {report ? (
                <ul>
                  <li>{t('areas.networkImport.graph', { nodes: report.nodes, edges: report.edges, km: (report.lengthMeters / 1000).toFixed(1), mainKm: (report.mainLengthMeters / 1000).toFixed(1) })}</li>
                  <li><span className="outline-import__swatch" style={{ background: NETWORK_COLOURS.island }} />{t('areas.networkImport.islands', { count: report.islands, meters: meters(report.islandLengthMeters) })}</li>
                  <li><span className="outline-import__swatch" style={{ background: NETWORK_COLOURS.dangling }} />{t('areas.networkImport.dangling', { count: report.danglingEnds, meters: meters(report.danglingLengthMeters) })}</li>
                </ul>
              ) : <p>{t('areas.networkImport.noGraph')}</p>}
            </div>
          </div>
          {preview.drawnTruncated && <p className="outline-import__muted">{t('areas.networkImport.truncated', { count: preview.drawn.features.length })}</p>}
          <div className="outline-import__map-wrap">
            <div ref={mapRef} className="outline-import__map network-import__map" data-testid="network-import-map" />
            <ul className="outline-import__legend" aria-label={t('areas.networkImport.mapLabel')}>
              {(['walkable', 'leftOut', 'island', 'dangling'] as const).map((k) => (
                <li key={k}><span className="outline-import__swatch" style={{ background: NETWORK_COLOURS[k] }} />{t(`areas.networkImport.legend.${k}`)}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
