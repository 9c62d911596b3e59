/**
 * Import of a CSV/Excel export (e.g. 12345 hotline tickets): choose the file, its coordinate
 * system and default source; preview says row by row what is wrong and nothing is written; the
 * import writes all rows or none, with progress while the server works.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportPreview } from '../../../server/modules/incidents/schemas';
import { api, formWithFile, jobFailureText, loadRefusalCatalogue, problemText } from '../api/client';
import { describeError } from '../i18n/describe-error';
import { FileButton } from '../imports-ui/FileButton';
import { asksForCrs, CrsChoice, type CrsValue } from '../imports-ui/CrsChoice';
import { CrsHintNotice } from '../imports-ui/CrsHintNotice';
import { useApi } from '../api/useApi';
import { fetchClientConfig } from '../api/endpoints';
import type { BasemapSettings } from '../map/basemap';
import { useMapView } from '../map/useMapView';
import { ImportPreviewLayers } from './ImportPreviewLayers';
import { followJob } from '../api/jobs';

const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };

const postFile = <T,>(url: string, file: File, fields: Record<string, string>) => api.post<T>(url, formWithFile(file, fields));

export function ImportPanel({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  // A table never says its coordinate system: no default, the analyst chooses.
  const [crs, setCrs] = useState<CrsValue>('');
  const [crsNeeded, setCrsNeeded] = useState(false);
  const [source, setSource] = useState('hotline_12345');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The preview's map: where the rows would land over the district's areas, grids and roads.
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const mapRef = useRef<HTMLDivElement | null>(null);
  const view = useMapView(mapRef, preview ? basemap : null, t('incidents.import.mapLabel'));
  const [layers, setLayers] = useState<ImportPreviewLayers | null>(null);
  useEffect(() => {
    if (!view) return;
    let cancelled = false;
    void view.whenReady().then(() => { if (!cancelled) setLayers(new ImportPreviewLayers(view)); });
    return () => {
      cancelled = true;
      setLayers(null);
    };
  }, [view]);
  useEffect(() => {
    layers?.show(preview ? preview.points : null);
  }, [layers, preview]);

  async function runPreview(system: CrsValue = crs) {
    if (!file) return;
    if (!system) {
      setCrsNeeded(true);
      return;
    }
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const checked = await postFile<ImportPreview>('/api/incidents/import/preview', file, { crs: system, source });
      // The row errors are said in the UI's language from their codes: the catalogue first.
      if (checked.errors.length > 0) await loadRefusalCatalogue();
      setPreview(checked);
    } catch (e) {
      setCrsNeeded(asksForCrs(e));
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function runImport() {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const started = await postFile<ImportJob>('/api/incidents/import', file, { crs, source });
      const finished = await followJob(started, (id) => api.get<ImportJob>(`/api/incidents/import/jobs/${id}`), setJob, 500);
      if (finished.state === 'done') onImported();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  const percent = job && job.totalRows > 0 ? Math.round((job.processedRows / job.totalRows) * 100) : 0;
  return (
    <details className="import-panel">
      <summary>{t('incidents.import.title')}</summary>
      <FileButton label={t('incidents.import.file')} accept=".csv,.xlsx,.xls,.ods" file={file} help={t('imports.formats.table')}
        onChange={(f) => (setFile(f), setPreview(null), setJob(null))} />
      <CrsChoice kind="table" className="stacked" value={crs} needed={crsNeeded} onChange={(c) => (setCrs(c), setCrsNeeded(false), setPreview(null))} />
      <label className="stacked">
        {t('incidents.import.defaultSource')}
        <select value={source} onChange={(e) => setSource(e.target.value)}>
          {(['hotline_12345', 'public', 'grid_worker', 'video', 'higher_level'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`incidents.sources.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="small muted">{t('incidents.import.columns')}</p>
      <div className="button-row">
        <button type="button" disabled={!file || busy} onClick={() => void runPreview()}>
          {t('incidents.import.preview')}
        </button>
        <button type="button" disabled={!file || busy || !preview || preview.errors.length > 0 || preview.toCreate === 0} onClick={runImport}>
          {t('incidents.import.run')}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {preview ? (
        <div role="status">
          <CrsHintNotice hint={preview.crsHint} onUse={(system) => (setCrs(system), void runPreview(system))} />
          <p className="small">{t('incidents.import.summary', { rows: preview.rows, toCreate: preview.toCreate, duplicates: preview.duplicates, errors: preview.errors.length })}</p>
          <div ref={mapRef} className="import-preview-map" data-testid="incident-import-map" />
          <p className="small muted">{t('incidents.import.mapLegend', { count: preview.points.length })}</p>
          <RowErrors errors={preview.errors} />
        </div>
      ) : null}
      {job ? (
        <div>
          <progress max={100} value={percent} aria-label={t('incidents.import.progress')} /> {percent}%
          <p className="small" role="status">
            {job.state === 'done'
              ? t('incidents.import.done', { created: job.created, duplicates: job.duplicates })
              : job.state === 'failed'
                ? jobFailureText({ error: job.message, errorCode: job.code, errorParams: job.params })
                : t(`incidents.import.phase.${job.phase}`)}
          </p>
          {job.state === 'failed' ? <RowErrors errors={job.errors} /> : null}
        </div>
      ) : null}
    </details>
  );
}

/** The first row errors of a preview or a failed import, each in the UI's language (第 N 行（列）：…). */
function RowErrors({ errors }: { errors: ImportPreview['errors'] }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <ul className="import-errors small">
      {errors.slice(0, 50).map((e, k) => (
        <li key={k}>{t('incidents.import.rowError', { row: e.row, column: e.column ?? '—', message: problemText(e) })}</li>
      ))}
    </ul>
  );
}
