/**
 * Import (file, coordinate system, text encoding, field mapping → preview with validation →
 * import all or nothing), the import of grid leaders and managers, export (GeoJSON, Shapefile,
 * Excel) and the printable grid map.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { StaffImportPanel } from './StaffImportPanel';
import { PopulationImportPanel } from './PopulationImportPanel';
import type { FeatureCollection } from 'geojson';
import { commitImport, downloadExport, previewImport, type ImportOptions, type ImportPreview, type SourceCrs } from './plan-api';
import { FilePicker } from '../app/FilePicker';

const FIELDS = ['code', 'name', 'communityCode', 'gridType', 'dedicatedKind', 'households', 'residents', 'residents60Plus', 'residents80Plus', 'leaderName', 'leaderPhone', 'managers'] as const;
const CRS: SourceCrs[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'];
const ENCODINGS: ImportOptions['encoding'][] = ['auto', 'utf-8', 'gbk', 'gb18030'];

export interface TransferPanelProps {
  communityCode: string | null;
  communityName: string | null;
  streetCode: string | null;
  streetName: string | null;
  onPreview(preview: ImportPreview | null): void;
  onImported(result: { created: number; updated: number; retired: number }): void;
  onPrint(): Promise<void>;
  /** Grid leaders and managers were imported: the grids' staff changed. */
  onStaffImported(): void;
  /** Buildings previewed for import, as points for the map (null clears them). */
  onBuildingPreview(points: FeatureCollection | null): void;
  /** Buildings or grid figures were imported: grid figures changed. */
  onPopulationImported(): void;
}

export function TransferPanel(props: TransferPanelProps) {
  const { t } = useTranslation();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [scope, setScope] = useState<'community' | 'street'>('community');
  const [crs, setCrs] = useState<SourceCrs>('wgs84');
  const [encoding, setEncoding] = useState<ImportOptions['encoding']>('auto');
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const scopeCode = scope === 'community' ? props.communityCode : props.streetCode;

  const options = (): ImportOptions => ({ scope: scopeCode!, crs, encoding, ...(mapping ? { mapping } : {}) });
  const run = async (step: 'preview' | 'commit') => {
    if (!file || !scopeCode) return;
    setBusy(true);
    setMessage(null);
    try {
      if (step === 'preview') {
        const result = await previewImport(file, options());
        setPreview(result);
        setMapping((m) => m ?? result.mapping);
        props.onPreview(result);
      } else {
        const result = await commitImport(file, options());
        setPreview(null);
        props.onPreview(null);
        props.onImported(result);
      }
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const exportAs = async (area: string, format: 'geojson' | 'shapefile' | 'xlsx', fileEncoding: 'utf-8' | 'gbk' = 'utf-8') => {
    setBusy(true);
    setMessage(null);
    try {
      const fileName = await downloadExport(area, format, fileEncoding);
      setMessage({ kind: 'info', text: t('plan.transfer.exported', { file: fileName }) });
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const blocking = preview ? preview.findings.filter((f) => f.severity === 'error').length : 0;
  const created = preview ? preview.rows.filter((r) => r.status === 'new').length : 0;

  return (
    <div>
      <section className="plan-section" aria-labelledby={`${id}-import`}>
        <h2 id={`${id}-import`} className="plan-section__title">{t('plan.transfer.importTitle')}</h2>
        <label className="plan-field" htmlFor={`${id}-file`}>
          <span>{t('plan.transfer.file')}</span>
          <FilePicker id={`${id}-file`}  accept=".geojson,.json,.zip,.kml,.kmz" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setPreview(null); setMapping(null); props.onPreview(null); }} />
        </label>
        <div className="plan-grid-2">
          <label className="plan-field" htmlFor={`${id}-scope`}>
            <span>{t('plan.transfer.scope')}</span>
            <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value as 'community' | 'street')}>
              {props.communityCode && <option value="community">{props.communityName}</option>}
              {props.streetCode && <option value="street">{props.streetName}</option>}
            </select>
          </label>
          <label className="plan-field" htmlFor={`${id}-crs`}>
            <span>{t('plan.transfer.crs')}</span>
            <select id={`${id}-crs`} value={crs} onChange={(e) => setCrs(e.target.value as SourceCrs)}>
              {CRS.map((c) => <option key={c} value={c}>{t(`plan.transfer.crsOptions.${c}`)}</option>)}
            </select>
          </label>
          <label className="plan-field" htmlFor={`${id}-encoding`}>
            <span>{t('plan.transfer.encoding')}</span>
            <select id={`${id}-encoding`} value={encoding} onChange={(e) => setEncoding(e.target.value as ImportOptions['encoding'])}>
              {ENCODINGS.map((c) => <option key={c} value={c}>{t(`plan.transfer.encodingOptions.${c}`)}</option>)}
            </select>
          </label>
        </div>
        {preview && mapping && (
          <fieldset className="plan-fieldset">
            <legend>{t('plan.transfer.mapping')}</legend>
            <div className="plan-grid-2">
              {FIELDS.map((field) => (
                <label key={field} className="plan-field" htmlFor={`${id}-map-${field}`}>
                  <span>{t(`plan.transfer.fields.${field}`)}</span>
                  <select id={`${id}-map-${field}`} value={mapping[field] ?? ''} onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value }))}>
                    <option value="">{t('plan.transfer.mappingNone')}</option>
                    {preview.sourceFields.map((s) => <option key={s} value={s}>{s}</option>)}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <div className="button-row">
          <button type="button" className="button" disabled={!file || !scopeCode || busy} onClick={() => run('preview')}>{t('plan.transfer.preview')}</button>
          {preview && (
            <button type="button" className="button button--primary" disabled={!preview.canCommit || busy} onClick={() => run('commit')}>{t('plan.transfer.commit')}</button>
          )}
        </div>
        {preview && (
          <div className="plan-import-summary" role="status">
            <p>{t('plan.transfer.previewSummary', { features: preview.featureCount, created, updated: preview.rows.length - created, retiring: preview.retiring.length, errors: preview.errors.length, blocking })}</p>
            {preview.encoding && <p className="plan-muted">{t('plan.transfer.encodingUsed', { name: preview.encoding.name.toUpperCase(), from: t(`plan.transfer.from.${preview.encoding.from as 'cpg'}`) })}</p>}
            {!preview.canCommit && <p className="error-box">{t('plan.transfer.blocked')}</p>}
            <ul className="plan-import-errors">
              {preview.errors.slice(0, 20).map((e, i) => <li key={i}>{t('plan.transfer.featureError', { feature: e.feature, message: e.message })}</li>)}
              {preview.findings.filter((f) => f.severity === 'error').slice(0, 20).map((f, i) => (
                <li key={`f${i}`}>{t(`plan.problems.kinds.${f.kind}`)} · {f.gridCodes.filter(Boolean).join('、')}{f.areaSquareMeters !== null ? ` · ${t('plan.problems.detail.area', { area: f.areaSquareMeters.toLocaleString() })}` : ''}</li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <StaffImportPanel onImported={props.onStaffImported} />

      <PopulationImportPanel onPreviewPoints={props.onBuildingPreview} onImported={props.onPopulationImported} />

      <section className="plan-section" aria-labelledby={`${id}-export`}>
        <h2 id={`${id}-export`} className="plan-section__title">{t('plan.transfer.exportTitle')}</h2>
        {[props.communityCode && { code: props.communityCode, name: props.communityName }, props.streetCode && { code: props.streetCode, name: props.streetName }]
          .filter((x): x is { code: string; name: string | null } => Boolean(x))
          .map((area) => (
            <div key={area.code} className="plan-export-row">
              <span className="plan-export-row__name">{area.name}</span>
              <div className="button-row">
                <button type="button" className="button button--small" disabled={busy} onClick={() => exportAs(area.code, 'geojson')} aria-label={`${t('plan.transfer.geojson')} ${area.name}`}>{t('plan.transfer.geojson')}</button>
                <button type="button" className="button button--small" disabled={busy} onClick={() => exportAs(area.code, 'shapefile')} aria-label={`${t('plan.transfer.shapefile')} ${area.name}`}>{t('plan.transfer.shapefile')}</button>
                <button type="button" className="button button--small" disabled={busy} onClick={() => exportAs(area.code, 'shapefile', 'gbk')} aria-label={`${t('plan.transfer.shapefileGbk')} ${area.name}`}>{t('plan.transfer.shapefileGbk')}</button>
                <button type="button" className="button button--small" disabled={busy} onClick={() => exportAs(area.code, 'xlsx')} aria-label={`${t('plan.transfer.excel')} ${area.name}`}>{t('plan.transfer.excel')}</button>
              </div>
            </div>
          ))}
      </section>

      {props.communityCode && (
        <section className="plan-section" aria-labelledby={`${id}-print`}>
          <h2 id={`${id}-print`} className="plan-section__title">{t('plan.transfer.printTitle')}</h2>
          <button type="button" className="button" disabled={busy} onClick={async () => {
            setBusy(true);
            try { await props.onPrint(); } catch (failure) { setMessage({ kind: 'error', text: describeError(failure, t) }); } finally { setBusy(false); }
          }}>{t('plan.transfer.print')}</button>
        </section>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </div>
  );
}
