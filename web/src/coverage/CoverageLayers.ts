/**
 * The coverage map's layers on a MapView. The base layers come from the vector tiles, fetched for
 * what is on screen only: streets, communities and grids coloured by the share reached (the
 * analysis' figures joined by code as feature state), the counting facilities and their service
 * circles, and the buildings (uncovered ones shown by feature state). A new scenario or what-if
 * only changes feature states and filters; no geometry is fetched again. Results of the scenario
 * stay GeoJSON: the gap areas, the proposed stations and their circles. Siting suggestions and
 * proposal numbers are HTML markers (no symbol layers offline). The page pushes state in; clicks
 * come back as handlers.
 */
import type { FeatureCollection } from 'geojson';
import type { DataDrivenPropertyValueSpecification, ExpressionSpecification, FilterSpecification, LayerSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import type { LonLat, MapView } from '../map/MapView';
import { FALLBACK_FACILITY_COLOUR, facilityColourExpression } from '../public-map/facility-colours';
import type { AreaRow, CoverageWithGaps, Level, Proposal, SitingResult } from './coverage-api';
import { TILEJSON } from '../map/tile-sources';

export type MapMode = 'inspect' | 'add' | 'remove';
export type MapLevel = Exclude<Level, 'district'>;

export interface CoverageLayerHandlers {
  onAreaClick(code: string): void;
  onFacilityClick(id: number): void;
  onMapClick(lngLat: LonLat): void;
}

export interface LayerVisibility {
  choropleth: boolean;
  serviceAreas: boolean;
  gaps: boolean;
  facilities: boolean;
}

/** The TileJSON of each base layer, and the MVT layer read from it. */
export const COVERAGE_TILES = {
  areas: { url: TILEJSON.areas, sourceLayer: 'areas' },
  grids: { url: TILEJSON.grids, sourceLayer: 'grids' },
  facilities: { url: TILEJSON.facilities, sourceLayer: 'facilities' },
  buildings: { url: TILEJSON.buildings, sourceLayer: 'buildings' },
} as const;

/** Zooms from which the tiles carry a level (see server/modules/tiles/layers.ts). */
export const COMMUNITY_TILES_MIN_ZOOM = 10;
export const GRID_TILES_MIN_ZOOM = 11;
export const BUILDING_TILES_MIN_ZOOM = 13;

const SOURCE = {
  areas: 'coverage-areas',
  grids: 'coverage-grids',
  facilities: 'coverage-facilities',
  buildings: 'coverage-buildings',
  gapAreas: 'coverage-gap-areas',
  proposedAreas: 'coverage-proposed-areas',
  proposals: 'coverage-proposals',
  walkAreas: 'coverage-walk-areas',
} as const;

export const COVERAGE_LAYER = {
  streetFill: 'coverage-street-fill',
  streetLine: 'coverage-street-line',
  /** Streets under communities or grids, below the zoom that has communities. */
  streetFillLow: 'coverage-street-fill-low',
  communityFill: 'coverage-community-fill',
  communityLine: 'coverage-community-line',
  /** Communities under grids, between the zooms that have communities and grids. */
  communityFillLow: 'coverage-community-fill-low',
  gridFill: 'coverage-grid-fill',
  gridLine: 'coverage-grid-line',
  districtLine: 'coverage-district-line',
  gapFill: 'coverage-gap-fill',
  gapLine: 'coverage-gap-line',
  serviceCircles: 'coverage-service-circles',
  /** By network: the existing stations' stored walking areas (the circles are hidden). */
  walkAreaFill: 'coverage-walk-area-fill',
  walkAreaLine: 'coverage-walk-area-line',
  proposedFill: 'coverage-proposed-fill',
  proposedLine: 'coverage-proposed-line',
  uncovered: 'coverage-uncovered',
  selectedArea: 'coverage-selected-area',
  selectedGrid: 'coverage-selected-grid',
  facilities: 'coverage-facilities',
  proposals: 'coverage-proposals',
} as const;

/** Share steps at the target lines: village 50%, general 80%, urban 90%. */
export const SHARE_COLOURS = { below50: '#c62828', from50: '#ef8a3c', from80: '#f2cf4a', from90: '#2e9e57', noPeople: '#d5d8d3' } as const;
/** The share from the feature state: -1 where nobody lives, -2 where the figures have not arrived. */
const share: ExpressionSpecification = ['to-number', ['coalesce', ['feature-state', 'share'], -2]];
const shareColour: ExpressionSpecification = [
  'case',
  ['<', share, -1.5], 'rgba(0,0,0,0)',
  ['<', share, 0], SHARE_COLOURS.noPeople,
  ['step', share, SHARE_COLOURS.below50, 0.5, SHARE_COLOURS.from50, 0.8, SHARE_COLOURS.from80, 0.9, SHARE_COLOURS.from90],
];
export const PROPOSAL_COLOUR = '#6a1b9a';
export const SERVICE_CIRCLE_COLOUR = '#1565c0';
/** Gaps in dark grey and black: apart from the red–green share scale they sit on. */
export const GAP_COLOUR = '#111111';
export const GAP_AREA_COLOUR = '#37474f';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const NO_CODE = '\u0000';
const removed: ExpressionSpecification = ['boolean', ['feature-state', 'removed'], false];
const uncovered: ExpressionSpecification = ['boolean', ['feature-state', 'uncovered'], false];
const ofLevel = (level: string): FilterSpecification => ['==', ['get', 'level'], level];

/** Earth's circumference at the equator, metres (Web Mercator). */
const EARTH_CIRCUMFERENCE = 40_075_016.686;

/**
 * A circle-radius expression drawing `metres` (an expression) as metres on the ground at the
 * latitude `lat`: pixels per metre double with each zoom (MapLibre draws 512-pixel tiles), which an
 * exponential interpolation over zooms 0–22 reproduces exactly at every zoom in between.
 */
export function metresToPixels(metres: ExpressionSpecification | number, lat: number): ExpressionSpecification {
  const perMetreAtZ0 = 512 / (EARTH_CIRCUMFERENCE * Math.cos((lat * Math.PI) / 180));
  return ['interpolate', ['exponential', 2], ['zoom'], 0, ['*', metres, perMetreAtZ0], 22, ['*', metres, perMetreAtZ0 * 2 ** 22]];
}

/** Which choropleth layers show at a level: the level itself, and coarser levels where the tiles have none of it yet. */
const CHOROPLETH_LAYERS: Record<MapLevel, readonly string[]> = {
  street: [COVERAGE_LAYER.streetFill, COVERAGE_LAYER.streetLine],
  community: [COVERAGE_LAYER.streetFillLow, COVERAGE_LAYER.communityFill, COVERAGE_LAYER.communityLine],
  grid: [COVERAGE_LAYER.streetFillLow, COVERAGE_LAYER.communityFillLow, COVERAGE_LAYER.gridFill, COVERAGE_LAYER.gridLine],
};
const ALL_CHOROPLETH_LAYERS = [...new Set(Object.values(CHOROPLETH_LAYERS).flat())];

export class CoverageLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private mode: MapMode = 'inspect';
  private level: MapLevel = 'community';
  private visibility: LayerVisibility = { choropleth: true, serviceAreas: true, gaps: true, facilities: true };
  private result: CoverageWithGaps | null = null;
  /** The result whose grid shares are in the grid tiles' feature states (set only while grids show). */
  private gridStatesOf: CoverageWithGaps | null = null;
  private circlesAdded = false;
  /** Whether the result is measured along the walking network (walking areas drawn, not circles). */
  private byNetwork = false;

  constructor(
    private readonly view: MapView,
    private readonly handlers: CoverageLayerHandlers,
  ) {
    this.addSourcesAndLayers();
    this.unsubscribers.push(
      view.onLayerClick(COVERAGE_LAYER.facilities, (feature) => {
        // The id is the tile feature's own id, not one of its properties.
        const id = Number(feature.id);
        if (this.mode !== 'add' && Number.isInteger(id)) this.handlers.onFacilityClick(id);
      }),
    );
    const areaClicked = (feature: MapGeoJSONFeature) => {
      if (this.mode === 'inspect') this.handlers.onAreaClick(String(feature.properties.code));
    };
    for (const layer of [COVERAGE_LAYER.streetFill, COVERAGE_LAYER.communityFill, COVERAGE_LAYER.gridFill]) {
      this.unsubscribers.push(view.onLayerClick(layer, areaClicked));
    }
    this.unsubscribers.push(view.onBackgroundClick([COVERAGE_LAYER.facilities], (lngLat) => this.mode === 'add' && this.handlers.onMapClick(lngLat)));
    this.applyVisibility();
  }

  private addSourcesAndLayers() {
    const v = this.view;
    // Sources first (no layers yet): the layers of different sources interleave below.
    v.addVectorTiles(SOURCE.areas, COVERAGE_TILES.areas.url, [], undefined, { promoteId: 'code' });
    v.addVectorTiles(SOURCE.grids, COVERAGE_TILES.grids.url, [], undefined, { promoteId: 'code' });
    // Facility and building tiles carry their id as the MVT feature id: feature states key on it.
    v.addVectorTiles(SOURCE.facilities, COVERAGE_TILES.facilities.url, []);
    v.addVectorTiles(SOURCE.buildings, COVERAGE_TILES.buildings.url, []);
    for (const id of [SOURCE.gapAreas, SOURCE.proposedAreas, SOURCE.proposals, SOURCE.walkAreas]) v.addGeoJsonSource(id);

    const areas = { source: SOURCE.areas, 'source-layer': COVERAGE_TILES.areas.sourceLayer };
    const grids = { source: SOURCE.grids, 'source-layer': COVERAGE_TILES.grids.sourceLayer };
    const fillPaint = { 'fill-color': shareColour, 'fill-opacity': 0.62 };
    const lineWidth: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 10, 0.4, 15, 1.5];
    const linePaint = { 'line-color': '#ffffff', 'line-width': lineWidth, 'line-opacity': 0.9 };
    const layer = (spec: LayerSpecification) => v.addLayer(spec);

    layer({ id: COVERAGE_LAYER.streetFillLow, type: 'fill', ...areas, filter: ofLevel('street'), maxzoom: COMMUNITY_TILES_MIN_ZOOM, paint: fillPaint });
    layer({ id: COVERAGE_LAYER.communityFillLow, type: 'fill', ...areas, filter: ofLevel('community'), minzoom: COMMUNITY_TILES_MIN_ZOOM, maxzoom: GRID_TILES_MIN_ZOOM, paint: fillPaint });
    layer({ id: COVERAGE_LAYER.streetFill, type: 'fill', ...areas, filter: ofLevel('street'), paint: fillPaint });
    layer({ id: COVERAGE_LAYER.communityFill, type: 'fill', ...areas, filter: ofLevel('community'), minzoom: COMMUNITY_TILES_MIN_ZOOM, paint: fillPaint });
    layer({ id: COVERAGE_LAYER.gridFill, type: 'fill', ...grids, minzoom: GRID_TILES_MIN_ZOOM, paint: fillPaint });
    layer({ id: COVERAGE_LAYER.streetLine, type: 'line', ...areas, filter: ofLevel('street'), paint: linePaint });
    layer({ id: COVERAGE_LAYER.communityLine, type: 'line', ...areas, filter: ofLevel('community'), minzoom: COMMUNITY_TILES_MIN_ZOOM, paint: linePaint });
    layer({ id: COVERAGE_LAYER.gridLine, type: 'line', ...grids, minzoom: GRID_TILES_MIN_ZOOM, paint: linePaint });
    layer({ id: COVERAGE_LAYER.districtLine, type: 'line', ...areas, filter: ofLevel('district'), paint: { 'line-color': '#37474f', 'line-width': 2 } });

    layer({ id: COVERAGE_LAYER.gapFill, type: 'fill', source: SOURCE.gapAreas, paint: { 'fill-color': GAP_AREA_COLOUR, 'fill-opacity': 0.16 } });
    layer({ id: COVERAGE_LAYER.gapLine, type: 'line', source: SOURCE.gapAreas, paint: { 'line-color': GAP_AREA_COLOUR, 'line-width': 1.2, 'line-dasharray': [2, 1] } });
    // The existing stations' circles (COVERAGE_LAYER.serviceCircles) go here once the radii are known;
    // by network their walking areas instead.
    layer({ id: COVERAGE_LAYER.walkAreaFill, type: 'fill', source: SOURCE.walkAreas, paint: { 'fill-color': '#1e88e5', 'fill-opacity': 0.1 } });
    layer({ id: COVERAGE_LAYER.walkAreaLine, type: 'line', source: SOURCE.walkAreas, paint: { 'line-color': SERVICE_CIRCLE_COLOUR, 'line-width': 1.2, 'line-opacity': 0.85 } });
    layer({ id: COVERAGE_LAYER.proposedFill, type: 'fill', source: SOURCE.proposedAreas, paint: { 'fill-color': PROPOSAL_COLOUR, 'fill-opacity': 0.1 } });
    layer({ id: COVERAGE_LAYER.proposedLine, type: 'line', source: SOURCE.proposedAreas, paint: { 'line-color': PROPOSAL_COLOUR, 'line-width': 2.5, 'line-opacity': 0.85 } });
    layer({
      id: COVERAGE_LAYER.uncovered,
      type: 'circle',
      source: SOURCE.buildings,
      'source-layer': COVERAGE_TILES.buildings.sourceLayer,
      minzoom: BUILDING_TILES_MIN_ZOOM,
      paint: {
        'circle-color': GAP_COLOUR,
        // Sized by the people of the chosen population (feature state, from the analysis).
        'circle-radius': [
          'interpolate', ['linear'], ['zoom'],
          13, ['interpolate', ['linear'], ['to-number', ['coalesce', ['feature-state', 'population'], 0]], 0, 2.5, 300, 5],
          16, ['interpolate', ['linear'], ['to-number', ['coalesce', ['feature-state', 'population'], 0]], 0, 4, 300, 9],
        ],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.8,
        // Covered buildings are not drawn: only the gaps.
        'circle-opacity': ['case', uncovered, 0.9, 0],
        'circle-stroke-opacity': ['case', uncovered, 1, 0],
      },
    });
    layer({ id: COVERAGE_LAYER.selectedArea, type: 'line', ...areas, filter: ['==', ['get', 'code'], NO_CODE], paint: { 'line-color': '#0d47a1', 'line-width': 3.5 } });
    layer({ id: COVERAGE_LAYER.selectedGrid, type: 'line', ...grids, filter: ['==', ['get', 'code'], NO_CODE], paint: { 'line-color': '#0d47a1', 'line-width': 3.5 } });
    layer({
      id: COVERAGE_LAYER.facilities,
      type: 'circle',
      source: SOURCE.facilities,
      'source-layer': COVERAGE_TILES.facilities.sourceLayer,
      filter: this.countingFilter([]),
      paint: {
        'circle-color': ['case', removed, FALLBACK_FACILITY_COLOUR, facilityColourExpression()],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4.5, 16, 8],
        'circle-stroke-color': ['case', removed, '#000000', '#ffffff'],
        'circle-stroke-width': ['case', removed, 2.5, 1.5],
        'circle-opacity': ['case', removed, 0.55, 1],
      },
    });
    layer({
      id: COVERAGE_LAYER.proposals,
      type: 'circle',
      source: SOURCE.proposals,
      paint: { 'circle-color': PROPOSAL_COLOUR, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
    });
  }

  private countingFilter(types: readonly string[]): FilterSpecification {
    return ['in', ['get', 'facilityType'], ['literal', [...types]]];
  }

  /**
   * The existing stations' service circles, drawn from the facility tiles as circles of each
   * type's radius in metres (at the district's latitude `lat`), under the buildings and stations.
   * The radii are settings that change rarely: the layer is added once, when they are known.
   */
  setServiceRadii(radii: readonly { code: string; serviceRadiusMeters: number }[], lat: number) {
    if (this.circlesAdded || radii.length === 0) return;
    this.circlesAdded = true;
    const metres: ExpressionSpecification = ['match', ['get', 'facilityType'], ...radii.flatMap((r) => [r.code, r.serviceRadiusMeters]), 0] as unknown as ExpressionSpecification;
    this.view.addLayer(
      {
        id: COVERAGE_LAYER.serviceCircles,
        type: 'circle',
        source: SOURCE.facilities,
        'source-layer': COVERAGE_TILES.facilities.sourceLayer,
        filter: this.countingFilter(this.result?.facilityTypes ?? []),
        paint: {
          'circle-radius': metresToPixels(metres, lat) as DataDrivenPropertyValueSpecification<number>,
          'circle-color': '#1e88e5',
          // A removed station's circle is gone with it.
          'circle-opacity': ['case', removed, 0, 0.1],
          'circle-stroke-color': SERVICE_CIRCLE_COLOUR,
          'circle-stroke-width': 1.2,
          'circle-stroke-opacity': ['case', removed, 0, 0.85],
          'circle-pitch-alignment': 'map',
        },
      },
      COVERAGE_LAYER.proposedFill,
    );
    this.applyVisibility();
  }

  /** The analysis: shares into the area (and grid) tiles, removals and uncovered buildings as feature states, the result layers as GeoJSON. */
  setResult(result: CoverageWithGaps | null) {
    this.result = result;
    const v = this.view;
    const shares = (rows: readonly AreaRow[]) => new Map(rows.map((r) => [r.code, { share: r.share ?? -1 }] as const));
    v.setFeatureStates(SOURCE.areas, COVERAGE_TILES.areas.sourceLayer, result ? shares([...result.streets, ...result.communities]) : new Map());
    this.updateGridStates();

    const types = result?.facilityTypes ?? [];
    v.setFilter(COVERAGE_LAYER.facilities, this.countingFilter(types));
    v.setFilter(COVERAGE_LAYER.serviceCircles, this.countingFilter(types));
    const gaps = result?.gaps;
    v.setFeatureStates(SOURCE.facilities, COVERAGE_TILES.facilities.sourceLayer, new Map((gaps?.facilities.features ?? []).filter((f) => f.properties.removed).map((f) => [f.properties.id, { removed: true }] as const)));
    const people = gaps?.uncoveredBuildingPopulation ?? [];
    v.setFeatureStates(SOURCE.buildings, COVERAGE_TILES.buildings.sourceLayer, new Map((gaps?.uncoveredBuildingIds ?? []).map((id, i) => [id, { uncovered: true, population: people[i] ?? 0 }] as const)));

    // Straight-line: the proposed stations' circles here, the existing ones' from the facility tiles.
    // By network: every counting station's walking area comes with the analysis (stored for the
    // existing ones), and the tile circles are hidden — a circle would overstate the reach.
    const proposed = (gaps?.serviceAreas.features ?? []).filter((f) => f.properties.facilityId === null);
    v.setGeoJsonData(SOURCE.proposedAreas, { type: 'FeatureCollection', features: proposed } as FeatureCollection);
    this.byNetwork = result?.distanceMethod === 'network';
    const walking = this.byNetwork ? (gaps?.serviceAreas.features ?? []).filter((f) => f.properties.facilityId !== null) : [];
    v.setGeoJsonData(SOURCE.walkAreas, { type: 'FeatureCollection', features: walking } as FeatureCollection);
    this.applyVisibility();
    v.setGeoJsonData(SOURCE.gapAreas, (gaps?.uncoveredAreas as FeatureCollection | undefined) ?? EMPTY);
  }

  /** Grid shares are 10× the communities' in number: set only while the grids are shown. */
  private updateGridStates() {
    if (this.level !== 'grid' || this.gridStatesOf === this.result) return;
    this.gridStatesOf = this.result;
    const rows = this.result?.grids ?? [];
    this.view.setFeatureStates(SOURCE.grids, COVERAGE_TILES.grids.sourceLayer, new Map(rows.map((r) => [r.code, { share: r.share ?? -1 }] as const)));
  }

  setLevel(level: MapLevel) {
    this.level = level;
    this.updateGridStates();
    this.applyVisibility();
  }

  /** Outlines the selected street, community or grid (from the tiles in view). */
  setSelected(level: MapLevel, code: string | null) {
    const match: FilterSpecification = ['==', ['get', 'code'], code ?? NO_CODE];
    const none: FilterSpecification = ['==', ['get', 'code'], NO_CODE];
    this.view.setFilter(COVERAGE_LAYER.selectedArea, level === 'grid' ? none : match);
    this.view.setFilter(COVERAGE_LAYER.selectedGrid, level === 'grid' ? match : none);
  }

  setProposals(proposals: readonly Proposal[]) {
    this.view.setGeoJsonData(SOURCE.proposals, {
      type: 'FeatureCollection',
      features: proposals.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { index: i } })),
    });
    this.view.setHtmlMarkers(
      'coverage-proposal-labels',
      proposals.map((p, i) => ({
        key: `p${i}`,
        lngLat: [p.lon, p.lat] as LonLat,
        anchor: 'bottom' as const,
        create: () => {
          const element = document.createElement('div');
          element.className = 'coverage-marker coverage-marker--proposal';
          return element;
        },
        update: (element: HTMLElement) => {
          element.textContent = `+${i + 1}`;
        },
      })),
    );
  }

  setSuggestions(result: SitingResult | null, label: (rank: number) => string) {
    this.view.setHtmlMarkers(
      'coverage-suggestions',
      (result?.suggestions ?? []).map((s) => ({
        key: `s${s.rank}-${s.lon}-${s.lat}`,
        lngLat: [s.lon, s.lat] as LonLat,
        anchor: 'center' as const,
        create: () => {
          const element = document.createElement('div');
          element.className = 'coverage-marker coverage-marker--suggestion';
          element.setAttribute('role', 'img');
          return element;
        },
        update: (element: HTMLElement) => {
          element.textContent = String(s.rank);
          element.setAttribute('aria-label', label(s.rank));
        },
      })),
    );
  }

  setVisibility(visible: LayerVisibility) {
    this.visibility = visible;
    this.applyVisibility();
  }

  private applyVisibility() {
    const set = (layer: string, on: boolean) => this.view.setLayerVisibility(layer, on);
    const visible = this.visibility;
    const shown = new Set(CHOROPLETH_LAYERS[this.level]);
    // With the colours off, the outlines of the level stay.
    for (const layer of ALL_CHOROPLETH_LAYERS) set(layer, shown.has(layer) && (visible.choropleth || layer.endsWith('-line')));
    set(COVERAGE_LAYER.serviceCircles, visible.serviceAreas && !this.byNetwork);
    set(COVERAGE_LAYER.walkAreaFill, visible.serviceAreas && this.byNetwork);
    set(COVERAGE_LAYER.walkAreaLine, visible.serviceAreas && this.byNetwork);
    set(COVERAGE_LAYER.proposedFill, visible.serviceAreas);
    set(COVERAGE_LAYER.proposedLine, visible.serviceAreas);
    set(COVERAGE_LAYER.gapFill, visible.gaps);
    set(COVERAGE_LAYER.gapLine, visible.gaps);
    set(COVERAGE_LAYER.uncovered, visible.gaps);
    set(COVERAGE_LAYER.facilities, visible.facilities);
  }

  setMode(mode: MapMode) {
    this.mode = mode;
    this.view.setCursor(mode === 'add' ? 'crosshair' : '');
  }

  destroy() {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.view.setHtmlMarkers('coverage-proposal-labels', []);
    this.view.setHtmlMarkers('coverage-suggestions', []);
  }
}
