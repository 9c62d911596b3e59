/**
 * `/facilities`: planners and admins create, edit, move and retire facilities on the map and in a
 * form, set each type's service-circle radius, and import lists (preview, then all or nothing).
 * The map draws every facility from the vector tiles (filtered by type and visibility on the map);
 * a facility clicked there is fetched by id for the form, and every edit refreshes the tiles.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CrsOptions } from '../app/CrsOptions';
import { FileButton } from '../imports-ui/FileButton';
import { CrsChoice, type CrsValue } from '../imports-ui/CrsChoice';
import { CrsHintNotice } from '../imports-ui/CrsHintNotice';
import { Navigate } from 'react-router';
import { fetchClientConfig, fetchFacilityTypes, fetchServiceArea, type FacilityTypeCode, type FacilityTypeInfo, type ServiceAreaFeature } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { useSession } from '../app/session';
import { describeError } from '../i18n/describe-error';
import { loadRefusalCatalogue, problemText } from '../api/client';
import type { BasemapSettings } from '../map/basemap';
import type { LonLat } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import { fetchAreaTileJson } from '../map/tile-sources';
import { FACILITY_COLOURS } from '../public-map/facility-colours';
import { useFacilityTypeName } from '../public-map/facility-types';
import type { Role } from '../../../server/modules/auth/roles';
import { FacilitiesAdminLayers, type Visibility } from './FacilitiesAdminLayers';
import {
  commitImport,
  createFacility,
  fetchFacilityRecord,
  previewImport,
  retireFacility,
  setTypeRadius,
  updateFacility,
  type FacilityRecord,
  type ImportPreview,
  type SourceCrs,
} from './facilities-admin-api';
import '../coverage/coverage.css';
import { FacilitiesExportMenu } from '../exports/ExportMenu';
import './facilities-admin.css';
import { ErrorMessage } from '../app/ErrorMessage';
import { EmptyState } from '../app/EmptyState';
import { FacilityList } from './FacilityList';
import { enterDoesNotSubmit } from '../app/enter-safe';

export const FACILITY_EDITOR_ROLES: readonly Role[] = ['planner', 'admin'];
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
/** GB 50180-2018 walking radii for the life-circle time budgets, and the 700 m elderly-care norm. */
const RADIUS_PRESETS = [
  { minutes: 5, meters: 300 },
  { minutes: 10, meters: 500 },
  { minutes: 10.5, meters: 700 },
  { minutes: 15, meters: 1000 },
] as const;

interface FormState {
  facilityType: FacilityTypeCode;
  name: string;
  address: string;
  lon: string;
  lat: string;
  sourceCrs: SourceCrs;
  phone: string;
  openingHours: string;
  services: string;
  capacity: string;
  isPublic: boolean;
}

const emptyForm = (position: LonLat | null): FormState => ({
  facilityType: 'home_elderly_care_station',
  name: '',
  address: '',
  lon: position ? position[0].toFixed(6) : '',
  lat: position ? position[1].toFixed(6) : '',
  sourceCrs: 'wgs84',
  phone: '',
  openingHours: '',
  services: '',
  capacity: '',
  isPublic: true,
});

const formOf = (r: FacilityRecord): FormState => ({
  facilityType: r.facilityType,
  name: r.name,
  address: r.address,
  lon: r.lon.toFixed(6),
  lat: r.lat.toFixed(6),
  sourceCrs: 'wgs84',
  phone: r.phone ?? '',
  openingHours: r.openingHours ?? '',
  services: r.services.join('、'),
  capacity: r.capacity === null ? '' : String(r.capacity),
  isPublic: r.isPublic,
});

export function FacilitiesAdminPage() {
  const { user } = useSession();
  const { t } = useTranslation();
  if (user === undefined) return null;
  if (user === null) return <Navigate to="/login" replace />;
  if (!FACILITY_EDITOR_ROLES.includes(user.role)) return <p className="coverage-page-note" role="alert">{t('coverage.notAllowed')}</p>;
  return <FacilitiesWorkspace />;
}

function FacilitiesWorkspace() {
  const { t } = useTranslation();
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const types = useApi((signal) => fetchFacilityTypes(signal), []);
  const typeName = useFacilityTypeName(types.data);
  // The area tiles' TileJSON: its bounds are the first view.
  const areaTiles = useApi((signal) => fetchAreaTileJson(signal), []);
  const [visibleCount, setVisibleCount] = useState<number | null>(null);
  const [shownTypes, setShownTypes] = useState<ReadonlySet<FacilityTypeCode> | null>(null);
  const [visibility, setVisibility] = useState<Visibility>('all');

  // --- The map -----------------------------------------------------------------------------------
  const containerRef = useRef<HTMLDivElement>(null);
  const view = useMapView(containerRef, basemap, t('coverage.facilities.mapLabel'));
  const [layers, setLayers] = useState<FacilitiesAdminLayers | null>(null);
  const [ready, setReady] = useState(false);

  // --- Editing state ------------------------------------------------------------------------------
  const [record, setRecord] = useState<FacilityRecord | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [picking, setPicking] = useState<'create' | 'move' | null>(null);
  const [serviceArea, setServiceArea] = useState<ServiceAreaFeature | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const handlers = useRef({ select: (_id: number) => {}, pick: (_p: LonLat) => {} });
  const [revision, setRevision] = useState(0);
  const formRef = useRef<HTMLDivElement>(null);
  const refreshMap = () => (layers?.refresh(), setRevision((r) => r + 1));

  const select = useCallback(
    async (id: number) => {
      setMessage(null);
      setError(null);
      try {
        const r = await fetchFacilityRecord(id);
        setRecord(r);
        setForm(formOf(r));
        // The form opens in view, not below the fold.
        requestAnimationFrame(() => formRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
        setServiceArea(await fetchServiceArea(id).catch(() => null));
      } catch (failure) {
        setError(describeError(failure, t));
      }
    },
    [t],
  );
  handlers.current.select = (id) => void select(id);
  handlers.current.pick = (p) => {
    setForm((f) => (picking === 'create' ? { ...emptyForm(p), ...(f && !record ? { ...f, lon: p[0].toFixed(6), lat: p[1].toFixed(6), sourceCrs: 'wgs84' } : {}) } : f ? { ...f, lon: p[0].toFixed(6), lat: p[1].toFixed(6), sourceCrs: 'wgs84' } : f));
    setPicking(null);
  };

  useEffect(() => {
    if (!view) return;
    const created = new FacilitiesAdminLayers(view, {
      onFacilityClick: (id) => handlers.current.select(id),
      onPick: (p) => handlers.current.pick(p),
      onVisibleCount: setVisibleCount,
    });
    setLayers(created);
    let cancelled = false;
    void view.whenReady().then(() => {
      if (cancelled) return;
      setReady(true);
    });
    return () => {
      cancelled = true;
      created.destroy();
      setLayers(null);
      setReady(false);
    };
  }, [view]);
  useEffect(() => {
    const bounds = areaTiles.data?.bounds;
    if (view && bounds) view.fitBounds([bounds[0]!, bounds[1]!, bounds[2]!, bounds[3]!], { padding: 16, animate: false });
  }, [view, areaTiles.data]);
  const allTypes = useMemo(() => (types.data ?? []).map((type) => type.code), [types.data]);
  useEffect(() => {
    if (layers && types.data) layers.setFilter({ types: shownTypes ? [...shownTypes] : allTypes, visibility }, allTypes.length);
  }, [layers, types.data, allTypes, shownTypes, visibility]);
  useEffect(() => layers?.setSelected(record ? [record.lon, record.lat] : null, serviceArea), [layers, record, serviceArea]);
  useEffect(() => layers?.setPicking(picking !== null), [layers, picking]);
  const formPosition: LonLat | null = form && form.sourceCrs === 'wgs84' && form.lon && form.lat && Number.isFinite(Number(form.lon)) && Number.isFinite(Number(form.lat)) ? [Number(form.lon), Number(form.lat)] : null;
  const moved = record && formPosition ? Math.abs(formPosition[0] - record.lon) > 1e-7 || Math.abs(formPosition[1] - record.lat) > 1e-7 : false;
  useEffect(() => layers?.setPending(!record || moved ? formPosition : null), [layers, record, moved, formPosition?.[0], formPosition?.[1]]); // eslint-disable-line react-hooks/exhaustive-deps

  const startCreate = () => {
    setRecord(null);
    setServiceArea(null);
    setForm(emptyForm(null));
    setMessage(null);
    setError(null);
    setPicking('create');
  };

  const save = async () => {
    if (!form) return;
    setSaving(true);
    setError(null);
    setMessage(null);
    const fields = {
      facilityType: form.facilityType,
      name: form.name.trim(),
      address: form.address.trim(),
      phone: form.phone.trim() || null,
      openingHours: form.openingHours.trim() || null,
      services: form.services.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean),
      capacity: form.capacity.trim() === '' ? null : Number(form.capacity),
      isPublic: form.isPublic,
    };
    try {
      let saved: FacilityRecord;
      if (record) {
        const position = moved || form.sourceCrs !== 'wgs84' ? { lon: Number(form.lon), lat: Number(form.lat), sourceCrs: form.sourceCrs } : {};
        saved = await updateFacility(record.id, { version: record.version, ...fields, ...position });
        setMessage(t('coverage.facilities.form.saved', { version: saved.version }));
      } else {
        saved = await createFacility({ ...fields, lon: Number(form.lon), lat: Number(form.lat), sourceCrs: form.sourceCrs });
        setMessage(t('coverage.facilities.form.created', { name: saved.name }));
      }
      setRecord(saved);
      setForm(formOf(saved));
      setServiceArea(await fetchServiceArea(saved.id).catch(() => null));
      refreshMap();
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setSaving(false);
    }
  };

  const retire = async () => {
    if (!record || !window.confirm(t('coverage.facilities.form.retireConfirm', { name: record.name }))) return;
    setError(null);
    try {
      await retireFacility(record.id, record.version);
      setMessage(t('coverage.facilities.form.retired', { name: record.name }));
      setRecord(null);
      setForm(null);
      setServiceArea(null);
      refreshMap();
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };

  return (
    <div className="coverage-page">
      <aside className="coverage-panel" aria-label={t('coverage.facilities.title')}>
        <section className="coverage-section">
          <h1 className="coverage-title">{t('coverage.facilities.title')}</h1>
          <p className="coverage-muted">{t('coverage.facilities.intro')}</p>
          <EmptyState needs={['facilities', 'outlines']} />
          <p className="coverage-muted" role="status">
            {t('coverage.facilities.count', { count: visibleCount ?? 0 })}
          </p>
          <button type="button" className="button button--primary" onClick={startCreate}>
            {t('coverage.facilities.create')}
          </button>
        </section>

        {(message || error) && (
          <section className="coverage-section">
            {message && (
              <p className="fa-message" role="status">
                {message}
              </p>
            )}
            <ErrorMessage message={error} />
          </section>
        )}

        <div ref={formRef}>
          {form && types.data && (
            <FacilityForm
              form={form}
              record={record}
              types={types.data}
              typeName={typeName}
              saving={saving}
              picking={picking}
              onChange={setForm}
              onPick={() => setPicking(record ? 'move' : 'create')}
              onCancel={() => (setForm(null), setRecord(null), setServiceArea(null), setPicking(null))}
              onSave={() => void save()}
              onRetire={() => void retire()}
            />
          )}
        </div>

        {types.data && (
          <FacilityList
            types={shownTypes ? [...shownTypes] : null}
            typeName={typeName}
            selectedId={record?.id ?? null}
            revision={revision}
            onSelect={(f) => {
              view?.showPoint(f.geometry.coordinates as LonLat, 16);
              void select(f.properties.id);
            }}
          />
        )}

        {types.data && (
          <MapFilter
            types={types.data}
            typeName={typeName}
            shown={shownTypes ?? new Set(allTypes)}
            visibility={visibility}
            onShown={setShownTypes}
            onVisibility={setVisibility}
          />
        )}

        {types.data && <RadiusSettings types={types.data} typeName={typeName} onSaved={() => (types.reload(), record && void select(record.id))} />}
        <ImportPanel onImported={refreshMap} />
        <section className="coverage-section">
          <FacilitiesExportMenu types={shownTypes && shownTypes.size < allTypes.length ? [...shownTypes] : undefined} />
        </section>
      </aside>
      <div className="coverage-map">
        <div className={`coverage-map__canvas${picking ? ' is-picking' : ''}`} data-map-ready={ready ? 'true' : 'false'} data-facility-count={visibleCount ?? 0}>
          <div ref={containerRef} className="coverage-map__maplibre" />
        </div>
        {picking && <div className="pick-banner">{picking === 'create' ? t('coverage.facilities.createHint') : t('coverage.facilities.moveHint')}</div>}
      </div>
    </div>
  );
}

interface MapFilterProps {
  types: readonly FacilityTypeInfo[];
  typeName(code: FacilityTypeCode): string;
  shown: ReadonlySet<FacilityTypeCode>;
  visibility: Visibility;
  onShown(shown: ReadonlySet<FacilityTypeCode>): void;
  onVisibility(visibility: Visibility): void;
}

/** Which facilities the map shows: by type (each with its colour: the legend too) and by visibility. */
function MapFilter({ types, typeName, shown, visibility, onShown, onVisibility }: MapFilterProps) {
  const { t } = useTranslation();
  const id = useId();
  const toggle = (code: FacilityTypeCode, on: boolean) => {
    const next = new Set(shown);
    if (on) next.add(code);
    else next.delete(code);
    onShown(next);
  };
  return (
    <section className="coverage-section">
      <fieldset className="fa-filter">
        <legend className="coverage-section__title">{t('coverage.facilities.filter.title')}</legend>
        <div className="button-row">
          <button type="button" className="button button--small button--quiet" onClick={() => onShown(new Set(types.map((x) => x.code)))}>{t('coverage.facilities.filter.all')}</button>
          <button type="button" className="button button--small button--quiet" onClick={() => onShown(new Set())}>{t('coverage.facilities.filter.none')}</button>
        </div>
        <ul className="fa-filter__types">
          {types.map((type) => (
            <li key={type.code}>
              <label className="coverage-check">
                <input type="checkbox" checked={shown.has(type.code)} onChange={(e) => toggle(type.code, e.target.checked)} />
                <i className="fa-swatch" style={{ background: FACILITY_COLOURS[type.code] }} aria-hidden="true" />
                <span>{typeName(type.code)}</span>
              </label>
            </li>
          ))}
        </ul>
        <label className="coverage-field" htmlFor={`${id}-visibility`}>
          <span>{t('coverage.facilities.filter.visibility')}</span>
          <select id={`${id}-visibility`} value={visibility} onChange={(e) => onVisibility(e.target.value as Visibility)}>
            {(['all', 'public', 'hidden'] as const).map((v) => (
              <option key={v} value={v}>{t(`coverage.facilities.filter.visibilityOptions.${v}`)}</option>
            ))}
          </select>
        </label>
      </fieldset>
    </section>
  );
}

interface FacilityFormProps {
  form: FormState;
  record: FacilityRecord | null;
  types: readonly FacilityTypeInfo[];
  typeName(code: FacilityTypeCode): string;
  saving: boolean;
  picking: 'create' | 'move' | null;
  onChange(form: FormState): void;
  onPick(): void;
  onCancel(): void;
  onSave(): void;
  onRetire(): void;
}

function FacilityForm({ form, record, types, typeName, saving, picking, onChange, onPick, onCancel, onSave, onRetire }: FacilityFormProps) {
  const { t } = useTranslation();
  const id = useId();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => onChange({ ...form, [key]: value });
  const text = (key: 'name' | 'address' | 'lon' | 'lat' | 'phone' | 'openingHours' | 'services' | 'capacity', required = false) => (
    <label className="coverage-field" htmlFor={`${id}-${key}`}>
      <span>{t(`coverage.facilities.form.${key}`)}</span>
      <input id={`${id}-${key}`} value={form[key]} required={required} inputMode={key === 'lon' || key === 'lat' || key === 'capacity' ? 'decimal' : undefined} onChange={(e) => set(key, e.target.value)} />
    </label>
  );
  const radius = types.find((x) => x.code === form.facilityType)?.serviceRadiusMeters ?? 1000;
  return (
    <section className="coverage-section">
      <h2 className="coverage-section__title">{record ? t('coverage.facilities.form.editTitle', { name: record.name }) : t('coverage.facilities.form.newTitle')}</h2>
      {record && <p className="coverage-muted">{t('coverage.facilities.form.version', { version: record.version })}</p>}
      <form
        onKeyDown={enterDoesNotSubmit}
        onSubmit={(e) => {
          e.preventDefault();
          onSave();
        }}
      >
        <label className="coverage-field" htmlFor={`${id}-type`}>
          <span>{t('coverage.facilities.form.type')}</span>
          <select id={`${id}-type`} value={form.facilityType} onChange={(e) => set('facilityType', e.target.value as FacilityTypeCode)}>
            {types.map((type) => (
              <option key={type.code} value={type.code}>
                {typeName(type.code)}
              </option>
            ))}
          </select>
        </label>
        <p className="coverage-muted">{t('coverage.facilities.form.radius', { radius })}</p>
        {text('name', true)}
        {text('address')}
        <div className="coverage-grid-2">
          {text('lon', true)}
          {text('lat', true)}
        </div>
        <div className="coverage-grid-2">
          <label className="coverage-field" htmlFor={`${id}-crs`}>
            <span>{t('coverage.facilities.form.crs')}</span>
            <select id={`${id}-crs`} value={form.sourceCrs} onChange={(e) => set('sourceCrs', e.target.value as SourceCrs)}>
              <CrsOptions />
            </select>
          </label>
          <div className="fa-pick">
            <button type="button" className="button" aria-pressed={picking !== null} onClick={onPick}>
              {record ? t('coverage.facilities.form.move') : t('coverage.facilities.pickOnMap')}
            </button>
          </div>
        </div>
        {text('phone')}
        {text('openingHours')}
        {text('services')}
        {text('capacity')}
        <label className="coverage-check">
          <input type="checkbox" checked={form.isPublic} onChange={(e) => set('isPublic', e.target.checked)} />
          <span>{t('coverage.facilities.form.isPublic')}</span>
        </label>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? t('coverage.facilities.form.saving') : t('coverage.facilities.form.save')}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            {t('coverage.facilities.cancel')}
          </button>
          {record && (
            <button type="button" className="button button--quiet fa-danger" onClick={onRetire}>
              {t('coverage.facilities.form.retire')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function RadiusSettings({ types, typeName, onSaved }: { types: readonly FacilityTypeInfo[]; typeName(code: FacilityTypeCode): string; onSaved(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const save = async (code: FacilityTypeCode) => {
    const radius = Number(values[code]);
    setStatus(null);
    setError(null);
    try {
      const saved = await setTypeRadius(code, radius);
      setStatus(t('coverage.facilities.radius.saved', { type: typeName(code), radius: saved.serviceRadiusMeters }));
      setValues((v) => ({ ...v, [code]: '' }));
      onSaved();
    } catch (failure) {
      setError(describeError(failure, t));
    }
  };
  return (
    <section className="coverage-section">
      <h2 className="coverage-section__title">{t('coverage.facilities.radius.title')}</h2>
      <p className="coverage-muted">{t('coverage.facilities.radius.intro')}</p>
      <datalist id={`${id}-presets`}>
        {RADIUS_PRESETS.map((p) => (
          <option key={p.meters} value={p.meters} label={t('coverage.facilities.radius.preset', { minutes: p.minutes, meters: p.meters })} />
        ))}
      </datalist>
      <ul className="fa-radius-list">
        {types.map((type) => (
          <li key={type.code}>
            <label htmlFor={`${id}-${type.code}`}>{typeName(type.code)}</label>
            <input
              id={`${id}-${type.code}`}
              aria-label={t('coverage.facilities.radius.label', { type: typeName(type.code) })}
              type="number"
              min={50}
              max={10000}
              step={50}
              placeholder={String(type.serviceRadiusMeters)}
              list={`${id}-presets`}
              value={values[type.code] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [type.code]: e.target.value }))}
            />
            <button
              type="button"
              className="button button--small"
              aria-label={t('coverage.facilities.radius.saveLabel', { type: typeName(type.code) })}
              disabled={!values[type.code]}
              onClick={() => void save(type.code)}
            >
              {t('coverage.facilities.radius.save')}
            </button>
          </li>
        ))}
      </ul>
      {status && <p role="status">{status}</p>}
      <ErrorMessage message={error} />
    </section>
  );
}

function ImportPanel({ onImported }: { onImported(): void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  // A table never says its coordinate system: no default, the planner chooses.
  const [crs, setCrs] = useState<CrsValue>('');
  const [crsNeeded, setCrsNeeded] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (what: 'preview' | 'commit', system: CrsValue = crs) => {
    if (!file) return;
    if (!system) {
      setCrsNeeded(true);
      return;
    }
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      if (what === 'preview') {
        const checked = await previewImport(file, system as SourceCrs);
        // Row problems are said in the UI's language from their codes: the catalogue first.
        if (checked.errorCount > 0) await loadRefusalCatalogue();
        setPreview(checked);
      }
      else {
        const result = await commitImport(file, system as SourceCrs);
        setStatus(t('coverage.facilities.import.done', { count: result.created }));
        setPreview(null);
        onImported();
      }
    } catch (failure) {
      setError(describeError(failure, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="coverage-section">
      <h2 className="coverage-section__title">{t('coverage.facilities.import.title')}</h2>
      <p className="coverage-muted">{t('coverage.facilities.import.intro')}</p>
      <div>
        <FileButton label={t('coverage.facilities.import.file')} accept=".csv,.xlsx,.xls,.ods" file={file} help={t('imports.formats.table')}
          onChange={(f) => (setFile(f), setPreview(null))} />
        <CrsChoice kind="table" className="coverage-field" label={t('coverage.facilities.import.crs')} value={crs} needed={crsNeeded} onChange={(c) => (setCrs(c), setCrsNeeded(false), setPreview(null))} />
      </div>
      <div className="button-row">
        <button type="button" className="button" disabled={!file || busy} onClick={() => void run('preview')}>
          {t('coverage.facilities.import.preview')}
        </button>
        {preview && (
          <button type="button" className="button button--primary" disabled={busy || preview.errorCount > 0} onClick={() => void run('commit')}>
            {t('coverage.facilities.import.commit', { count: preview.validCount })}
          </button>
        )}
      </div>
      {preview && (
        <div className="fa-preview">
          <p role="status">
            <strong>{t('coverage.facilities.import.summary', { rows: preview.rowCount, valid: preview.validCount, errors: preview.errorCount })}</strong>
          </p>
          <CrsHintNotice hint={preview.crsHint} onUse={(system) => (setCrs(system), void run('preview', system))} />
          {preview.errorCount > 0 && <p className="error">{t('coverage.facilities.import.fixFirst')}</p>}
          <ul className="fa-preview__rows">
            {preview.rows.map((row) => (
              <li key={row.rowNumber} className={row.ok ? 'is-ok' : 'is-error'}>
                <strong>{t('coverage.facilities.import.row', { row: row.rowNumber })}</strong>{' '}
                {row.ok && row.facility ? (
                  <>
                    {row.facility.name} · {t('coverage.facilities.import.converted', { lon: row.facility.lon.toFixed(6), lat: row.facility.lat.toFixed(6) })}
                  </>
                ) : (
                  row.errors.map((e, i) => (
                    <span key={i} className="fa-preview__error">
                      {e.column ? t('coverage.facilities.import.cellError', { column: e.column, message: problemText(e) }) : problemText(e)}
                    </span>
                  ))
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {status && <p role="status">{status}</p>}
      <ErrorMessage message={error} />
    </section>
  );
}
