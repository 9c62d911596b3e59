/**
 * The planning map's layers on a MapView: community outlines, the grids coloured by type or by a
 * figure, the selected grids, the validation findings, an old version from the history and an
 * import preview. Grid codes are HTML markers (no symbol layers offline), shown from zoom 14.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { AreaCollection } from '../api/endpoints';
import { bboxOf, type BBox } from '../map/geometry';
import type { MapView } from '../map/MapView';
import type { GridCollection, GridFeature, GridNormSettings, ValidationFinding } from './plan-api';

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
const GRID_FINDING_COLOUR = '#fdd835';

const SOURCE = { communities: 'plan-communities', grids: 'plan-grids', selected: 'plan-selected', findings: 'plan-findings', focus: 'plan-focus', history: 'plan-history', importPreview: 'plan-import' } as const;
export const PLAN_LAYER = {
  communityLine: 'plan-community-line',
  gridFill: 'plan-grid-fill',
  gridLine: 'plan-grid-line',
  selectedLine: 'plan-selected-line',
  findingFill: 'plan-finding-fill',
  findingLine: 'plan-finding-line',
  findingPoint: 'plan-finding-point',
  focusLine: 'plan-focus-line',
  historyLine: 'plan-history-line',
  importFill: 'plan-import-fill',
  importLine: 'plan-import-line',
} as const;

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
export const LABEL_MIN_ZOOM = 14;

/** Households per grid against the norm; residents per grid manager against 1,000–2,500. */
export function gridColour(grid: GridFeature['properties'], colourBy: ColourBy, norms: GridNormSettings | null, village: boolean): string {
  if (colourBy === 'type') return TYPE_COLOURS[grid.gridType];
  if (colourBy === 'households') {
    if (grid.gridType === 'dedicated') return FIGURE_COLOURS.none;
    const min = village ? norms?.ruralHouseholdsMin ?? 200 : norms?.urbanHouseholdsMin ?? 300;
    const max = village ? norms?.ruralHouseholdsMax ?? 400 : norms?.urbanHouseholdsMax ?? 500;
    return grid.households < min ? FIGURE_COLOURS.low : grid.households > max ? FIGURE_COLOURS.high : FIGURE_COLOURS.ok;
  }
  if (grid.managerCount === 0) return FIGURE_COLOURS.none;
  const perManager = grid.residents / grid.managerCount;
  return perManager < 1000 ? FIGURE_COLOURS.low : perManager > 2500 ? FIGURE_COLOURS.high : FIGURE_COLOURS.ok;
}

export interface PlanLayerHandlers {
  onGridClick(id: number, additive: boolean): void;
}

export class PlanLayers {
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly view: MapView,
    handlers: PlanLayerHandlers,
  ) {
    view.addGeoJsonSource(SOURCE.communities);
    view.addGeoJsonSource(SOURCE.grids);
    view.addGeoJsonSource(SOURCE.selected);
    view.addGeoJsonSource(SOURCE.findings);
    view.addGeoJsonSource(SOURCE.focus);
    view.addGeoJsonSource(SOURCE.history);
    view.addGeoJsonSource(SOURCE.importPreview);
    // Grids of the community worked on stand out; the rest of the street is there to see and snap to.
    view.addLayer({ id: PLAN_LAYER.gridFill, type: 'fill', source: SOURCE.grids, paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': ['case', ['get', 'active'], 0.5, 0.18] } });
    view.addLayer({ id: PLAN_LAYER.gridLine, type: 'line', source: SOURCE.grids, paint: { 'line-color': '#ffffff', 'line-width': 1.5 } });
    view.addLayer({ id: PLAN_LAYER.communityLine, type: 'line', source: SOURCE.communities, paint: { 'line-color': '#263238', 'line-width': ['case', ['get', 'selected'], 3, 1.2], 'line-dasharray': [3, 2] } });
    view.addLayer({ id: PLAN_LAYER.selectedLine, type: 'line', source: SOURCE.selected, paint: { 'line-color': '#0d47a1', 'line-width': 3.5 } });
    view.addLayer({ id: PLAN_LAYER.findingFill, type: 'fill', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.7 } });
    view.addLayer({ id: PLAN_LAYER.findingLine, type: 'line', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': ['get', 'colour'], 'line-width': 2 } });
    view.addLayer({
      id: PLAN_LAYER.findingPoint, type: 'circle', source: SOURCE.findings, filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-color': ['get', 'colour'], 'circle-radius': 6, 'circle-stroke-color': '#212121', 'circle-stroke-width': 1.5 },
    });
    view.addLayer({ id: PLAN_LAYER.focusLine, type: 'line', source: SOURCE.focus, paint: { 'line-color': '#000000', 'line-width': 3, 'line-dasharray': [1, 1] } });
    view.addLayer({ id: PLAN_LAYER.historyLine, type: 'line', source: SOURCE.history, paint: { 'line-color': '#6a1b9a', 'line-width': 3, 'line-dasharray': [2, 1.5] } });
    view.addLayer({ id: PLAN_LAYER.importFill, type: 'fill', source: SOURCE.importPreview, paint: { 'fill-color': '#00897b', 'fill-opacity': 0.25 } });
    view.addLayer({ id: PLAN_LAYER.importLine, type: 'line', source: SOURCE.importPreview, paint: { 'line-color': '#00695c', 'line-width': 2 } });
    this.unsubscribers.push(view.onLayerClick(PLAN_LAYER.gridFill, (feature, event) => handlers.onGridClick(Number(feature.properties.id), event.originalEvent.shiftKey || event.originalEvent.ctrlKey || event.originalEvent.metaKey)));
    const container = view.map.getContainer();
    const zoomClass = (zoom: number) => container.classList.toggle('plan-map--labels', zoom >= LABEL_MIN_ZOOM);
    zoomClass(view.map.getZoom());
    this.unsubscribers.push(view.onZoomEnd(zoomClass));
    view.setDeclutterGroups(['plan-grid-labels']);
  }

  /** Community outlines of the street; the selected one drawn heavier. */
  setCommunities(communities: AreaCollection | null, selectedCode: string | null) {
    const features = (communities?.features ?? []).map((f) => ({ ...f, properties: { ...f.properties, selected: f.properties.code === selectedCode } }));
    this.view.setGeoJsonData(SOURCE.communities, { type: 'FeatureCollection', features } as FeatureCollection);
  }

  /** The grids to draw; those of `activeCommunity` (all when null) drawn stronger. */
  setGrids(grids: GridCollection | null, colourOf: (grid: GridFeature['properties']) => string, activeCommunity: string | null = null) {
    const features = (grids?.features ?? []).map((f) => ({
      ...f,
      properties: { ...f.properties, colour: colourOf(f.properties), active: activeCommunity === null || f.properties.communityCode === activeCommunity },
    }));
    this.view.setGeoJsonData(SOURCE.grids, { type: 'FeatureCollection', features } as FeatureCollection);
    this.view.setHtmlMarkers(
      'plan-grid-labels',
      (grids?.features ?? []).map((f) => ({
        key: `${f.properties.id}`,
        lngLat: labelPoint(f.geometry),
        create: () => {
          const element = document.createElement('div');
          element.className = 'plan-grid-label';
          return element;
        },
        update: (element) => {
          element.textContent = f.properties.code;
          element.title = f.properties.name;
        },
      })),
    );
  }

  setSelected(grids: GridCollection | null, selectedIds: readonly number[]) {
    const features = (grids?.features ?? []).filter((f) => selectedIds.includes(f.properties.id));
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
    this.view.setHtmlMarkers('plan-grid-labels', []);
  }
}

/** MultiPolygons as separate Polygons: the filter on geometry type sees each. */
function explode(geometry: Geometry): Geometry[] {
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
  return [geometry];
}

/** A point for the label: the centre of the largest ring's bounding box, nudged inside by averaging its vertices. */
export function labelPoint(geometry: Geometry): [number, number] {
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
