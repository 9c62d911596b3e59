/**
 * `/plan`: the planners' workspace. A tree of district → street → community → grid beside the
 * map; grids coloured by type or by a figure, with their codes; drawing with snapping, split,
 * merge and reshape of a shared edge; the attribute form, the validation panel, the history,
 * encoding with preview, and import/export. Every edit goes to the server, which refuses what
 * would break the tiling; the page then reloads the grids and their validation, and the tiles on
 * screen are fetched again.
 *
 * The map draws areas and grids from the vector tiles, whatever the size of the city. Exact
 * geometry (GeoJSON) is fetched only for what is worked on: the selected community's grids (to
 * select, edit and snap to) and the outlines of its street's communities (to snap to and frame).
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import type { FeatureCollection, Geometry } from 'geojson';
import { ApiError } from '../api/client';
import { saveBlob } from '../api/client';
import { fetchAreas, fetchClientConfig, type AreaFeature } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { useSession } from '../app/session';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { bboxOf } from '../map/geometry';
import type { Role } from '../../../server/modules/auth/roles';
import { AreaTree } from './AreaTree';
import type { DrawnGeometry } from './drawing';
import { EncodingPanel } from './EncodingPanel';
import { GridForm } from './GridForm';
import { AreaHistoryPanel, HistoryPanel } from './HistoryPanel';
import {
  createGrid,
  fetchAreaOutline,
  fetchCommunitiesOf,
  fetchFigures,
  fetchGrids,
  fetchSettings,
  fetchValidation,
  mergeGrids,
  repairSlivers,
  reshapeGrids,
  restoreAreaOutline,
  saveAreaOutline,
  restoreGrid,
  restoreGrids,
  retireGrid,
  splitGrid,
  updateGrid,
  type AreaFigures,
  type AreaOutlineWrite,
  type AreaVersion,
  type EditOutcome,
  type GridFeature,
  type GridVersion,
  type ImportPreview,
  type Line,
  type Polygonal,
  type ValidationFinding,
  type ValidationReport,
} from './plan-api';
import { FIGURE_COLOURS, GRID_FINDING_COLOUR, RESIDENTS_PER_MANAGER, TYPE_COLOURS, type ColourBy } from './PlanLayers';
import { formatCount } from '../i18n/format-number';
import { PlanMap, type PlanMapHandles } from './PlanMap';
import { BuildingForm } from './BuildingForm';
import { ProblemsPanel } from './ProblemsPanel';
import { renderPrintMap } from './print-map';
import { zipGeoreferencedPng } from '../exports/georeferenced-png';
import { ringsOf } from './snapping';
import { TransferPanel } from './TransferPanel';
import { RegisterImportPanel } from '../population/RegisterImportPanel';
import './plan.css';
import { EmptyState } from '../app/EmptyState';

export const PLAN_ROLES: readonly Role[] = ['planner', 'admin'];
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
type Tab = 'problems' | 'grid' | 'history' | 'encoding' | 'transfer';
type Mode = 'select' | 'draw' | 'split' | 'reshape' | 'edit' | 'drawArea' | 'editArea';

/** The street or community whose outline is being drawn or edited, at the version read. */
interface AreaEdit {
  code: string;
  name: string;
  level: 'street' | 'community';
  version: number;
}
const TABS: Tab[] = ['problems', 'grid', 'history', 'encoding', 'transfer'];

/** An edit that can be undone: restore each grid from `version` to `toVersion`. */
interface EditCommand {
  label: string;
  grids: { id: number; version: number; toVersion: number }[];
}

const perManagerNorms = () => ({ min: formatCount(RESIDENTS_PER_MANAGER.min), max: formatCount(RESIDENTS_PER_MANAGER.max) });

function colourByLegend(norms: { urbanHouseholdsMin: number; urbanHouseholdsMax: number } | null | undefined) {
  return {
    min: formatCount(norms?.urbanHouseholdsMin ?? 300),
    max: formatCount(norms?.urbanHouseholdsMax ?? 500),
  };
}

export function PlanPage() {
  const { user } = useSession();
  const { t } = useTranslation();
  if (user === undefined) return <p className="plan-page-note">{t('plan.loading')}</p>;
  if (user === null) return <Navigate to="/login" replace state={{ from: '/plan' }} />;
  if (!PLAN_ROLES.includes(user.role)) return <p className="plan-page-note" role="alert">{t('plan.notAllowed')}</p>;
  return <PlanWorkspace />;
}

function PlanWorkspace() {
  const { t, i18n } = useTranslation();
  const ids = { colourBy: useId(), reason: useId() };
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  // The streets (for the tree and framing); each street's communities once it is opened.
  const streets = useApi((signal) => fetchAreas('street', signal, { withoutOutline: true }), []);
  const settings = useApi((signal) => fetchSettings(signal), []);
  // The legend's numbers come from the norms in force (DOMAIN.md; /api/grid-settings).
  const legendNorms = colourByLegend(settings.data);
  const districtCodes = useMemo(() => [...new Set((streets.data?.features ?? []).map((f) => f.properties.parentCode).filter((c): c is string => c !== null))], [streets.data]);
  const [communitiesByStreet, setCommunitiesByStreet] = useState<ReadonlyMap<string, AreaFeature[]>>(new Map());
  const requestedStreets = useRef(new Set<string>());
  const openStreet = useCallback((code: string) => {
    if (requestedStreets.current.has(code)) return;
    requestedStreets.current.add(code);
    fetchCommunitiesOf(code).then(
      (collection) => setCommunitiesByStreet((map) => new Map(map).set(code, collection.features as AreaFeature[])),
      (failure: unknown) => {
        requestedStreets.current.delete(code);
        setMessage({ kind: 'error', text: describeError(failure, t) });
      },
    );
  }, [t]);
  const allCommunities = useMemo(() => [...communitiesByStreet.values()].flat(), [communitiesByStreet]);

  const [street, setStreet] = useState<string | null>(null);
  const [community, setCommunity] = useState<string | null>(null);
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  const [refreshSeq, setRefreshSeq] = useState(0);
  const handlesRef = useRef<PlanMapHandles | null>(null);
  /** After an edit: the exact grids, figures and validation are fetched again, and the tiles on screen. */
  const refresh = useCallback(() => {
    setRefreshSeq((n) => n + 1);
    handlesRef.current?.layers.refreshTiles();
  }, []);

  const streetFigures = useApi(
    async (signal) => (await Promise.all(districtCodes.map((code) => fetchFigures(code, true, signal)))).flat(),
    [districtCodes.join(','), refreshSeq],
    districtCodes.length > 0,
  );
  const communityFigures = useApi((signal) => fetchFigures(street!, true, signal), [street, refreshSeq], street !== null);
  const figures = useMemo(() => new Map<string, AreaFigures>([...(streetFigures.data ?? []), ...(communityFigures.data ?? [])].map((f) => [f.code, f])), [streetFigures.data, communityFigures.data]);
  // Every grid is drawn from the tiles; the selected community's are fetched exactly: they are
  // the ones selected, edited and snapped to.
  const grids = useApi((signal) => fetchGrids({ community: community! }, signal), [community, refreshSeq], community !== null);
  const gridFeatures = useMemo(() => (community && grids.data ? grids.data.features.filter((g) => g.properties.communityCode === community) : []), [community, grids.data]);
  const [streetReport, setStreetReport] = useState<ValidationReport | null>(null);
  const validation = useApi((signal) => fetchValidation({ community: community! }, signal), [community, refreshSeq], community !== null);
  const report = streetReport ?? (community ? validation.data : null);

  const [tab, setTab] = useState<Tab>('problems');
  const [mode, setMode] = useState<Mode>('select');
  const [colourBy, setColourBy] = useState<ColourBy>('type');
  const [snapping, setSnapping] = useState(true);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const [shownVersion, setShownVersion] = useState<GridVersion | null>(null);
  const [shownAreaVersion, setShownAreaVersion] = useState<AreaVersion | null>(null);
  const [areaEdit, setAreaEdit] = useState<AreaEdit | null>(null);
  const [areaSeq, setAreaSeq] = useState(0);
  // The district outlines, fetched only while a street's outline is drawn: it snaps to them.
  const districts = useApi((signal) => fetchAreas('district', signal), [], areaEdit?.level === 'street');
  const [importPreview, setImportPreview] = useState<ImportPreview | null>(null);
  const [buildingPreview, setBuildingPreview] = useState<FeatureCollection | null>(null);
  /** The building whose form is open (clicked on the map), or 'new' while one is added. */
  const [buildingId, setBuildingId] = useState<number | 'new' | null>(null);
  const [buildingFormKey, setBuildingFormKey] = useState(0);
  const openBuilding = (id: number | 'new') => {
    setBuildingId(id);
    setBuildingFormKey((k) => k + 1);
  };
  // Edits that changed existing grids in place (outline, attributes, shared edge, sliver repair)
  // are commands: undoing one restores the versions before it, redoing restores the undone ones.
  const [undoStack, setUndoStack] = useState<EditCommand[]>([]);
  const [redoStack, setRedoStack] = useState<EditCommand[]>([]);
  const [handles, setHandles] = useState<PlanMapHandles | null>(null);
  handlesRef.current = handles;
  // Messages are written in the language they were shown in: a switch clears them.
  useEffect(() => setMessage(null), [i18n.language]);

  const streetFeature = streets.data?.features.find((f) => f.properties.code === street) ?? null;
  const streetCommunities = useMemo(() => (street ? communitiesByStreet.get(street) ?? [] : []), [street, communitiesByStreet]);
  const communityFeature = streetCommunities.find((f) => f.properties.code === community) ?? null;
  // The selected street's communities are wanted (the tree opens it; snapping uses their outlines).
  useEffect(() => {
    if (street) openStreet(street);
  }, [street, openStreet]);
  const selectedGrids = gridFeatures.filter((g) => selectedIds.includes(g.properties.id));
  const selectedGrid = selectedGrids.length === 1 ? selectedGrids[0]! : null;

  // --- Map state -----------------------------------------------------------------------------------
  useEffect(() => handles?.layers.setActiveArea(street, community), [handles, street, community]);
  useEffect(() => handles?.layers.setColouring(colourBy, settings.data), [handles, colourBy, settings.data]);
  useEffect(() => handles?.layers.setExactGrids(gridFeatures), [handles, gridFeatures]);
  useEffect(() => handles?.layers.setSelected(gridFeatures, selectedIds), [handles, gridFeatures, selectedIds]);
  // While an import is previewed, its findings are the ones on the map.
  useEffect(() => handles?.layers.setFindings(importPreview ? importPreview.findings : report?.findings ?? []), [handles, report, importPreview]);
  useEffect(() => handles?.layers.setHistoryOutline(((shownVersion ?? shownAreaVersion)?.geometry as Geometry | undefined) ?? null), [handles, shownVersion, shownAreaVersion]);
  useEffect(() => handles?.layers.setImportPreview(importPreview?.preview ?? buildingPreview ?? null), [handles, importPreview, buildingPreview]);
  // Previewed buildings: framed on the map once they arrive.
  useEffect(() => {
    const bbox = buildingPreview?.features.length ? bboxOf(buildingPreview.features.map((f) => f.geometry as Geometry)) : null;
    if (bbox && handlesRef.current) handlesRef.current.view.fitBounds(bbox, { padding: 48, maxZoom: 17 });
  }, [buildingPreview]);
  // Previewed grids: framed too, so that an offset from the district's own grids shows.
  useEffect(() => {
    const features = importPreview?.preview?.features ?? [];
    const bbox = features.length ? bboxOf(features.map((f) => f.geometry as Geometry)) : null;
    if (bbox && handlesRef.current) handlesRef.current.view.fitBounds(bbox, { padding: 96, maxZoom: 16 });
  }, [importPreview]);
  useEffect(() => handles?.drawing.setSnapping(snapping), [handles, snapping]);
  useEffect(() => {
    if (areaEdit) {
      // An area outline snaps to its siblings' outlines and to its parent's (a community to the
      // other communities of its street and the street; a street to the other streets and the district).
      const siblings = areaEdit.level === 'community' ? streetCommunities : streets.data?.features ?? [];
      const parentCode = areaEdit.level === 'community' ? areaEdit.code.slice(0, 9) : areaEdit.code.slice(0, 6);
      const parent = (areaEdit.level === 'community' ? streets.data?.features : districts.data?.features)?.find((f) => f.properties.code === parentCode);
      handles?.drawing.setSnapRings(ringsOf([...siblings.filter((f) => f.properties.code !== areaEdit.code).map((f) => f.geometry as Geometry | null), parent?.geometry as Geometry | null]));
      return;
    }
    // Snap, exactly, to every grid of the community but the one being edited, and to the outlines
    // of the street's communities (a grid of a neighbouring community ends on those).
    const editedId = mode === 'edit' ? selectedGrid?.properties.id : null;
    handles?.drawing.setSnapRings(ringsOf([...gridFeatures.filter((g) => g.properties.id !== editedId).map((g) => g.geometry as Geometry), ...streetCommunities.map((c) => c.geometry as Geometry)]));
  }, [handles, gridFeatures, streetCommunities, mode, selectedGrid, areaEdit, streets.data, districts.data]);
  // The first view: every street (the district or districts planned here); on an install whose
  // streets have no outline yet, the district outlines instead.
  const framedOnce = useRef(false);
  const streetBBox = useMemo(() => (streets.data ? bboxOf(streets.data.features.map((f) => f.geometry as Geometry | null).filter((g): g is Geometry => g !== null)) : null), [streets.data]);
  const districtOutlines = useApi((signal) => fetchAreas('district', signal), [], !!streets.data && streetBBox === null);
  useEffect(() => {
    const bbox = streetBBox ?? (districtOutlines.data ? bboxOf(districtOutlines.data.features.map((f) => f.geometry as Geometry | null).filter((g): g is Geometry => g !== null)) : null);
    if (!handles || !bbox || framedOnce.current) return;
    framedOnce.current = true;
    handles.view.fitBounds(bbox, { padding: 16, animate: false });
  }, [handles, streetBBox, districtOutlines.data]);

  const frame = (geometry: Geometry | null | undefined, maxZoom = 16) => {
    const bbox = geometry ? bboxOf([geometry]) : null;
    if (bbox && handlesRef.current) handlesRef.current.view.fitBounds(bbox, { padding: 48, maxZoom });
  };

  // --- Selection -----------------------------------------------------------------------------------
  const cancelMode = useCallback(() => {
    handlesRef.current?.drawing.stop();
    setMode('select');
    setAreaEdit(null);
  }, []);
  const selectStreet = (code: string) => {
    cancelMode();
    setStreet(code);
    setCommunity(null);
    setSelectedIds([]);
    setStreetReport(null);
    setFocused(null);
    frame(streets.data?.features.find((f) => f.properties.code === code)?.geometry as Geometry, 15);
    void validateStreet(code);
  };
  const selectCommunity = (code: string) => {
    cancelMode();
    const feature = allCommunities.find((f) => f.properties.code === code);
    setStreet(feature?.properties.parentCode ?? null);
    setCommunity(code);
    setSelectedIds([]);
    setStreetReport(null);
    setFocused(null);
    setShownVersion(null);
    setShownAreaVersion(null);
    frame(feature?.geometry as Geometry, 17);
  };
  const communityRef = useRef(community);
  communityRef.current = community;
  /** A grid chosen on the map (from the tiles) or in the tree (of the community worked on). */
  const selectGrid = useCallback((grid: { id: number; communityCode: string }, additive: boolean) => {
    if (handlesRef.current?.drawing.active) return;
    const { id, communityCode } = grid;
    setShownVersion(null);
    // A grid of another community: that community (and its street) becomes the one worked on.
    const switched = communityCode !== communityRef.current;
    if (switched) {
      cancelMode();
      setStreet(communityCode.slice(0, 9));
      setCommunity(communityCode);
      setStreetReport(null);
      setFocused(null);
    }
    setSelectedIds((list) => (additive && !switched ? (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]) : [id]));
    if (!additive) setTab((current) => (current === 'problems' || current === 'encoding' ? 'grid' : current));
  }, [cancelMode]);
  const selectGridFromTree = (id: number, additive: boolean) => {
    if (!community) return;
    selectGrid({ id, communityCode: community }, additive);
    if (!additive) frame(gridFeatures.find((g) => g.properties.id === id)?.geometry as Geometry, 17);
  };

  // --- Edits --------------------------------------------------------------------------------------------
  const codesOf = (outcome: EditOutcome) => outcome.grids.filter((g) => !g.retired).map((g) => g.code).join('、');
  const run = async (action: () => Promise<EditOutcome>, success: (outcome: EditOutcome) => string, undoable = false) => {
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await action();
      const text = success(outcome);
      setMessage({ kind: 'info', text });
      if (undoable && outcome.grids.length > 0 && outcome.grids.every((g) => !g.retired)) {
        // Each grid the edit changed went up one version: undo goes back to the one before.
        setUndoStack((stack) => [...stack.slice(-49), { label: text, grids: outcome.grids.map((g) => ({ id: g.id, version: g.version, toVersion: g.version - 1 })) }]);
        setRedoStack([]);
      } else if (!undoable) {
        // An edit that created or retired grids: earlier commands no longer apply cleanly.
        setUndoStack([]);
        setRedoStack([]);
      }
      setSelectedIds(outcome.grids.filter((g) => !g.retired).map((g) => g.id));
      setReason('');
      setStreetReport(null);
      refresh();
    } catch (failure) {
      const text = failure instanceof ApiError && (failure.status === 409 || failure.status === 422)
        ? t(failure.status === 409 ? 'plan.messages.conflict' : 'plan.messages.refused', { message: failure.message })
        : t('plan.messages.failed', { message: describeError(failure, t) });
      setMessage({ kind: 'error', text });
    } finally {
      setBusy(false);
      setMode('select');
    }
  };
  const refOf = (g: GridFeature) => ({ id: g.properties.id, version: g.properties.version });

  const startDraw = () => {
    if (!community || !handles) return setMessage({ kind: 'error', text: t('plan.tools.needCommunity') });
    setMode('draw');
    handles.drawing.start('polygon', (geometry: DrawnGeometry) =>
      void run(() => createGrid({ communityCode: community, geometry: geometry as never, reason }), (o) => t('plan.messages.created', { code: codesOf(o) })));
  };
  /** A change of boundary needs its reason (变更原因): say so and put the cursor there. */
  const reasonInput = useRef<HTMLInputElement>(null);
  const [reasonMissing, setReasonMissing] = useState(false);
  const hasReason = () => {
    if (reason.trim()) return true;
    setReasonMissing(true);
    setMessage({ kind: 'error', text: t('plan.tools.reasonRequired') });
    reasonInput.current?.focus();
    return false;
  };
  const startSplit = () => {
    if (!selectedGrid || !handles) return setMessage({ kind: 'error', text: t('plan.tools.needOne') });
    if (!hasReason()) return;
    setMode('split');
    const ref = refOf(selectedGrid);
    handles.drawing.start('line', (geometry) => void run(() => splitGrid(ref, geometry as Line, reason), (o) => t('plan.messages.split', { codes: codesOf(o) })));
  };
  const startReshape = () => {
    if (selectedGrids.length !== 2 || !handles) return setMessage({ kind: 'error', text: t('plan.tools.needTwo') });
    if (!hasReason()) return;
    setMode('reshape');
    const [a, b] = selectedGrids as [GridFeature, GridFeature];
    handles.drawing.start('line', (geometry) =>
      void run(() => reshapeGrids(refOf(a), refOf(b), { line: geometry as Line }, reason), () => t('plan.messages.reshaped', { a: a.properties.code, b: b.properties.code }), true));
  };
  const merge = () => {
    if (selectedGrids.length < 2) return setMessage({ kind: 'error', text: t('plan.tools.needTwoOrMore') });
    if (!hasReason()) return;
    const ordered = [...selectedGrids].sort((x, y) => x.properties.code.localeCompare(y.properties.code));
    void run(() => mergeGrids(ordered.map(refOf), reason), (o) => t('plan.messages.merged', { code: codesOf(o) }));
  };
  const startEdit = () => {
    if (!selectedGrid || !handles) return setMessage({ kind: 'error', text: t('plan.tools.needOne') });
    const geometry = selectedGrid.geometry as Geometry;
    const polygon = geometry.type === 'MultiPolygon' ? { type: 'Polygon' as const, coordinates: geometry.coordinates[0]! } : (geometry as { type: 'Polygon'; coordinates: number[][][] });
    try {
      handles.drawing.editOutline(polygon);
      setMode('edit');
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    }
  };
  const saveOutline = () => {
    const outline = handles?.drawing.editedOutline();
    if (!selectedGrid || !outline) return;
    if (!hasReason()) return;
    const ref = refOf(selectedGrid);
    handles!.drawing.stop();
    void run(() => updateGrid(ref.id, { version: ref.version, geometry: outline, reason }), (o) => t('plan.messages.saved', { codes: codesOf(o) }), true);
  };
  // --- Area outlines (street, community) ------------------------------------------------------------
  const areaFeatureOf = (code: string) => (code.length === 9 ? streets.data?.features.find((f) => f.properties.code === code) : allCommunities.find((f) => f.properties.code === code)) ?? null;
  /** After an outline was written: the tree, the outlines to snap to and the tiles come again. */
  const reloadAreas = (code: string) => {
    if (code.length === 12) {
      requestedStreets.current.delete(code.slice(0, 9));
      openStreet(code.slice(0, 9));
    } else {
      streets.reload();
    }
    setAreaSeq((n) => n + 1);
    refresh();
  };
  const areaOutcome = (name: string, written: AreaOutlineWrite) => {
    const gapArea = written.gaps.reduce((sum, g) => sum + g.areaSquareMeters, 0);
    return [
      t('plan.areaOutline.saved', { name, version: written.version, area: Math.round(written.areaSquareMeters).toLocaleString() }),
      written.gaps.length ? t('plan.areaOutline.gaps', { parent: written.gaps[0]!.name, count: written.gaps.length, area: Math.round(gapArea).toLocaleString() }) : '',
    ].filter(Boolean).join(' ');
  };
  const writeArea = async (edit: AreaEdit, write: () => Promise<AreaOutlineWrite>, success: (written: AreaOutlineWrite) => string) => {
    setBusy(true);
    setMessage(null);
    try {
      const written = await write();
      setMessage({ kind: 'info', text: success(written) });
      reloadAreas(edit.code);
    } catch (failure) {
      const text = failure instanceof ApiError && (failure.status === 409 || failure.status === 422)
        ? t(failure.status === 409 ? 'plan.messages.conflict' : 'plan.messages.refused', { message: failure.message })
        : t('plan.messages.failed', { message: describeError(failure, t) });
      setMessage({ kind: 'error', text });
    } finally {
      setBusy(false);
      setMode('select');
      setAreaEdit(null);
    }
  };
  /** Draws (no outline yet) or edits vertex by vertex (one polygon) the outline of a street or community. */
  const startAreaOutline = async (code: string) => {
    if (!handles) return;
    const feature = areaFeatureOf(code);
    if (code.length === 12 && community !== code) selectCommunity(code);
    else if (code.length === 9 && (street !== code || community)) selectStreet(code);
    handles.drawing.stop();
    setMessage(null);
    let record;
    try {
      record = await fetchAreaOutline(code);
    } catch (failure) {
      return setMessage({ kind: 'error', text: describeError(failure, t) });
    }
    const edit: AreaEdit = { code, name: record.name, level: code.length === 12 ? 'community' : 'street', version: record.version };
    const geometry = record.geometry as Geometry | null;
    setAreaEdit(edit);
    if (!geometry) {
      setMode('drawArea');
      handles.drawing.start('polygon', (drawn: DrawnGeometry) =>
        void writeArea(edit, () => saveAreaOutline(code, edit.version, drawn as Polygonal, reason), (w) => areaOutcome(edit.name, w)));
      return;
    }
    if (geometry.type === 'MultiPolygon' && geometry.coordinates.length > 1) {
      setAreaEdit(null);
      return setMessage({ kind: 'error', text: t('plan.areaOutline.multiPart', { name: feature?.properties.name ?? code }) });
    }
    const polygon = geometry.type === 'MultiPolygon' ? { type: 'Polygon' as const, coordinates: geometry.coordinates[0]! } : (geometry as { type: 'Polygon'; coordinates: number[][][] });
    try {
      handles.drawing.editOutline(polygon);
      setMode('editArea');
    } catch (failure) {
      setAreaEdit(null);
      setMessage({ kind: 'error', text: describeError(failure, t) });
    }
  };
  const saveAreaEdit = () => {
    const outline = handles?.drawing.editedOutline();
    if (!areaEdit || !outline) return;
    const edit = areaEdit;
    handles!.drawing.stop();
    void writeArea(edit, () => saveAreaOutline(edit.code, edit.version, outline, reason), (w) => areaOutcome(edit.name, w));
  };
  const restoreArea = (code: string, name: string, v: AreaVersion, currentVersion: number) => {
    setShownAreaVersion(null);
    const edit: AreaEdit = { code, name, level: code.length === 12 ? 'community' : 'street', version: currentVersion };
    void writeArea(edit, () => restoreAreaOutline(code, currentVersion, v.version, reason || t('plan.history.restoredReason', { version: v.version })),
      () => t('plan.areaOutline.restored', { name, version: v.version }));
  };

  const retireSelected = useCallback(() => {
    const grid = selectedGrid;
    if (!grid) return;
    if (!window.confirm(t('plan.tools.confirmRetire', { code: grid.properties.code, name: grid.properties.name }))) return;
    void run(() => retireGrid(refOf(grid), reason), () => t('plan.messages.retired', { code: grid.properties.code }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedGrid, reason]);

  const undoOrRedo = useCallback((direction: 'undo' | 'redo') => {
    const stack = direction === 'undo' ? undoStack : redoStack;
    const command = stack[stack.length - 1];
    if (!command || busy) return;
    const setFrom = direction === 'undo' ? setUndoStack : setRedoStack;
    const setTo = direction === 'undo' ? setRedoStack : setUndoStack;
    setBusy(true);
    setMessage(null);
    restoreGrids(command.grids.map((g) => ({ id: g.id, version: g.version, toVersion: g.toVersion })), t(direction === 'undo' ? 'plan.messages.undone' : 'plan.messages.redone', { label: command.label })).then(
      (outcome) => {
        setFrom((s) => s.slice(0, -1));
        // The inverse: from the version just written back to the one the command started from.
        setTo((s) => [...s, { label: command.label, grids: outcome.grids.map((g) => ({ id: g.id, version: g.version, toVersion: command.grids.find((c) => c.id === g.id)!.version })) }]);
        setMessage({ kind: 'info', text: t(direction === 'undo' ? 'plan.messages.undone' : 'plan.messages.redone', { label: command.label }) });
        setSelectedIds(outcome.grids.map((g) => g.id));
        refresh();
      },
      (failure: unknown) => {
        setUndoStack([]);
        setRedoStack([]);
        setMessage({ kind: 'error', text: failure instanceof ApiError ? t('plan.messages.refused', { message: failure.message }) : t('plan.messages.failed', { message: describeError(failure, t) }) });
      },
    ).finally(() => setBusy(false));
  }, [undoStack, redoStack, busy, t, refresh]);

  // Keyboard: Delete retires the selected grid, Escape leaves the current tool (terra-draw
  // handles Enter, Escape and Ctrl+Z/Ctrl+Y while a shape is being drawn).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) return;
      const key = event.key.toLowerCase();
      if (mode === 'select' && (event.ctrlKey || event.metaKey) && (key === 'z' || key === 'y')) {
        event.preventDefault();
        undoOrRedo(key === 'y' || event.shiftKey ? 'redo' : 'undo');
      } else if (event.key === 'Escape' && mode !== 'select') {
        cancelMode();
      } else if (event.key === 'Delete' && mode === 'select' && selectedGrid) {
        event.preventDefault();
        retireSelected();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode, selectedGrid, retireSelected, cancelMode, undoOrRedo]);

  const focusFinding = (index: number, finding: ValidationFinding) => {
    setFocused(index);
    const geometry = finding.geometry as Geometry | null;
    const gridGeometries = gridFeatures.filter((g) => finding.gridKeys.includes(String(g.properties.id))).map((g) => g.geometry as Geometry);
    const target = geometry && geometry.type !== 'Point' ? geometry : gridGeometries[0] ?? geometry;
    handles?.layers.setFocus(target ?? null);
    if (target?.type === 'Point') handles?.view.showPoint(target.coordinates as [number, number], 17);
    else frame(target, 18);
  };

  const validateStreet = async (code = street) => {
    if (!code) return;
    setBusy(true);
    try {
      setStreetReport(await fetchValidation({ street: code }));
    } catch (failure) {
      setMessage({ kind: 'error', text: describeError(failure, t) });
    } finally {
      setBusy(false);
    }
  };

  const print = async (georeferenced = false) => {
    if (!communityFeature) return;
    if (!communityFeature.geometry) return setMessage({ kind: 'error', text: t('plan.areaOutline.printNeedsOutline', { name: communityFeature.properties.name }) });
    const { png, georeference } = await renderPrintMap(communityFeature.geometry as Geometry, gridFeatures, {
      title: t('plan.print.title', { name: communityFeature.properties.name }),
      subtitle: t('plan.print.subtitle', { count: gridFeatures.length, date: new Date().toISOString().slice(0, 10) }),
      leader: (name) => (name ? t('plan.print.leader', { name }) : t('plan.print.noLeader')),
      legendComprehensive: t('plan.print.legendComprehensive'),
      legendDedicated: t('plan.print.legendDedicated'),
      north: t('plan.print.north'),
      scale: (metres) => t('plan.print.scale', { metres }),
    });
    const name = `${communityFeature.properties.code}-grids`;
    if (georeferenced) saveBlob(await zipGeoreferencedPng(png, georeference, name), `${name}-png-pgw.zip`);
    else saveBlob(png, `${name}.png`);
  };

  // --- Figures of the chosen node ---------------------------------------------------------------------
  const node: { name: string; figures: AreaFigures | null } | null = selectedGrid
    ? { name: selectedGrid.properties.name, figures: { code: selectedGrid.properties.code, level: 'grid', grids: 1, households: selectedGrid.properties.households, residents: selectedGrid.properties.residents, residents60Plus: selectedGrid.properties.residents60Plus, residents80Plus: selectedGrid.properties.residents80Plus, gridManagers: selectedGrid.properties.managerCount } }
    : communityFeature
      ? { name: communityFeature.properties.name, figures: figures.get(communityFeature.properties.code) ?? null }
      : streetFeature
        ? { name: streetFeature.properties.name, figures: figures.get(streetFeature.properties.code) ?? null }
        : null;

  const hint =
    mode === 'drawArea' && areaEdit ? t('plan.areaOutline.hintDraw', { name: areaEdit.name })
    : mode === 'editArea' && areaEdit ? t('plan.areaOutline.hintEdit', { name: areaEdit.name })
    : mode === 'draw' ? t('plan.tools.hintDraw')
      : mode === 'split' && selectedGrid ? t('plan.tools.hintSplit', { code: selectedGrid.properties.code })
        : mode === 'reshape' && selectedGrids.length === 2 ? t('plan.tools.hintReshape', { a: selectedGrids[0]!.properties.code, b: selectedGrids[1]!.properties.code })
          : mode === 'edit' && selectedGrid ? t('plan.tools.hintEdit', { code: selectedGrid.properties.code })
            : t('plan.tools.hintSelect');

  return (
    <div className="plan-page">
      <aside className="plan-sidebar" aria-label={t('plan.tree.label')}>
        <h1 className="plan-title">{t('plan.title')}</h1>
        <EmptyState needs={['outlines', 'grids']} reloadKey={refreshSeq} />
        {node && (
          <section className="plan-figures" aria-label={t('plan.figures.title', { name: node.name })}>
            <h2 className="plan-section__title">{t('plan.figures.title', { name: node.name })}</h2>
            {node.figures && (
              <dl>
                <div><dt>{t('plan.figures.grids')}</dt><dd>{node.figures.grids.toLocaleString()}</dd></div>
                <div><dt>{t('plan.figures.households')}</dt><dd>{node.figures.households.toLocaleString()}</dd></div>
                <div><dt>{t('plan.figures.residents')}</dt><dd>{node.figures.residents.toLocaleString()}</dd></div>
                <div><dt>{t('plan.figures.age60')}</dt><dd>{node.figures.residents60Plus.toLocaleString()}</dd></div>
                <div><dt>{t('plan.figures.age80')}</dt><dd>{node.figures.residents80Plus.toLocaleString()}</dd></div>
                <div><dt>{t('plan.figures.managers')}</dt><dd>{node.figures.gridManagers.toLocaleString()}</dd></div>
              </dl>
            )}
            {!selectedGrid && (communityFeature ?? streetFeature) && !(communityFeature ?? streetFeature)!.geometry && (
              <p className="plan-muted">{t('plan.areaOutline.noOutlineNote', { name: (communityFeature ?? streetFeature)!.properties.name })}</p>
            )}
          </section>
        )}
        <AreaTree
          streets={streets.data?.features ?? []}
          communities={allCommunities}
          loadedStreets={new Set(communitiesByStreet.keys())}
          onOpenStreet={openStreet}
          figures={figures}
          grids={gridFeatures}
          selectedStreet={street}
          selectedCommunity={community}
          selectedGridIds={selectedIds}
          onSelectStreet={selectStreet}
          onSelectCommunity={selectCommunity}
          onSelectGrid={selectGridFromTree}
          onDrawOutline={(code) => void startAreaOutline(code)}
        />
      </aside>

      <section className="plan-map">
        <div className="plan-toolbar" role="toolbar" aria-label={t('plan.tools.label')}>
          {mode === 'select' ? (
            <>
              <button type="button" className="button button--small" onClick={startDraw} disabled={busy || !community}>{t('plan.tools.draw')}</button>
              <button type="button" className="button button--small" onClick={startEdit} disabled={busy || !selectedGrid}>{t('plan.tools.editOutline')}</button>
              <button type="button" className="button button--small" onClick={startSplit} disabled={busy || !selectedGrid}>{t('plan.tools.split')}</button>
              <button type="button" className="button button--small" onClick={merge} disabled={busy || selectedGrids.length < 2}>{t('plan.tools.merge')}</button>
              <button type="button" className="button button--small" onClick={startReshape} disabled={busy || selectedGrids.length !== 2}>{t('plan.tools.reshape')}</button>
              {(community || street) && !selectedGrid && (
                <button type="button" className="button button--small" onClick={() => void startAreaOutline((community ?? street)!)} disabled={busy}>
                  {(communityFeature ?? streetFeature)?.geometry ? t('plan.areaOutline.editOutline') : t('plan.areaOutline.drawOutline')}
                </button>
              )}
              <button type="button" className="button button--small" onClick={() => { cancelMode(); openBuilding('new'); }} disabled={busy || !handles}>{t('population.building.add')}</button>
              <button type="button" className="button button--small button--quiet" onClick={() => undoOrRedo('undo')} disabled={busy || undoStack.length === 0}>{t('plan.tools.undoEdit')}</button>
              <button type="button" className="button button--small button--quiet" onClick={() => undoOrRedo('redo')} disabled={busy || redoStack.length === 0}>{t('plan.tools.redoEdit')}</button>
            </>
          ) : (
            <>
              {mode === 'edit' && <button type="button" className="button button--small button--primary" onClick={saveOutline} disabled={busy}>{t('plan.tools.saveOutline')}</button>}
              {mode === 'editArea' && <button type="button" className="button button--small button--primary" onClick={saveAreaEdit} disabled={busy}>{t('plan.areaOutline.saveOutline')}</button>}
              <button type="button" className="button button--small" onClick={() => handles?.drawing.undo()}>{t('plan.tools.undo')}</button>
              <button type="button" className="button button--small" onClick={() => handles?.drawing.redo()}>{t('plan.tools.redo')}</button>
              <button type="button" className="button button--small button--quiet" onClick={cancelMode}>{t('plan.tools.cancel')}</button>
            </>
          )}
          <label className="plan-check">
            <input type="checkbox" checked={snapping} onChange={(e) => setSnapping(e.target.checked)} /> {t('plan.tools.snapping')}
          </label>
          <label className="plan-inline-field" htmlFor={ids.reason}>
            <span>{t('plan.tools.reason')}</span>
            <input id={ids.reason} ref={reasonInput} value={reason} maxLength={500} placeholder={t('plan.tools.reasonPlaceholder')}
              aria-invalid={reasonMissing && !reason.trim() ? true : undefined} onChange={(e) => (setReason(e.target.value), setReasonMissing(false))} />
          </label>
          <label className="plan-inline-field" htmlFor={ids.colourBy}>
            <span>{t('plan.tools.colourBy')}</span>
            <select id={ids.colourBy} value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)}>
              {(['type', 'households', 'residentsPerManager'] as const).map((c) => <option key={c} value={c}>{t(`plan.tools.colourOptions.${c}`)}</option>)}
            </select>
          </label>
        </div>
        <p className="plan-hint" aria-live="polite">{hint}</p>
        {message && <p className={`plan-message ${message.kind === 'error' ? 'error-box' : 'notice'}`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
        <div className="plan-map__frame">
          <PlanMap basemap={basemap} onReady={setHandles} onGridClick={selectGrid} onBuildingClick={(id) => { if (!handlesRef.current?.drawing.active) openBuilding(id); }} />
          <div className="plan-legend">
            {colourBy === 'type' ? (
              <>
                <span><i style={{ background: TYPE_COLOURS.comprehensive }} />{t('plan.form.gridTypes.comprehensive')}</span>
                <span><i style={{ background: TYPE_COLOURS.dedicated }} />{t('plan.form.gridTypes.dedicated')}</span>
              </>
            ) : (
              <>
                <span><i style={{ background: FIGURE_COLOURS.low }} />{t(`plan.legend.${colourBy === 'households' ? 'households' : 'perManager'}Low`, colourBy === 'households' ? legendNorms : perManagerNorms())}</span>
                <span><i style={{ background: FIGURE_COLOURS.ok }} />{t(`plan.legend.${colourBy === 'households' ? 'households' : 'perManager'}Ok`, colourBy === 'households' ? legendNorms : perManagerNorms())}</span>
                <span><i style={{ background: FIGURE_COLOURS.high }} />{t(`plan.legend.${colourBy === 'households' ? 'households' : 'perManager'}High`, colourBy === 'households' ? legendNorms : perManagerNorms())}</span>
                {colourBy === 'households' && <span className="plan-legend__note">{t('plan.legend.rural', { min: formatCount(settings.data?.ruralHouseholdsMin ?? 200), max: formatCount(settings.data?.ruralHouseholdsMax ?? 400) })}</span>}
                <span><i style={{ background: FIGURE_COLOURS.none }} />{t('plan.legend.noData')}</span>
              </>
            )}
            <span><i className="plan-legend__dot" style={{ background: GRID_FINDING_COLOUR }} />{t('plan.legend.findings')}</span>
          </div>
        </div>
      </section>

      <aside className="plan-panel" aria-label={t('plan.tabs.label')}>
        {buildingId !== null && (
          <BuildingForm key={buildingFormKey} id={buildingId} handles={handles} onClose={() => setBuildingId(null)}
            onSaved={(text) => { setMessage({ kind: 'info', text }); refresh(); }} />
        )}
        <div className="plan-tabs" role="tablist" aria-label={t('plan.tabs.label')}>
          {TABS.map((name) => (
            <button key={name} type="button" role="tab" id={`plan-tab-${name}`} aria-selected={tab === name} aria-controls="plan-tabpanel" className={tab === name ? 'is-active' : undefined} onClick={() => setTab(name)}>
              {t(`plan.tabs.${name}`)}
            </button>
          ))}
        </div>
        <div id="plan-tabpanel" role="tabpanel" aria-labelledby={`plan-tab-${tab}`} className="plan-tabpanel">
          {tab === 'problems' && (
            community || streetReport ? (
              <ProblemsPanel
                report={report}
                loading={validation.loading}
                focused={focused}
                busy={busy}
                hasCommunity={community !== null}
                onValidateCommunity={() => { setStreetReport(null); validation.reload(); }}
                onValidateStreet={() => void validateStreet()}
                onFocus={focusFinding}
                onRepair={(code) => void run(() => repairSlivers(code), (o) => t('plan.messages.repaired', { count: o.grids.length }), true)}
              />
            ) : <p className="plan-section plan-muted">{t('plan.tools.needCommunity')}</p>
          )}
          {tab === 'grid' && (selectedGrid ? <GridForm grid={selectedGrid} onSaved={(o) => {
            const text = t('plan.messages.saved', { codes: codesOf(o) });
            setMessage({ kind: 'info', text });
            setUndoStack((stack) => [...stack.slice(-49), { label: text, grids: o.grids.map((g) => ({ id: g.id, version: g.version, toVersion: g.version - 1 })) }]);
            setRedoStack([]);
            refresh();
          }} onReload={refresh} /> : <p className="plan-section plan-muted">{t('plan.form.noSelection')}</p>)}
          {tab === 'history' && (selectedGrid ? (
            <HistoryPanel
              grid={selectedGrid}
              shownVersion={shownVersion?.version ?? null}
              busy={busy}
              onShow={(v) => { setShownVersion(v); if (v) frame(v.geometry as Geometry, 17); }}
              onRestore={(v) => { setShownVersion(null); void run(() => restoreGrid(refOf(selectedGrid), v.version, reason || t('plan.history.restoredReason', { version: v.version })), () => t('plan.messages.restored', { code: selectedGrid.properties.code, version: v.version })); }}
            />
          ) : (community || street) ? (
            <AreaHistoryPanel
              code={(community ?? street)!}
              name={(communityFeature ?? streetFeature)?.properties.name ?? (community ?? street)!}
              version={areaSeq}
              shownVersion={shownAreaVersion?.version ?? null}
              busy={busy}
              onShow={(v) => { setShownAreaVersion(v); if (v) frame(v.geometry as Geometry, 16); }}
              onRestore={(v, current) => restoreArea((community ?? street)!, (communityFeature ?? streetFeature)?.properties.name ?? '', v, current)}
            />
          ) : <p className="plan-section plan-muted">{t('plan.form.noSelection')}</p>)}
          {tab === 'encoding' && (community && communityFeature ? (
            <EncodingPanel communityCode={community} communityName={communityFeature.properties.name} dedicatedStart={settings.data?.dedicatedSequenceStart ?? 901} onApplied={(count) => { setMessage({ kind: 'info', text: t('plan.messages.encoded', { count }) }); refresh(); }} />
          ) : <p className="plan-section plan-muted">{t('plan.tools.needCommunity')}</p>)}
          {tab === 'transfer' && (community || street ? (
            <TransferPanel
              communityCode={community}
              communityName={communityFeature?.properties.name ?? null}
              streetCode={street}
              streetName={streetFeature?.properties.name ?? null}
              onPreview={setImportPreview}
              onImported={(r) => { setMessage({ kind: 'info', text: t('plan.messages.imported', r) }); refresh(); }}
              onPrint={print}
              onStaffImported={refresh}
              onBuildingPreview={setBuildingPreview}
              onPopulationImported={refresh}
            />
          ) : <p className="plan-section plan-muted">{t('plan.tools.needCommunity')}</p>)}
          {tab === 'transfer' && <RegisterImportPanel view={handles?.view ?? null} onImported={refresh} />}
        </div>
      </aside>
    </div>
  );
}
