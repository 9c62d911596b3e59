/**
 * The export menus: one small form (format, coordinate system, Shapefile encoding, an export
 * button that says when the file is being written) and its uses where the data are — grids on
 * /plan, facilities on /facilities, incidents and their analyses on /incidents.
 */
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../i18n/describe-error';
import { downloadFile, queryOf, takesCrs, TABLE_FORMATS, VECTOR_FORMATS, type ExportChoice, type ExportCrs, type ExportFormat, type Query, type ShapefileEncoding } from './exports-api';
import './exports.css';

const ALL_FORMATS: readonly ExportFormat[] = [...VECTOR_FORMATS, ...TABLE_FORMATS];

export interface ExportMenuProps {
  title: string;
  note?: string;
  formats?: readonly ExportFormat[];
  /** Further choices shown above the format (e.g. the area). */
  children?: ReactNode;
  disabled?: boolean;
  /** Writes and saves the file; resolves to its name. */
  onExport(choice: ExportChoice): Promise<string>;
}

export function ExportMenu({ title, note, formats = ALL_FORMATS, children, disabled, onExport }: ExportMenuProps) {
  const { t } = useTranslation();
  const id = useId();
  const [format, setFormat] = useState<ExportFormat>(formats[0]!);
  const [crs, setCrs] = useState<ExportCrs>('4326');
  const [encoding, setEncoding] = useState<ShapefileEncoding>('utf-8');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);

  const run = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const file = await onExport({ format, crs, encoding });
      setMessage({ kind: 'info', text: t('exports.done', { file }) });
    } catch (failure) {
      setMessage({ kind: 'error', text: t('exports.failed', { message: describeError(failure, t) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="export-menu" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="export-menu__title">{title}</h3>
      {note && <p className="export-menu__note">{note}</p>}
      {children}
      <div className="export-menu__row">
        <div className="field">
          <label className="field-label" htmlFor={`${id}-format`}>{t('exports.format')}</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={busy}>
            {formats.map((f) => <option key={f} value={f}>{t(`exports.formats.${f}`)}</option>)}
          </select>
        </div>
        {takesCrs(format) ? (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-crs`}>{t('exports.crs')}</label>
            <select id={`${id}-crs`} value={crs} onChange={(e) => setCrs(e.target.value as ExportCrs)} disabled={busy}>
              {(['4326', '4490'] as const).map((c) => <option key={c} value={c}>{t(`exports.crsOptions.${c}`)}</option>)}
            </select>
          </div>
        ) : null}
        {format === 'shp' ? (
          <div className="field">
            <label className="field-label" htmlFor={`${id}-encoding`}>{t('exports.encoding')}</label>
            <select id={`${id}-encoding`} value={encoding} onChange={(e) => setEncoding(e.target.value as ShapefileEncoding)} disabled={busy}>
              {(['utf-8', 'gbk'] as const).map((c) => <option key={c} value={c}>{t(`exports.encodings.${c}`)}</option>)}
            </select>
          </div>
        ) : null}
      </div>
      {!takesCrs(format) && formats.some(takesCrs) && <p className="export-menu__hint">{t('exports.crsFixed')}</p>}
      <button type="button" className="button button--primary" disabled={busy || disabled} onClick={run}>
        {busy ? t('exports.downloading') : t('exports.download')}
      </button>
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}

// ---------------------------------------------------------------- grids (/plan)

export interface GridExportArea {
  level: 'community' | 'street' | 'district' | 'city';
  code: string;
  name: string;
}

/** Grids of the chosen community, street, district or city. */
export function GridExportMenu({ areas }: { areas: readonly GridExportArea[] }) {
  const { t } = useTranslation();
  const id = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const area = areas.find((a) => a.code === chosen) ?? areas[0];
  if (!area) return null;
  return (
    <ExportMenu
      title={t('exports.grids.title')}
      note={t('exports.grids.note')}
      formats={['geojson', 'shp', 'gpkg', 'xlsx']}
      onExport={(choice) => downloadFile('/api/exports/grids', { area: area.code, ...queryOf(choice) }, `grids-${area.code}`)}
    >
      <div className="field">
        <label className="field-label" htmlFor={`${id}-scope`}>{t('exports.scope')}</label>
        <select id={`${id}-scope`} value={area.code} onChange={(e) => setChosen(e.target.value)}>
          {areas.map((a) => <option key={a.code} value={a.code}>{t(`exports.scopes.${a.level}`, { name: a.name })}</option>)}
        </select>
      </div>
    </ExportMenu>
  );
}

// ---------------------------------------------------------------- facilities (/facilities)

/** Facilities as filtered on the page (text, type codes, a street or community). */
export function FacilitiesExportMenu({ q, types, community }: { q?: string; types?: readonly string[]; community?: string }) {
  const { t } = useTranslation();
  const filter: Query = { q: q?.trim() || undefined, type: types && types.length ? types.join(',') : undefined, community };
  return (
    <ExportMenu
      title={t('exports.facilities.title')}
      note={t('exports.facilities.note')}
      formats={['xlsx', 'csv', 'geojson', 'shp', 'gpkg']}
      onExport={(choice) => downloadFile('/api/facilities/export', { ...filter, ...queryOf(choice) }, 'facilities')}
    />
  );
}

// ---------------------------------------------------------------- incidents (/incidents)

/** The incidents of the list's filter (the query of GET /api/incidents/list: from, to, category, status, source, area). */
export function IncidentsExportMenu({ filter }: { filter: Query }) {
  const { t } = useTranslation();
  return (
    <ExportMenu
      title={t('exports.incidents.title')}
      note={t('exports.incidents.note')}
      formats={['xlsx', 'csv', 'geojson', 'shp', 'gpkg']}
      onExport={(choice) => downloadFile('/api/incidents/export', { ...filter, ...queryOf(choice) }, 'incidents')}
    />
  );
}

/** The hexagon bins and the Gi* classes of the analysis on screen, as GeoJSON. */
export function AnalysisExportButtons({ filter, sizeMeters, contiguity }: { filter: Query; sizeMeters: number; contiguity?: 'rook' | 'queen' }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const run = async (path: string, query: Query, name: string) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: 'info', text: t('exports.done', { file: await downloadFile(path, query, name) }) });
    } catch (failure) {
      setMessage({ kind: 'error', text: t('exports.failed', { message: describeError(failure, t) }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="export-menu" aria-label={t('exports.analysis.title')}>
      <h3 className="export-menu__title">{t('exports.analysis.title')}</h3>
      <div className="button-row">
        <button type="button" className="button button--small" disabled={busy} onClick={() => run('/api/incidents/hexagons/export', { ...filter, sizeMeters }, 'incident-hexagons.geojson')}>
          {t('exports.analysis.hexagons')}
        </button>
        <button type="button" className="button button--small" disabled={busy} onClick={() => run('/api/incidents/hotspots/export', { ...filter, contiguity }, 'incident-hotspots.geojson')}>
          {t('exports.analysis.hotspots')}
        </button>
      </div>
      {busy && <p className="export-menu__hint" role="status">{t('exports.downloading')}</p>}
      {message && <p className={message.kind === 'error' ? 'error-box' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}
