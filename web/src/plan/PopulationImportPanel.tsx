/**
 * 人口与楼栋: the buildings import (file, coordinate system → preview with counts, errors by row and
 * column, a table and the points on the map → import all or nothing as a job with progress) and
 * the figures-per-grid import for grids without buildings.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeatureCollection } from 'geojson';
import { describeError } from '../i18n/describe-error';
import { FileButton } from '../imports-ui/FileButton';
import type { SourceCrs } from '../../../server/shared/coordinates';
import { jobFailureText, loadRefusalCatalogue, problemText } from '../api/client';
import { followJob } from '../api/jobs';
import {
  commitGridFigures, fetchBuildingJob, previewBuildings, previewGridFigures, startBuildingImport,
  type BuildingJob, type BuildingPreview, type FiguresPreview,
} from './population-api';

const CRS: SourceCrs[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'];
const LISTED = 200;

export interface PopulationImportPanelProps {
  /** The previewed buildings as points for the map, or null to clear them. */
  onPreviewPoints(points: FeatureCollection | null): void;
  /** Buildings or figures were imported: grid figures changed. */
  onImported(): void;
}

export function PopulationImportPanel({ onPreviewPoints, onImported }: PopulationImportPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<SourceCrs>('wgs84');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<BuildingPreview | null>(null);
  const [job, setJob] = useState<BuildingJob | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const [figuresFile, setFiguresFile] = useState<File | null>(null);
  const [figures, setFigures] = useState<FiguresPreview | null>(null);
  const [figuresMessage, setFiguresMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const clear = () => { setPreview(null); setJob(null); setMessage(null); onPreviewPoints(null); };

  const runPreview = async () => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await previewBuildings(file, crs);
      // Row errors are said in the UI's language from the refusal catalogue.
      if (result.errors.length > 0) await loadRefusalCatalogue();
      setPreview(result);
      onPreviewPoints({
        type: 'FeatureCollection',
        features: result.points.map(([lon, lat, row]) => ({ type: 'Feature', properties: { row }, geometry: { type: 'Point', coordinates: [lon!, lat!] } })),
      });
    } catch (failure) {
      setPreview(null);
      onPreviewPoints(null);
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const runCommit = async () => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const current = await followJob(await startBuildingImport(file, crs, reason), fetchBuildingJob, setJob);
      if (current.status === 'done' && current.result) {
        setPreview(null);
        onPreviewPoints(null);
        setMessage({ kind: 'info', text: t('population.buildings.done', { ...current.result }) });
        onImported();
      } else {
        setMessage({ kind: 'error', text: jobFailureText(current) });
      }
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const runFigures = async (step: 'preview' | 'commit') => {
    if (!figuresFile) return;
    setBusy(true);
    setFiguresMessage(null);
    try {
      if (step === 'preview') {
        const result = await previewGridFigures(figuresFile);
        if (result.errors.length > 0) await loadRefusalCatalogue();
        setFigures(result);
      }
      else {
        const result = await commitGridFigures(figuresFile, reason);
        setFigures(null);
        setFiguresMessage({ kind: 'info', text: t('population.figures.done', { ...result }) });
        onImported();
      }
    } catch (failure) {
      setFiguresMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const where = (unit: 'row' | 'feature', row: number) => t(unit === 'row' ? 'population.buildings.errorRow' : 'population.buildings.errorFeature', { row });
  const bc = 'population.buildings.columns';
  const fc = 'population.figures.columns';

  return (
    <>
      <section className="plan-section" aria-labelledby={`${id}-buildings`}>
        <h2 id={`${id}-buildings`} className="plan-section__title">{t('population.title')} · {t('population.buildings.title')}</h2>
        <p className="plan-muted">{t('population.buildings.intro')}</p>
        <FileButton label={t('population.buildings.file')} accept=".zip,.geojson,.json,.kml,.kmz,.gpkg,.fgb,.gml,.dxf,.csv,.xlsx,.xls,.ods" file={file}
          onChange={(f) => { setFile(f); clear(); }} />
        <label className="plan-field" htmlFor={`${id}-crs`}>
          <span>{t('population.buildings.crs')}</span>
          <select id={`${id}-crs`} value={crs} onChange={(e) => { setCrs(e.target.value as SourceCrs); clear(); }}>
            {CRS.map((c) => <option key={c} value={c}>{t(`population.crsOptions.${c}`)}</option>)}
          </select>
        </label>
        {preview && preview.errors.length === 0 && (
          <label className="plan-field" htmlFor={`${id}-reason`}>
            <span>{t('population.buildings.reason')}</span>
            <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
        <div className="button-row">
          <button type="button" className="button" disabled={!file || busy} onClick={runPreview}>{t('population.buildings.preview')}</button>
          {preview && (
            <button type="button" className="button button--primary" disabled={preview.errors.length > 0 || preview.totals.buildings === 0 || busy} onClick={runCommit}>
              {t('population.buildings.commit', { buildings: preview.totals.buildings })}
            </button>
          )}
        </div>
        {job && job.status === 'running' && (
          <div role="status">
            <p>{t('population.buildings.progress', { stage: t(`population.buildings.stages.${job.progress.stage}`, { defaultValue: job.progress.stage }), done: job.progress.done, total: job.progress.total })}</p>
            <progress max={Math.max(1, job.progress.total)} value={job.progress.done} />
          </div>
        )}
        {preview && (
          <div className="plan-import-summary" role="status">
            <p>{t('population.buildings.summary', { rows: preview.rowCount, buildings: preview.totals.buildings, households: preview.totals.households, residents: preview.totals.residents, r60: preview.totals.residents60Plus, r80: preview.totals.residents80Plus, errors: preview.errors.length })}</p>
            <ul className="plan-muted">
              {preview.communities.map((c) => (
                <li key={c.code || 'none'}>{c.code ? t('population.buildings.community', { name: c.name, buildings: c.buildings, households: c.households, replacing: c.replacing }) : t('population.buildings.unplaced', { buildings: c.buildings })}</li>
              ))}
            </ul>
            {preview.points.length > 0 && <p className="plan-muted">{t('population.buildings.onMap')}</p>}
            {preview.errors.length > 0 && (
              <>
                <p className="error-box">{t('population.buildings.blocked')}</p>
                <h3 className="plan-subtitle">{t('population.buildings.errorsTitle')}</h3>
                <ul className="plan-import-errors">
                  {preview.errors.slice(0, LISTED).map((e, i) => <li key={i}>{where(preview.unit, e.row)}{e.column ? ` · ${e.column}` : ''}{t('population.buildings.errorSeparator')}{problemText(e)}</li>)}
                </ul>
              </>
            )}
            {preview.rows.length > 0 && (
              <table className="plan-table">
                <thead><tr>{(['row', 'address', 'code', 'grid', 'households', 'residents', 'r60', 'r80'] as const).map((k) => <th key={k}>{t(`${bc}.${k}`)}</th>)}</tr></thead>
                <tbody>
                  {preview.rows.map((r) => (
                    <tr key={r.row}>
                      <td>{r.row}</td><td>{r.address ?? r.name}</td><td>{r.buildingCode ?? ''}</td><td title={r.gridCode ?? ''}>{r.gridCode ? `…${r.gridCode.slice(9)}` : ''}</td>
                      <td>{r.households}</td><td>{r.residents}</td><td>{r.residents60Plus}</td><td>{r.residents80Plus}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {preview.totals.buildings > preview.rows.length && <p className="plan-muted">{t('population.buildings.moreRows', { count: preview.totals.buildings - preview.rows.length })}</p>}
          </div>
        )}
        {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
      </section>

      <section className="plan-section" aria-labelledby={`${id}-figures`}>
        <h2 id={`${id}-figures`} className="plan-section__title">{t('population.title')} · {t('population.figures.title')}</h2>
        <p className="plan-muted">{t('population.figures.intro')}</p>
        <FileButton label={t('population.figures.file')} accept=".xlsx,.xls,.ods,.csv" file={figuresFile}
          onChange={(f) => { setFiguresFile(f); setFigures(null); setFiguresMessage(null); }} />
        <div className="button-row">
          <button type="button" className="button" disabled={!figuresFile || busy} onClick={() => runFigures('preview')}>{t('population.figures.preview')}</button>
          {figures && (
            <button type="button" className="button button--primary" disabled={figures.errors.length > 0 || figures.rows.length === 0 || busy} onClick={() => runFigures('commit')}>
              {t('population.figures.commit', { count: figures.rows.length })}
            </button>
          )}
        </div>
        {figures && (
          <div className="plan-import-summary" role="status">
            <p>{t('population.figures.summary', { rows: figures.rowCount, count: figures.rows.length, errors: figures.errors.length })}</p>
            {figures.errors.length > 0 && (
              <ul className="plan-import-errors">
                {figures.errors.slice(0, LISTED).map((e, i) => <li key={i}>{where('row', e.row)}{e.column ? ` · ${e.column}` : ''}{t('population.buildings.errorSeparator')}{problemText(e)}</li>)}
              </ul>
            )}
            {figures.rows.length > 0 && (
              <table className="plan-table">
                <thead><tr>{(['row', 'grid', 'name', 'households', 'residents', 'r60', 'r80'] as const).map((k) => <th key={k}>{t(`${fc}.${k}`)}</th>)}</tr></thead>
                <tbody>
                  {figures.rows.map((r) => (
                    <tr key={r.row}><td>{r.row}</td><td>{r.code}</td><td>{r.name}</td><td>{r.households}</td><td>{r.residents}</td><td>{r.residents60Plus}</td><td>{r.residents80Plus}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        )}
        {figuresMessage && <p className={figuresMessage.kind === 'error' ? 'error-box' : 'notice'} role={figuresMessage.kind === 'error' ? 'alert' : 'status'}>{figuresMessage.text}</p>}
      </section>
    </>
  );
}
