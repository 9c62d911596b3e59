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
import { useApi } from '../api/useApi';
import { fetchHierarchyRoot } from '../app/EmptyState';
import { GridExportMenu, type GridExportArea } from '../exports/ExportMenu';
import { commitImport, previewImport, type ImportOptions, type ImportPreview } from './plan-api';
import { FileButton } from '../imports-ui/FileButton';
import { asksForCrs, CrsChoice, type CrsValue } from '../imports-ui/CrsChoice';
import { CrsHintNotice } from '../imports-ui/CrsHintNotice';
import { loadRefusalCatalogue, problemText } from '../api/client';

const FIELDS = ['code', 'name', 'communityCode', 'gridType', 'dedicatedKind', 'households', 'residents', 'residents60Plus', 'residents80Plus', 'leaderName', 'leaderPhone', 'managers'] as const;
const VECTOR_FILES = '.geojson,.json,.zip,.kml,.kmz,.gpkg,.fgb,.gml,.dxf,.csv';
const ENCODINGS: ImportOptions['encoding'][] = ['auto', 'utf-8', 'gbk', 'gb18030'];

export interface TransferPanelProps {
  communityCode: string | null;
  communityName: string | null;
  streetCode: string | null;
  streetName: string | null;
  onPreview(preview: ImportPreview | null): void;
  onImported(result: { created: number; updated: number; retired: number }): void;
  /** The printable map as a PNG, or zipped with its world file and .prj. */
  onPrint(georeferenced?: boolean): Promise<void>;
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
  const [crs, setCrs] = useState<CrsValue>('auto');
  const [crsNeeded, setCrsNeeded] = useState(false);
  const [encoding, setEncoding] = useState<ImportOptions['encoding']>('auto');
  const [mapping, setMapping] = useState<Record<string, string> | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const scopeCode = scope === 'community' ? props.communityCode : props.streetCode;

  const options = (system: CrsValue = crs): ImportOptions => ({ scope: scopeCode!, crs: system, encoding, ...(mapping ? { mapping } : {}) });
  const run = async (step: 'preview' | 'commit', system: CrsValue = crs) => {
    if (!file || !scopeCode) return;
    setBusy(true);
    setMessage(null);
    try {
      if (step === 'preview') {
        const result = await previewImport(file, options(system));
        // Feature errors are said in the UI's language from the refusal catalogue.
        if (result.errors.length > 0) await loadRefusalCatalogue();
        setCrsNeeded(false);
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
      setCrsNeeded(asksForCrs(failure));
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  // Grids can be exported for the chosen community or street, its district, or the whole city.
  const root = useApi((signal) => fetchHierarchyRoot(signal), []);
  const districtCode = props.streetCode?.slice(0, 6) ?? null;
  const exportAreas: GridExportArea[] = [
    ...(props.communityCode ? [{ level: 'community' as const, code: props.communityCode, name: props.communityName ?? props.communityCode }] : []),
    ...(props.streetCode ? [{ level: 'street' as const, code: props.streetCode, name: props.streetName ?? props.streetCode }] : []),
    ...(root.data?.districts ?? []).filter((d) => !districtCode || d.code === districtCode).map((d) => ({ level: 'district' as const, code: d.code, name: d.name })),
    ...(root.data?.level === 'city' && root.data.code ? [{ level: 'city' as const, code: root.data.code, name: root.data.name }] : []),
  ];

  const blocking = preview ? preview.findings.filter((f) => f.severity === 'error').length : 0;
  const created = preview ? preview.rows.filter((r) => r.status === 'new').length : 0;

  return (
    <div>
      <section className="plan-section" aria-labelledby={`${id}-import`}>
        <h2 id={`${id}-import`} className="plan-section__title">{t('plan.transfer.importTitle')}</h2>
        <FileButton label={t('plan.transfer.file')} accept={VECTOR_FILES} file={file} help={t('imports.formats.vector')}
          onChange={(f) => { setFile(f); setPreview(null); setMapping(null); setCrsNeeded(false); props.onPreview(null); }} />
        <div className="plan-grid-2">
          <label className="plan-field" htmlFor={`${id}-scope`}>
            <span>{t('plan.transfer.scope')}</span>
            <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value as 'community' | 'street')}>
              {props.communityCode && <option value="community">{props.communityName}</option>}
              {props.streetCode && <option value="street">{props.streetName}</option>}
            </select>
          </label>
          <CrsChoice kind="vector" value={crs} needed={crsNeeded} onChange={(c) => { setCrs(c); setCrsNeeded(false); setPreview(null); props.onPreview(null); }} />
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
            <CrsHintNotice hint={preview.crsHint} onUse={(system) => { setCrs(system); void run('preview', system); }} />
            {preview.encoding && <p className="plan-muted">{t('plan.transfer.encodingUsed', { name: preview.encoding.name.toUpperCase(), from: t(`plan.transfer.from.${preview.encoding.from as 'cpg'}`) })}</p>}
            {!preview.canCommit && <p className="error-box">{t('plan.transfer.blocked')}</p>}
            <ul className="plan-import-errors">
              {preview.errors.slice(0, 20).map((e, i) => <li key={i}>{t('plan.transfer.featureError', { feature: e.feature, message: problemText(e) })}</li>)}
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
        <GridExportMenu areas={exportAreas} />
      </section>

      {props.communityCode && (
        <section className="plan-section" aria-labelledby={`${id}-print`}>
          <h2 id={`${id}-print`} className="plan-section__title">{t('plan.transfer.printTitle')}</h2>
          <div className="button-row">
            {[false, true].map((georeferenced) => (
              <button key={String(georeferenced)} type="button" className="button" disabled={busy} title={georeferenced ? t('exports.png.note') : undefined} onClick={async () => {
                setBusy(true);
                try { await props.onPrint(georeferenced); } catch (failure) { setMessage({ kind: 'error', text: describeError(failure, t) }); } finally { setBusy(false); }
              }}>{georeferenced ? t('exports.png.georeferenced') : t('plan.transfer.print')}</button>
            ))}
          </div>
        </section>
      )}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </div>
  );
}
