/**
 * The planning map's layers on a MapView. The base layers come from the vector tiles, so a city of
 * any size costs only what is on screen: area outlines (`/api/tiles/areas.json`) and every live
 * grid (`/api/tiles/grids.json`, from zoom 11), coloured by type or by a figure. The grids being
 * worked on are also known exactly (GeoJSON of the selected community, from the page): their
 * selection outline and label positions are drawn from that. On top: the validation findings, an
 * old version from the history and an import preview. Grid codes are HTML markers (no symbol layers
 * offline), shown from zoom 14, placed from the tile features drawn.
 *
 * What the grid colours depend on (colouring, norms, the community worked on, which communities
 * are villages) is MapLibre global state read by the paint expressions: changing it repaints the
 * tiles already loaded without fetching them again.
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { bboxOf, type BBox } from '../map/geometry';
import type { HtmlMarkerSpec, LonLat, MapView } from '../map/MapView';
import type { GridFeature, GridNormSettings, ValidationFinding } from './plan-api';
import { TILEJSON } from '../map/tile-sources';

export type ColourBy = 'type' | 'households' | 'residentsPerManager';

export const TYPE_COLOURS = { comprehensive: '#4f8fba', dedicated: '#c9823d' } as const;
export const FIGURE_COLOURS = { low: '#9ecae1', ok: '#41a35a', high: '#d7301f', none: '#bdbdbd' } as const;
export const FINDING_COLOURS: Record<string, string> = {
  invalid_geometry: '#b71c1c',
  overlap: '#e53935',
  gap: '#fb8c00',
  sliver: '#8e24aa',
  outside_community: '#6d4c41',
};
export const GRID_FINDING_COLOUR = '#fdd835';

/** Grid tiles start here (the grids TileJSON's minzoom): below it only area outlines are drawn. */
export const GRID_TILES_MIN_ZOOM = 11;
export const LABEL_MIN_ZOOM = 14;

/** Residents per grid manager: below this too few, above the other too many. */
export const RESIDENTS_PER_MANAGER = { min: 1000, max: 2500 } as const;

const SOURCE = { areas: 'plan-areas', grids: 'plan-grids', selected: 'plan-selected', findings: 'plan-findings', focus: 'plan-focus', history: 'plan-history', importPreview: 'plan-import', buildings: 'plan-buildings' } as const;
/** The MVT layers read from the sources. */
const MVT = { areas: 'areas', grids: 'grids' } as const;
export const PLAN_LAYER = {
  gridFill: 'plan-grid-fill',
  gridLine: 'plan-grid-line',
  communityLine: 'plan-community-line',
  streetLine: 'plan-street-line',
  districtLine: 'plan-district-line',
  selectedLine: 'plan-selected-line',
  findingFill: 'plan-finding-fill',
  findingLine: 'plan-finding-line',
  findingPoint: 'plan-finding-point',
  focusLine: 'plan-focus-line',
  historyLine: 'plan-history-line',
  importFill: 'plan-import-fill',
  importLine: 'plan-import-line',
  importPoint: 'plan-import-point',
  buildingPoint: 'plan-building-point',
} as const;
const LABELS = 'plan-grid-labels';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The global state the paint expressions read (names prefixed: the map's state is shared). */
interface PaintState {
  planColourBy: ColourBy;
  /** The community worked on ('' = none: every grid drawn strong). */
  planCommunity: string;
  planStreet: string;
  /** Community codes of villages, comma-separated (a code is 12 digits: no false match). */
  planVillages: string;
  planUrbanMin: number;
  planUrbanMax: number;
  planRuralMin: number;
  planRuralMax: number;
}

const state = (name: keyof PaintState) => ['global-state', name] as unknown as ExpressionSpecification;
const num = (field: string) => ['to-number', ['get', field], 0] as ExpressionSpecification;

/**
 * The grid colour from tile fields: by type; households against the norm (urban or rural by the
 * community's kind; dedicated grids have no household norm); residents per grid manager against
 * 1,000–2,500 (grey without a manager).
 */
function gridColourExpression(): ExpressionSpecification {
  const village = ['in', ['get', 'communityCode'], ['to-string', state('planVillages')]] as ExpressionSpecification;
  const norm = (rural: keyof PaintState, urban: keyof PaintState) => ['to-number', ['case', village, state(rural), state(urban)], 0] as ExpressionSpecification;
  const perManager = ['/', num('residents'), ['max', num('managers'), 1]] as ExpressionSpecification;
  return [
    'match', ['to-string', state('planColourBy')],
    'type', ['match', ['get', 'gridType'], 'dedicated', TYPE_COLOURS.dedicated, TYPE_COLOURS.comprehensive],
    'households', ['case',
      ['==', ['get', 'gridType'], 'dedicated'], FIGURE_COLOURS.none,
      ['<', num('households'), norm('planRuralMin', 'planUrbanMin')], FIGURE_COLOURS.low,
      ['>', num('households'), norm('planRuralMax', 'planUrbanMax')], FIGURE_COLOURS.high,
      FIGURE_COLOURS.ok],
    ['case',
      ['==', num('managers'), 0], FIGURE_COLOURS.none,
      ['<', perManager, RESIDENTS_PER_MANAGER.min], FIGURE_COLOURS.low,
      ['>', perManager, RESIDENTS_PER_MANAGER.max], FIGURE_COLOURS.high,
      FIGURE_COLOURS.ok],
  ] as ExpressionSpecification;
}

/**
 * True for a grid of the community worked on; with no community chosen, for a grid of the street
 * chosen; with neither, for every grid.
 */
const inActiveArea = ['case',
  ['!=', ['to-string', state('planCommunity')], ''], ['==', ['get', 'communityCode'], ['to-string', state('planCommunity')]],
  ['!=', ['to-string', state('planStreet')], ''], ['==', ['slice', ['to-string', ['get', 'communityCode']], 0, 9], ['to-string', state('planStreet')]],
  true] as ExpressionSpecification;

export interface PlanLayerHandlers {
  onGridClick(grid: { id: number; communityCode: string }, additive: boolean): void;
  /** A building point was clicked (from zoom 15, where the buildings are drawn). */
  onBuildingClick?(id: number): void;
  onZoom(zoom: number): void;
}

export class PlanLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private readonly paintState: PaintState = {
    planColourBy: 'type',
    planCommunity: '',
    planStreet: '',
    planVillages: '',
    planUrbanMin: 300,
    planUrbanMax: 500,
    planRuralMin: 200,
    planRuralMax: 400,
  };
  /** Villages seen in the area tiles so far (the households norm depends on it). */
  private readonly villages = new Set<string>();
  /** Exact outlines of the grids worked on, by id: their labels sit on these. */
  private exact = new Map<number, Geometry>();

  constructor(
    private readonly view: MapView,
    handlers: PlanLayerHandlers,
  ) {
    this.applyPaintState();
    // Drawn first (beneath): the grids; then the area outlines over them; then what is worked on.
    view.addVectorTiles(SOURCE.grids, TILEJSON.grids, [
      { id: PLAN_LAYER.gridFill, type: 'fill', 'source-layer': MVT.grids, paint: { 'fill-color': gridColourExpression(), 'fill-opacity': ['case', inActiveArea, 0.5, 0.18] } },
      { id: PLAN_LAYER.gridLine, type: 'line', 'source-layer': MVT.grids, paint: { 'line-color': '#ffffff', 'line-width': 1.5 } },
    ]);
    const level = (name: string) => ['==', ['get', 'level'], name] as ExpressionSpecification;
    const selected = (name: keyof PaintState) => ['==', ['get', 'code'], ['to-string', state(name)]] as ExpressionSpecification;
    view.addVectorTiles(SOURCE.areas, TILEJSON.areas, [
      {
        id: PLAN_LAYER.communityLine, type: 'line', 'source-layer': MVT.areas, filter: level('community'),
        paint: { 'line-color': '#263238', 'line-width': ['case', selected('planCommunity'), 3, 1.2], 'line-dasharray': [3, 2] },
      },
      {
        id: PLAN_LAYER.streetLine, type: 'line', 'source-layer': MVT.areas, filter: level('street'),
        paint: { 'line-color': '#8a7360', 'line-width': ['case', selected('planStreet'), 3.5, 2], 'line-opacity': 0.85 },
      },
      {
        id: PLAN_LAYER.districtLine, type: 'line', 'source-layer': MVT.areas, filter: level('district'),
        paint: { 'line-color': '#b3261e', 'line-width': 2.5, 'line-opacity': 0.75 },
      },
    ]);
    for (const id of [SOURCE.selected, SOURCE.findings, SOURCE.focus, SOURCE.history, SOURCE.importPreview]) view.addGeoJsonSource(id);
    view.addLayer({ id: PLAN_LAYER.selectedLine, type: 'line', source: SOURCE.selected, paint: { 'line-color': '#0d47a1', 'line-width': 3.5 } });
    view.addLayer({ id: PLAN_LAYER.findingFill, type: 'fill', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.7 } });
    view.addLayer({ id: PLAN_LAYER.findingLine, type: 'line', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': ['get', 'colour'], 'line-width': 2 } });
    view.addLayer({
      id: PLAN_LAYER.findingPoint, type: 'circle', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-color': ['get', 'colour'], 'circle-radius': 6, 'circle-stroke-color': '#212121', 'circle-stroke-width': 1.5 },
    });
    view.addLayer({ id: PLAN_LAYER.focusLine, type: 'line', source: SOURCE.focus, paint: { 'line-color': '#000000', 'line-width': 3, 'line-dasharray': [1, 1] } });
    view.addLayer({ id: PLAN_LAYER.historyLine, type: 'line', source: SOURCE.history, paint: { 'line-color': '#6a1b9a', 'line-width': 3, 'line-dasharray': [2, 1.5] } });
    view.addLayer({ id: PLAN_LAYER.importFill, type: 'fill', source: SOURCE.importPreview, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'fill-color': '#00897b', 'fill-opacity': 0.25 } });
    view.addLayer({ id: PLAN_LAYER.importLine, type: 'line', source: SOURCE.importPreview, filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': '#00695c', 'line-width': 2 } });
    // Buildings previewed for import.
    view.addLayer({
      id: PLAN_LAYER.importPoint, type: 'circle', source: SOURCE.importPreview, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-color': '#00c853', 'circle-radius': 5, 'circle-stroke-color': '#1b5e20', 'circle-stroke-width': 1.5 },
    });

    // The buildings (their own tiles, staff only), drawn from zoom 15; a click opens the building's form.
    view.addVectorTiles(SOURCE.buildings, TILEJSON.buildings, [
      {
        id: PLAN_LAYER.buildingPoint, type: 'circle', 'source-layer': 'buildings', minzoom: 15,
        paint: { 'circle-color': '#ffb300', 'circle-radius': 4.5, 'circle-stroke-color': '#5d4037', 'circle-stroke-width': 1 },
      },
    ]);
    this.unsubscribers.push(view.onLayerClick(PLAN_LAYER.buildingPoint, (feature) => {
      const id = Number(feature.id);
      if (Number.isInteger(id)) handlers.onBuildingClick?.(id);
    }));

    this.unsubscribers.push(view.onLayerClick(PLAN_LAYER.gridFill, (feature, event) => {
      const id = Number(feature.id);
      if (!Number.isInteger(id)) return;
      // A click on a building opens the building, not the grid under it.
      if (view.map.getLayer(PLAN_LAYER.buildingPoint) && view.map.queryRenderedFeatures(event.point, { layers: [PLAN_LAYER.buildingPoint] }).length > 0) return;
      const additive = event.originalEvent.shiftKey || event.originalEvent.ctrlKey || event.originalEvent.metaKey;
      handlers.onGridClick({ id, communityCode: String(feature.properties.communityCode) }, additive);
    }));
    const container = view.map.getContainer();
    const onZoom = (zoom: number) => {
      container.classList.toggle('plan-map--labels', zoom >= LABEL_MIN_ZOOM);
      handlers.onZoom(zoom);
    };
    onZoom(view.map.getZoom());
    this.unsubscribers.push(view.onZoomEnd(onZoom));
    // What the tiles in view hold is known once they are drawn: labels, and villages for the norm.
    this.unsubscribers.push(view.onIdle(() => {
      this.learnVillages();
      this.updateLabels();
    }));
    // A style reloaded (basemap fallback) starts with an empty global state.
    const reapply = () => this.applyPaintState();
    view.map.on('style.load', reapply);
    this.unsubscribers.push(() => view.map.off('style.load', reapply));
    view.setDeclutterGroups([LABELS]);
  }

  private setPaintState(values: Partial<PaintState>) {
    Object.assign(this.paintState, values);
    this.applyPaintState(values);
  }

  private applyPaintState(values: Partial<PaintState> = this.paintState) {
    try {
      for (const [name, value] of Object.entries(values)) this.view.map.setGlobalStateProperty(name, value);
    } catch {
      // No style yet: 'style.load' applies the whole state.
    }
  }

  /** How grids are coloured, and the household norms (settings) for the figure colouring. */
  setColouring(colourBy: ColourBy, norms: GridNormSettings | null) {
    this.setPaintState({
      planColourBy: colourBy,
      planUrbanMin: norms?.urbanHouseholdsMin ?? 300,
      planUrbanMax: norms?.urbanHouseholdsMax ?? 500,
      planRuralMin: norms?.ruralHouseholdsMin ?? 200,
      planRuralMax: norms?.ruralHouseholdsMax ?? 400,
    });
  }

  /** The street and community worked on: their outlines drawn heavier, their grids stronger. */
  setActiveArea(street: string | null, community: string | null) {
    this.setPaintState({ planStreet: street ?? '', planCommunity: community ?? '' });
  }

  /** Communities are villages or urban: the area tiles say which, for each one drawn. */
  private learnVillages() {
    let learnt = false;
    for (const feature of this.view.vectorTileFeatures(SOURCE.areas, MVT.areas)) {
      const p = feature.properties;
      if (p.level !== 'community' || p.kind !== 'village' || this.villages.has(String(p.code))) continue;
      this.villages.add(String(p.code));
      learnt = true;
    }
    if (learnt) this.setPaintState({ planVillages: [...this.villages].join(',') });
  }

  /**
   * The grids worked on, exactly (the selected community's GeoJSON): they carry the selection
   * outline, and their labels sit on their true outlines rather than on tile pieces.
   */
  setExactGrids(grids: readonly GridFeature[]) {
    this.exact = new Map(grids.map((g) => [g.properties.id, g.geometry as Geometry]));
    this.updateLabels();
  }

  /**
   * After an edit: the grid and area tiles on screen are fetched again (revalidated by ETag, so
   * only the changed ones come back with a body). The server answers a write only once the tiles
   * it touched have left its cache, so this one refresh sees the edit.
   */
  refreshTiles() {
    this.view.refreshVectorTiles(SOURCE.grids);
    this.view.refreshVectorTiles(SOURCE.areas);
    this.view.refreshVectorTiles(SOURCE.buildings);
  }

  /**
   * Grid codes at the grids drawn from the tiles in view, one per grid (a grid cut by tile edges
   * comes in pieces: the largest piece places it), from zoom 14.
   */
  private updateLabels() {
    const map = this.view.map;
    if (map.getZoom() < LABEL_MIN_ZOOM) {
      this.view.setHtmlMarkers(LABELS, []);
      return;
    }
    const bounds = map.getBounds();
    const best = new Map<number, { code: string; name: string; geometry: Geometry; size: number }>();
    for (const feature of this.view.vectorTileFeatures(SOURCE.grids, MVT.grids)) {
      const id = Number(feature.id);
      const geometry = feature.geometry as Geometry;
      const box = bboxOf([geometry]);
      if (!Number.isInteger(id) || !box) continue;
      const size = (box[2] - box[0]) * (box[3] - box[1]);
      const seen = best.get(id);
      if (!seen || size > seen.size) best.set(id, { code: String(feature.properties.code), name: String(feature.properties.name ?? ''), geometry, size });
    }
    const specs: HtmlMarkerSpec[] = [];
    for (const [id, grid] of [...best].sort((a, b) => a[1].code.localeCompare(b[1].code))) {
      const lngLat = labelPoint(this.exact.get(id) ?? grid.geometry);
      if (!bounds.contains(lngLat)) continue;
      specs.push({
        key: String(id),
        lngLat,
        create: () => {
          const element = document.createElement('div');
          element.className = 'plan-grid-label';
          element.dataset.gridId = String(id);
          return element;
        },
        update: (element) => {
          element.textContent = grid.code;
          element.title = grid.name;
        },
      });
    }
    this.view.setHtmlMarkers(LABELS, specs);
  }

  setSelected(grids: readonly GridFeature[], selectedIds: readonly number[]) {
    const features = grids.filter((f) => selectedIds.includes(f.properties.id));
    this.view.setGeoJsonData(SOURCE.selected, { type: 'FeatureCollection', features } as FeatureCollection);
  }

  setFindings(findings: readonly ValidationFinding[]) {
    const features: Feature[] = findings
      .filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon' || f.geometry.type === 'Point'))
      .flatMap((f, index) => explode(f.geometry as Geometry).map((geometry) => ({ type: 'Feature' as const, geometry, properties: { index, kind: f.kind, colour: FINDING_COLOURS[f.kind] ?? GRID_FINDING_COLOUR } })));
    this.view.setGeoJsonData(SOURCE.findings, { type: 'FeatureCollection', features });
  }

  /** Outlines one finding (or anything) on top of the rest; returns its bbox. */
  setFocus(geometry: Geometry | null): BBox | null {
    this.view.setGeoJsonData(SOURCE.focus, geometry ? { type: 'Feature', geometry, properties: {} } : null);
    return geometry ? bboxOf([geometry]) : null;
  }

  setHistoryOutline(geometry: Geometry | null) {
    this.view.setGeoJsonData(SOURCE.history, geometry ? { type: 'Feature', geometry, properties: {} } : null);
  }

  setImportPreview(collection: FeatureCollection | null) {
    this.view.setGeoJsonData(SOURCE.importPreview, collection ?? EMPTY);
  }

  destroy() {
    for (const off of this.unsubscribers) off();
    this.view.setHtmlMarkers(LABELS, []);
  }
}

/** MultiPolygons as separate Polygons: the filter on geometry type sees each. */
function explode(geometry: Geometry): Geometry[] {
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
  return [geometry];
}

/** A point for the label: the average of the vertices of the largest ring (inside for the compact shapes grids have). */
export function labelPoint(geometry: Geometry): LonLat {
  const rings = geometry.type === 'Polygon' ? [geometry.coordinates[0]!] : geometry.type === 'MultiPolygon' ? geometry.coordinates.map((p) => p[0]!) : [];
  const ring = rings.sort((a, b) => b.length - a.length)[0] ?? [[0, 0]];
  const n = Math.max(1, ring.length - 1);
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i]![0]!;
    y += ring[i]![1]!;
  }
  return [x / n, y / n];
}
