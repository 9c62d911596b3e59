/**
 * Import of a CSV/Excel export (e.g. 12345 hotline tickets): choose the file, its coordinate
 * system and default source; preview says row by row what is wrong and nothing is written; the
 * import writes all rows or none, with progress while the server works.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportPreview } from '../../../server/modules/incidents/schemas';
import { api, formWithFile } from '../api/client';
import { describeError } from '../i18n/describe-error';
import { FilePicker } from '../app/FilePicker';

const postFile = <T,>(url: string, file: File, fields: Record<string, string>) => api.post<T>(url, formWithFile(file, fields));

export function ImportPanel({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState('wgs84');
  const [source, setSource] = useState('hotline_12345');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function runPreview() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      setPreview(await postFile<ImportPreview>('/api/incidents/import/preview', file, { crs, source }));
    } catch (e) {
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
      let current = await postFile<ImportJob>('/api/incidents/import', file, { crs, source });
      setJob(current);
      while (current.state === 'running') {
        await new Promise((r) => setTimeout(r, 500));
        current = await api.get<ImportJob>(`/api/incidents/import/jobs/${current.id}`);
        setJob(current);
      }
      if (current.state === 'done') onImported();
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
      <label className="stacked">
        {t('incidents.import.file')}
        <FilePicker  accept=".csv,.xlsx" onChange={(e) => (setFile(e.target.files?.[0] ?? null), setPreview(null), setJob(null))} />
      </label>
      <label className="stacked">
        {t('incidents.import.crs')}
        <select value={crs} onChange={(e) => setCrs(e.target.value)}>
          {(['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const).map((c) => (
            <option key={c} value={c}>
              {t(`incidents.import.crsNames.${c}`)}
            </option>
          ))}
        </select>
      </label>
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
        <button type="button" disabled={!file || busy} onClick={runPreview}>
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
          <p className="small">{t('incidents.import.summary', { rows: preview.rows, toCreate: preview.toCreate, duplicates: preview.duplicates, errors: preview.errors.length })}</p>
          {preview.errors.length > 0 ? (
            <ul className="import-errors small">
              {preview.errors.slice(0, 50).map((e, k) => (
                <li key={k}>{t('incidents.import.rowError', { row: e.row, column: e.column ?? '—', message: e.message })}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {job ? (
        <div>
          <progress max={100} value={percent} aria-label={t('incidents.import.progress')} /> {percent}%
          <p className="small" role="status">
            {job.state === 'done'
              ? t('incidents.import.done', { created: job.created, duplicates: job.duplicates })
              : job.state === 'failed'
                ? job.message
                : t(`incidents.import.phase.${job.phase}`)}
          </p>
        </div>
      ) : null}
    </details>
  );
}
