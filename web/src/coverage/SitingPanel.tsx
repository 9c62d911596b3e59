/**
 * "Where to build next": k, the new stations' type, the candidate sites (grid centres, building
 * points or an uploaded list), the optional exhaustive comparison; starts a run, shows its
 * progress and the suggestions, and can hand them to the what-if.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrsOptions } from '../app/CrsOptions';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';
import { describeError } from '../i18n/describe-error';
import { fetchSitingJob, startSiting, uploadCandidates, type CandidatesUpload, type Scenario, type SitingJob, type SitingResult, type SourceCrs } from './coverage-api';
import { formatCount, formatShare } from './format';
import { ErrorMessage } from '../app/ErrorMessage';
import { FileButton } from '../imports-ui/FileButton';
import { jobFailureText, loadRefusalCatalogue, problemText } from '../api/client';
import { followJob } from '../api/jobs';

type Source = 'grid_centroids' | 'building_points' | 'uploaded';

export interface SitingPanelProps {
  scenario: Scenario;
  types: readonly FacilityTypeInfo[];
  typeName(code: FacilityTypeCode): string;
  result: SitingResult | null;
  onResult(result: SitingResult | null): void;
  onApply(result: SitingResult): void;
}

export function SitingPanel({ scenario, types, typeName, result, onResult, onApply }: SitingPanelProps) {
  const { t } = useTranslation();
  const ids = { k: useId(), type: useId(), source: useId(), file: useId(), crs: useId() };
  const [k, setK] = useState(3);
  const [facilityType, setFacilityType] = useState<FacilityTypeCode>('home_elderly_care_station');
  const [source, setSource] = useState<Source>('grid_centroids');
  const [crs, setCrs] = useState<SourceCrs>('wgs84');
  const [uploaded, setUploaded] = useState<CandidatesUpload | null>(null);
  const [compare, setCompare] = useState(true);
  const [job, setJob] = useState<SitingJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const running = job?.status === 'running';

  const readFile = async (file: File | undefined, sourceCrs: SourceCrs) => {
    setUploaded(null);
    setError(null);
    if (!file) return;
    try {
      const read = await uploadCandidates(file, sourceCrs);
      // A row that could not be read is said in the UI's language from its code: the catalogue first.
      if (read.errors.length > 0) await loadRefusalCatalogue();
      setUploaded(read);
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  const run = async () => {
    setError(null);
    onResult(null);
    try {
      const started = await startSiting({
        scenario,
        k,
        facilityType,
        candidates: source,
        // A row without a name is named by its row, in the UI's language.
        ...(source === 'uploaded'
          ? { candidatePoints: (uploaded?.points ?? []).map((p) => ({ lon: p.lon, lat: p.lat, label: p.label ?? t('coverage.siting.rowLabel', { row: p.rowNumber }) })) }
          : {}),
        compareExhaustive: compare && k <= 3,
      });
      const ended = await followJob(started, (id) => fetchSitingJob(id), setJob, 250);
      if (ended.status === 'done') onResult(ended.result);
      if (ended.status === 'failed') setError(t('coverage.siting.failed', { message: jobFailureText(ended) }));
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  const progress = job?.progress;
  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;

  return (
    <section className="coverage-section" aria-labelledby={`${ids.k}-title`}>
      <h2 id={`${ids.k}-title`} className="coverage-section__title">{t('coverage.siting.title')}</h2>
      <p className="coverage-muted">{t('coverage.siting.intro')}</p>
      <div className="coverage-grid-2">
        <label className="coverage-field" htmlFor={ids.k}>
          <span>{t('coverage.siting.k')}</span>
          <input id={ids.k} type="number" min={1} max={30} value={k} onChange={(e) => setK(Math.max(1, Math.min(30, Number(e.target.value) || 1)))} />
        </label>
        <label className="coverage-field" htmlFor={ids.type}>
          <span>{t('coverage.siting.type')}</span>
          <select id={ids.type} value={facilityType} onChange={(e) => setFacilityType(e.target.value as FacilityTypeCode)}>
            {types.map((type) => (
              <option key={type.code} value={type.code}>
                {t('coverage.scenario.typeWithRadius', { type: typeName(type.code), radius: type.serviceRadiusMeters })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="coverage-field" htmlFor={ids.source}>
        <span>{t('coverage.siting.candidates')}</span>
        <select id={ids.source} value={source} onChange={(e) => setSource(e.target.value as Source)}>
          {(['grid_centroids', 'building_points', 'uploaded'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`coverage.siting.sources.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {source === 'uploaded' && (
        <div className="coverage-grid-2">
          <FileButton className="coverage-field" label={t('coverage.siting.upload')} inputRef={fileRef} accept=".csv,.xlsx"
            onChange={(f) => void readFile(f ?? undefined, crs)} />
          <label className="coverage-field" htmlFor={ids.crs}>
            <span>{t('coverage.siting.crs')}</span>
            <select
              id={ids.crs}
              value={crs}
              onChange={(e) => {
                const next = e.target.value as SourceCrs;
                setCrs(next);
                void readFile(fileRef.current?.files?.[0], next);
              }}
            >
              <CrsOptions />
            </select>
          </label>
          {uploaded && (
            <p className="coverage-muted" role="status">
              {t('coverage.siting.uploaded', { count: uploaded.points.length })}
              {uploaded.errors.length > 0 &&
                ` ${t('coverage.siting.uploadErrors', { count: uploaded.errors.length, row: uploaded.errors[0]!.rowNumber, message: problemText(uploaded.errors[0]!) })}`}
            </p>
          )}
        </div>
      )}
      <label className="coverage-check">
        <input type="checkbox" checked={compare && k <= 3} disabled={k > 3} onChange={(e) => setCompare(e.target.checked)} />
        <span>{t('coverage.siting.compare')}</span>
      </label>
      <div className="button-row">
        <button type="button" className="button button--primary" disabled={running || (source === 'uploaded' && !uploaded?.points.length)} onClick={() => void run()}>
          {running ? t('coverage.siting.running') : t('coverage.siting.run')}
        </button>
      </div>
      {running && progress && (
        <div className="coverage-progress">
          <progress max={100} value={percent} aria-label={t('coverage.siting.running')} />
          <span role="status">
            {t('coverage.siting.progress', { stage: t(`coverage.siting.stages.${progress.stage as 'queued'}`, { defaultValue: progress.stage }), done: formatCount(progress.done), total: formatCount(progress.total) })}
          </span>
        </div>
      )}
      <ErrorMessage message={error} />
      {result && (
        <div className="coverage-siting-result" aria-live="polite">
          <p>
            <strong>
              {t('coverage.siting.result', {
                count: result.suggestions.length,
                added: formatCount(result.totalAdded),
                from: formatShare(result.baseline.share),
                to: formatShare(result.suggestions.at(-1)?.shareAfter ?? result.baseline.share),
              })}
            </strong>
          </p>
          <ol className="coverage-suggestions">
            {result.suggestions.map((s) => (
              <li key={s.rank}>
                <span className="coverage-suggestions__label">{s.label}</span>
                <span>{t('coverage.siting.suggestion', { rank: s.rank, added: formatCount(s.addedCovered), buildings: s.addedBuildings, share: formatShare(s.shareAfter) })}</span>
              </li>
            ))}
          </ol>
          {result.exhaustive && (
            <p className="coverage-muted">
              {t('coverage.siting.exhaustive', {
                k: result.exhaustive.k,
                greedy: formatCount(result.exhaustive.greedyAdded),
                optimal: formatCount(result.exhaustive.optimalAdded),
                ratio: result.exhaustive.ratio.toFixed(3),
              })}
              {!result.exhaustive.complete && ` ${t('coverage.siting.exhaustiveIncomplete')}`}
            </p>
          )}
          <p className="coverage-muted">{t('coverage.siting.useful', { useful: formatCount(result.usefulCandidates), count: formatCount(result.candidateCount), ms: formatCount(result.elapsedMs) })}</p>
          {result.suggestions.length > 0 && (
            <button type="button" className="button" onClick={() => onApply(result)}>
              {t('coverage.siting.apply')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
