/**
 * The form of one building, or of a new one: name, kind, address, building code and its figures;
 * its place on the map (a point clicked or dragged, or a footprint drawn, placed at its inner
 * point); saved at the version it was read (409 when someone changed it meanwhile), or retired.
 * The server re-counts the grids around the old and new point in the same transaction: the form
 * shows each grid's figures before and after, and the community's total now. What the server
 * refuses (a point outside every grid, a negative count, more 60+ than residents…) is shown at
 * the field it names, and nothing is changed. Below: the building's history, every version with
 * who, when, what changed and why.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import { fetchFigures, type AreaFigures } from './plan-api';
import type { PlanMapHandles } from './PlanMap';
import {
  createBuilding, fetchBuilding, fetchBuildingHistory, retireBuilding, updateBuilding,
  type BuildingEdit, type BuildingVersion, type Footprint, type Placement,
} from './population-api';
import { enterDoesNotSubmit } from '../app/enter-safe';

const FIGURES = ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const;
type FigureKey = (typeof FIGURES)[number];
type Draft = { name: string; kind: 'building' | 'compound'; address: string; buildingCode: string } & Record<FigureKey, string>;
const EMPTY: Draft = { name: '', kind: 'building', address: '', buildingCode: '', households: '0', residents: '0', residents60Plus: '0', residents80Plus: '0' };

/** A refusal: a sentence for a person, the field it is about, and the server's own words. */
interface Refusal {
  text: string;
  field: string | null;
  server: string | null;
}

export interface BuildingFormProps {
  id: number | 'new';
  handles: PlanMapHandles | null;
  onClose(): void;
  onSaved(message: string, building: BuildingEdit): void;
}

export function BuildingForm({ id: opened, handles, onClose, onSaved }: BuildingFormProps) {
  const { t } = useTranslation();
  const formId = useId();
  /** A new building, once added, stays in this form as itself. */
  const [addedId, setAddedId] = useState<number | null>(null);
  const id = addedId ?? opened;
  const isNew = id === 'new';
  const [seq, setSeq] = useState(0);
  const building = useApi((signal) => fetchBuilding(id as number, signal), [id, seq], !isNew);
  const history = useApi((signal) => fetchBuildingHistory(id as number, signal), [id, seq], !isNew);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  /** What the map is being used for: placing the point or drawing the footprint. */
  const [placing, setPlacing] = useState<'point' | 'footprint' | null>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);
  const [result, setResult] = useState<BuildingEdit | null>(null);
  const [communityNow, setCommunityNow] = useState<AreaFigures | null>(null);
  const b = isNew ? null : building.data;
  const handlesRef = useRef(handles);
  handlesRef.current = handles;

  useEffect(() => {
    if (!b) return;
    setDraft({
      name: b.name, kind: b.kind, address: b.address ?? '', buildingCode: b.buildingCode ?? '',
      households: String(b.households), residents: String(b.residents), residents60Plus: String(b.residents60Plus), residents80Plus: String(b.residents80Plus),
    });
  }, [b]);

  // The map is left as it was when the form closes.
  useEffect(() => () => {
    const h = handlesRef.current;
    if (h?.drawing.active === 'point' || h?.drawing.active === 'polygon') h.drawing.stop();
    h?.layers.setFocus(null);
  }, []);

  const startPlacing = (how: 'point' | 'footprint') => {
    const h = handles;
    if (!h) return;
    setPlacing(how);
    setPlacement(null);
    setRefusal(null);
    h.layers.setFocus(null);
    if (how === 'point') {
      h.drawing.placePoint(b ? [b.lon, b.lat] : null, ([lon, lat]) => setPlacement({ lon, lat }));
    } else {
      h.drawing.start('polygon', (geometry) => {
        if (geometry.type !== 'Polygon') return;
        const footprint: Footprint = { type: 'Polygon', coordinates: geometry.coordinates };
        setPlacement({ footprint });
        setPlacing(null);
        h.layers.setFocus(footprint);
      });
    }
  };
  const stopPlacing = () => {
    if (placing) handles?.drawing.stop();
    handles?.layers.setFocus(null);
    setPlacing(null);
    setPlacement(null);
  };
  // A new building starts by placing its point (again on a new map, should the map be made anew).
  const startedOn = useRef<PlanMapHandles | null>(null);
  useEffect(() => {
    if (!handles || startedOn.current === handles) return;
    const first = startedOn.current === null;
    startedOn.current = handles;
    if ((isNew && first) || placing === 'point') startPlacing('point');
  });

  const act = async (work: () => Promise<BuildingEdit>, done: (edit: BuildingEdit) => string) => {
    setBusy(true);
    setRefusal(null);
    try {
      const edit = await work();
      if (placing) handles?.drawing.stop();
      handles?.layers.setFocus(null);
      setPlacing(null);
      setPlacement(null);
      setResult(edit);
      setReason('');
      const community = edit.grids[0]?.communityCode ?? edit.communityCode;
      setCommunityNow(community ? (await fetchFigures(community, false).catch(() => []))[0] ?? null : null);
      onSaved(done(edit), edit);
      setAddedId(edit.id);
      setSeq((n) => n + 1);
    } catch (failure) {
      setRefusal(refusalOf(failure, t));
    } finally {
      setBusy(false);
    }
  };

  /** The figures as typed: a number where it reads as one, else the text itself (the server says what is wrong). */
  const figures = () => Object.fromEntries(FIGURES.map((key) => {
    const text = draft[key].trim();
    const n = Number(text);
    return [key, text !== '' && Number.isFinite(n) ? n : text];
  })) as Record<FigureKey, number>;
  const fields = () => ({
    name: draft.name.trim() || (b?.name ?? ''), kind: draft.kind, address: draft.address.trim() || null, buildingCode: draft.buildingCode.trim() || null, ...figures(),
  });

  const save = (event: React.FormEvent) => {
    event.preventDefault();
    if (isNew) {
      if (!placement) return setRefusal({ text: t('population.building.noPlace'), field: 'position', server: null });
      const name = draft.name.trim();
      void act(() => createBuilding({ ...fields(), name, ...placement, reason }), (e) => t('population.building.created', { name: e.name }));
      return;
    }
    if (!b) return;
    void act(() => updateBuilding(b.id, { version: b.version, ...fields(), ...(placement ?? {}), reason }),
      (e) => t(placement ? 'population.building.moved' : 'population.building.saved', { name: e.name }));
  };
  const savePlace = () => {
    if (!b || !placement) return;
    void act(() => updateBuilding(b.id, { version: b.version, ...placement, reason }), (e) => t('population.building.moved', { name: e.name }));
  };

  const invalid = (field: string) => refusal?.field === field;
  const fieldNote = (field: string) => (invalid(field) ? <small className="plan-field__error" id={`${formId}-${field}-error`}>{refusal!.text}</small> : null);
  const described = (field: string) => (invalid(field) ? { 'aria-invalid': true, 'aria-describedby': `${formId}-${field}-error` } : {});
  const title = isNew ? t('population.building.addTitle') : t('population.building.title', { name: b?.name ?? '' });

  return (
    <section className="plan-section plan-building-form" aria-labelledby={`${formId}-title`}>
      <div className="button-row">
        <h2 id={`${formId}-title`} className="plan-section__title">{title}</h2>
        <button type="button" className="button button--small button--quiet" onClick={onClose} aria-label={t('population.building.close')}>×</button>
      </div>
      {building.error ? <p className="error-box" role="alert">{describeError(building.error, t)}</p> : null}
      {(isNew || b) && (
        <form onSubmit={save} onKeyDown={enterDoesNotSubmit} noValidate>
          {b && <p className="plan-muted">{t('population.building.meta', { version: b.version, community: b.communityCode ?? '—' })}{b.retired ? ` · ${t('population.building.retired')}` : ''}</p>}
          {!b?.retired && (
            <div className="plan-building-place">
              <div className="button-row">
                <button type="button" className={`button button--small${placing === 'point' ? ' button--primary' : ''}`} disabled={busy || !handles} onClick={() => startPlacing('point')}>
                  {isNew ? t('population.building.placePoint') : t('population.building.move')}
                </button>
                <button type="button" className={`button button--small${placing === 'footprint' ? ' button--primary' : ''}`} disabled={busy || !handles} onClick={() => startPlacing('footprint')}>
                  {isNew ? t('population.building.drawFootprint') : t('population.building.redraw')}
                </button>
                {!isNew && (placing || placement) && <button type="button" className="button button--small button--quiet" onClick={stopPlacing}>{t('population.building.cancelPlace')}</button>}
              </div>
              <p className="plan-muted" aria-live="polite" {...described('position')}>
                {placement && 'footprint' in placement ? t('population.building.placedFootprint', { count: placement.footprint.coordinates[0]!.length - 1 })
                  : placement ? t('population.building.placedPoint', { lon: placement.lon.toFixed(6), lat: placement.lat.toFixed(6) })
                    : placing === 'point' ? t('population.building.hintPoint')
                      : placing === 'footprint' ? t('population.building.hintFootprint')
                        : isNew ? t('population.building.noPlace') : null}
              </p>
              {fieldNote('position')}
              {!isNew && placement && (
                <button type="button" className="button button--small button--primary" disabled={busy} onClick={savePlace}>{t('population.building.savePlace')}</button>
              )}
            </div>
          )}
          <fieldset className="plan-building-fields" disabled={!!b?.retired}>
          <div className="plan-grid-2">
            <label className="plan-field"><span>{t('population.building.name')}</span>
              <input value={draft.name} maxLength={100} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} {...described('name')} />{fieldNote('name')}</label>
            <label className="plan-field"><span>{t('population.building.kind')}</span>
              <select value={draft.kind} onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value as Draft['kind'] }))}>
                {(['building', 'compound'] as const).map((k) => <option key={k} value={k}>{t(`population.building.kinds.${k}`)}</option>)}
              </select></label>
            <label className="plan-field"><span>{t('population.building.code')}</span>
              <input value={draft.buildingCode} maxLength={5} inputMode="numeric" onChange={(e) => setDraft((d) => ({ ...d, buildingCode: e.target.value }))} {...described('buildingCode')} />{fieldNote('buildingCode')}</label>
            <label className="plan-field"><span>{t('population.building.address')}</span>
              <input value={draft.address} maxLength={200} onChange={(e) => setDraft((d) => ({ ...d, address: e.target.value }))} {...described('address')} />{fieldNote('address')}</label>
          </div>
          <div className="plan-grid-2">
            {FIGURES.map((key) => (
              <label key={key} className="plan-field"><span>{t(`population.building.${key}`)}</span>
                <input type="number" min={0} step={1} value={draft[key]} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} {...described(key)} />{fieldNote(key)}</label>
            ))}
          </div>
          <label className="plan-field"><span>{t('population.buildings.reason')}</span>
            <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
          </fieldset>
          {refusal && (
            <div className="error-box" role="alert">
              <p>{refusal.server ? t('population.building.refused') : null} {refusal.text}</p>
              {refusal.server && <p className="plan-muted">{t('population.building.serverSaid', { message: refusal.server })}</p>}
            </div>
          )}
          {!b?.retired && (
            <div className="button-row">
              <button type="submit" className="button button--primary" disabled={busy}>{isNew ? t('population.building.create') : t('population.building.save')}</button>
              {b && (
                <button type="button" className="button" disabled={busy}
                  onClick={() => void act(() => retireBuilding(b.id, b.version, reason), (e) => t('population.building.retiredDone', { name: e.name }))}>{t('population.building.retire')}</button>
              )}
            </div>
          )}
        </form>
      )}
      {result && <RecountedGrids edit={result} community={communityNow} />}
      {!isNew && <BuildingHistoryList versions={history.data} loading={history.loading} />}
    </section>
  );
}

/** The grids around the building after a change: each figure before → after, and the community now. */
function RecountedGrids({ edit, community }: { edit: BuildingEdit; community: AreaFigures | null }) {
  const { t } = useTranslation();
  if (edit.grids.length === 0 && !community) return null;
  return (
    <div className="plan-building-recount" role="status" aria-label={t('population.building.grids')}>
      <h3>{t('population.building.grids')}</h3>
      <table className="plan-building-recount__table">
        <thead>
          <tr>
            <th />
            {edit.grids.map((g) => (
              <th key={g.id} scope="col" title={t('population.building.gridName', { code: g.code, name: g.name })}>
                {g.name}<small>{g.code}</small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {FIGURES.map((k) => (
            <tr key={k}>
              <th scope="row">{t(`population.building.${k}`)}</th>
              {edit.grids.map((g) => (
                <td key={g.id} data-grid-code={g.code} data-figure={k} className={g.before[k] !== g[k] ? 'is-changed' : undefined}>
                  {g.before[k] === g[k] ? g[k].toLocaleString() : t('population.building.change', { before: g.before[k].toLocaleString(), after: g[k].toLocaleString() })}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {community && (
        <p className="plan-muted" data-community-figures>{t('population.building.communityNow', {
          code: community.code, households: community.households.toLocaleString(), residents: community.residents.toLocaleString(),
          r60: community.residents60Plus.toLocaleString(), r80: community.residents80Plus.toLocaleString(),
        })}</p>
      )}
    </div>
  );
}

/** Every version of the building, newest first: what the action was, who, when, what changed against the version before, and why. */
function BuildingHistoryList({ versions, loading }: { versions: BuildingVersion[] | null; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  if (!versions) return loading ? <p className="plan-muted">{t('population.building.history.loading')}</p> : null;
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <section className="plan-building-history" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('population.building.history.title')}</h3>
      <ol>
        {versions.map((v, index) => {
          const older = versions[index + 1];
          return (
            <li key={v.version} data-version={v.version}>
              <strong>{t('population.building.history.version', { version: v.version, action: t(`population.building.history.actions.${v.action}`, { defaultValue: v.action }) })}</strong>
              <span className="plan-muted">{t('population.building.history.by', { who: v.changedBy ?? t('population.building.history.unknownUser'), when: when(v.changedAt) })}</span>
              <span>{older ? t('population.building.history.changed', { changes: changesBetween(older, v, t) || '—' })
                : t('population.building.history.first', { households: v.households, residents: v.residents, r60: v.residents60Plus, r80: v.residents80Plus })}</span>
              <span className="plan-muted">{v.reason ? t('population.building.history.reason', { reason: v.reason }) : t('population.building.history.noReason')}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** What differs between two versions, as "households 40 → 47, position moved about 120 m". */
function changesBetween(a: BuildingVersion, b: BuildingVersion, t: TFunction): string {
  const parts: string[] = [];
  const label = (field: 'name' | 'address' | 'buildingCode' | FigureKey) => t(`population.building.history.fields.${field}`);
  for (const field of ['name', 'address', 'buildingCode', ...FIGURES] as const) {
    if (a[field] !== b[field]) parts.push(`${label(field)} ${a[field] ?? '—'} → ${b[field] ?? '—'}`);
  }
  if (a.lon !== b.lon || a.lat !== b.lat) parts.push(t('population.building.history.movedBy', { metres: Math.max(1, Math.round(metresBetween(a, b))) }));
  if (a.retired !== b.retired && b.retired) parts.push(t('population.building.history.retiredState'));
  return parts.join(t('population.building.history.separator'));
}

function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** The server's refusal as a sentence for a person, at the field it names ("body/residents60Plus: …"). */
function refusalOf(failure: unknown, t: TFunction): Refusal {
  if (!(failure instanceof ApiError) || failure.status === 0 || failure.status >= 500) return { text: describeError(failure, t), field: null, server: null };
  // The English message names the field and the problem in a stable form; the refusal as the
  // server words it in the UI's language is shown under the form's own sentence.
  const message = failure.serverMessage;
  const field = /body\/(\w+)/.exec(message)?.[1] ?? null;
  type Problem = 'outside' | 'outsideScope' | 'over60' | 'over80' | 'footprint' | 'name' | 'codeUsed' | 'code' | 'retired' | 'stale' | 'whole';
  const p = (key: Problem, options: { field?: string } = {}) => t(`population.building.problems.${key}`, options);
  const text =
    /outside every grid/.test(message) ? p('outside')
    : /outside your area/.test(message) ? p('outsideScope')
    : /60\+ .* more than the residents/.test(message) ? p('over60')
    : /80\+ .* more than 60\+/.test(message) ? p('over80')
    : field === 'footprint' ? p('footprint')
    : field === 'name' ? p('name')
    : /already used by building/.test(message) ? p('codeUsed')
    : field === 'buildingCode' ? p('code')
    : /was retired/.test(message) ? p('retired')
    : failure.status === 409 ? p('stale')
    : field && (FIGURES as readonly string[]).includes(field) ? p('whole', { field: t(`population.building.${field as FigureKey}`) })
    : describeError(failure, t);
  const place = /outside every grid|outside your area/.test(message) || field === 'footprint' || field === 'lon' || field === 'lat' ? 'position'
    : /already used by building/.test(message) ? 'buildingCode' : field;
  return { text, field: place, server: failure.message };
}
