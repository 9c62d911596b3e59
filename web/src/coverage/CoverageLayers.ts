/**
 * The coverage map's layers on a MapView: areas coloured by the share reached, service circles
 * (existing and proposed), the gaps (uncovered residential area and buildings), the counting
 * facilities (removed ones greyed), proposed stations and siting suggestions (numbered HTML
 * markers: no symbol layers offline). The page pushes state in; clicks come back as handlers.
 */
import type { Feature, FeatureCollection } from 'geojson';
import type { ExpressionSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import type { AreaCollection } from '../api/endpoints';
import { bboxOf, type BBox } from '../map/geometry';
import type { LonLat, MapView } from '../map/MapView';
import { FALLBACK_FACILITY_COLOUR, facilityColourExpression } from '../public-map/facility-colours';
import type { AreaRow, CoverageWithGaps, Proposal, SitingResult } from './coverage-api';

export type MapMode = 'inspect' | 'add' | 'remove';

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

const SOURCE = {
  areas: 'coverage-areas',
  district: 'coverage-district',
  serviceAreas: 'coverage-service-areas',
  gapAreas: 'coverage-gap-areas',
  uncovered: 'coverage-uncovered',
  facilities: 'coverage-facilities',
  proposals: 'coverage-proposals',
  selectedArea: 'coverage-selected-area',
} as const;

export const COVERAGE_LAYER = {
  areaFill: 'coverage-area-fill',
  areaLine: 'coverage-area-line',
  districtLine: 'coverage-district-line',
  serviceFill: 'coverage-service-fill',
  serviceLine: 'coverage-service-line',
  gapFill: 'coverage-gap-fill',
  gapLine: 'coverage-gap-line',
  uncovered: 'coverage-uncovered',
  facilities: 'coverage-facilities',
  proposals: 'coverage-proposals',
  selectedArea: 'coverage-selected-area',
} as const;

/** Share steps at the target lines: village 50%, general 80%, urban 90%. */
export const SHARE_COLOURS = { below50: '#c62828', from50: '#ef8a3c', from80: '#f2cf4a', from90: '#2e9e57', noPeople: '#d5d8d3' } as const;
const shareColour: ExpressionSpecification = [
  'case',
  ['<', ['get', 'share'], 0], SHARE_COLOURS.noPeople,
  ['step', ['get', 'share'], SHARE_COLOURS.below50, 0.5, SHARE_COLOURS.from50, 0.8, SHARE_COLOURS.from80, 0.9, SHARE_COLOURS.from90],
];
export const PROPOSAL_COLOUR = '#6a1b9a';
/** Gaps in dark grey and black: apart from the red–green share scale they sit on. */
export const GAP_COLOUR = '#111111';
export const GAP_AREA_COLOUR = '#37474f';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class CoverageLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private mode: MapMode = 'inspect';

  constructor(
    private readonly view: MapView,
    private readonly handlers: CoverageLayerHandlers,
  ) {
    this.addSourcesAndLayers();
    this.unsubscribers.push(
      view.onLayerClick(COVERAGE_LAYER.facilities, (feature) => {
        if (this.mode !== 'add') this.handlers.onFacilityClick(Number(feature.properties.id));
      }),
    );
    this.unsubscribers.push(
      view.onLayerClick(COVERAGE_LAYER.areaFill, (feature: MapGeoJSONFeature) => {
        if (this.mode === 'inspect') this.handlers.onAreaClick(String(feature.properties.code));
      }),
    );
    this.unsubscribers.push(view.onBackgroundClick([COVERAGE_LAYER.facilities], (lngLat) => this.mode === 'add' && this.handlers.onMapClick(lngLat)));
  }

  private addSourcesAndLayers() {
    const v = this.view;
    for (const id of Object.values(SOURCE)) v.addGeoJsonSource(id);
    v.addLayer({ id: COVERAGE_LAYER.areaFill, type: 'fill', source: SOURCE.areas, paint: { 'fill-color': shareColour, 'fill-opacity': 0.62 } });
    v.addLayer({
      id: COVERAGE_LAYER.areaLine,
      type: 'line',
      source: SOURCE.areas,
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 15, 1.5], 'line-opacity': 0.9 },
    });
    v.addLayer({ id: COVERAGE_LAYER.districtLine, type: 'line', source: SOURCE.district, paint: { 'line-color': '#37474f', 'line-width': 2 } });
    v.addLayer({
      id: COVERAGE_LAYER.gapFill,
      type: 'fill',
      source: SOURCE.gapAreas,
      paint: { 'fill-color': GAP_AREA_COLOUR, 'fill-opacity': 0.16 },
    });
    v.addLayer({ id: COVERAGE_LAYER.gapLine, type: 'line', source: SOURCE.gapAreas, paint: { 'line-color': GAP_AREA_COLOUR, 'line-width': 1.2, 'line-dasharray': [2, 1] } });
    v.addLayer({
      id: COVERAGE_LAYER.serviceFill,
      type: 'fill',
      source: SOURCE.serviceAreas,
      paint: { 'fill-color': ['case', ['==', ['get', 'proposed'], true], PROPOSAL_COLOUR, '#1e88e5'], 'fill-opacity': 0.1 },
    });
    v.addLayer({
      id: COVERAGE_LAYER.serviceLine,
      type: 'line',
      source: SOURCE.serviceAreas,
      paint: {
        'line-color': ['case', ['==', ['get', 'proposed'], true], PROPOSAL_COLOUR, '#1565c0'],
        'line-width': ['case', ['==', ['get', 'proposed'], true], 2.5, 1.2],
        'line-opacity': 0.85,
      },
    });
    v.addLayer({
      id: COVERAGE_LAYER.uncovered,
      type: 'circle',
      source: SOURCE.uncovered,
      paint: {
        'circle-color': GAP_COLOUR,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, ['interpolate', ['linear'], ['get', 'population'], 0, 1.5, 300, 3.5], 16, ['interpolate', ['linear'], ['get', 'population'], 0, 4, 300, 9]],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 0.8,
        'circle-opacity': 0.9,
      },
    });
    v.addLayer({
      id: COVERAGE_LAYER.selectedArea,
      type: 'line',
      source: SOURCE.selectedArea,
      paint: { 'line-color': '#0d47a1', 'line-width': 3.5 },
    });
    v.addLayer({
      id: COVERAGE_LAYER.facilities,
      type: 'circle',
      source: SOURCE.facilities,
      paint: {
        'circle-color': ['case', ['==', ['get', 'removed'], true], FALLBACK_FACILITY_COLOUR, facilityColourExpression()],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4.5, 16, 8],
        'circle-stroke-color': ['case', ['==', ['get', 'removed'], true], '#000000', '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'removed'], true], 2.5, 1.5],
        'circle-opacity': ['case', ['==', ['get', 'removed'], true], 0.55, 1],
      },
    });
    v.addLayer({
      id: COVERAGE_LAYER.proposals,
      type: 'circle',
      source: SOURCE.proposals,
      paint: { 'circle-color': PROPOSAL_COLOUR, 'circle-radius': 7, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2.5 },
    });
  }

  /** Colours the outlines by the rows' shares; returns the outlines' box. */
  setAreas(outlines: AreaCollection | null, rows: readonly AreaRow[] | null): BBox | null {
    const byCode = new Map((rows ?? []).map((r) => [r.code, r]));
    const features: Feature[] = (outlines?.features ?? []).map((f) => {
      const row = byCode.get(f.properties.code);
      return {
        type: 'Feature',
        geometry: f.geometry,
        properties: { code: f.properties.code, share: row && row.share !== null ? row.share : -1, meetsTarget: row?.meetsTarget ?? null },
      };
    });
    this.view.setGeoJsonData(SOURCE.areas, { type: 'FeatureCollection', features });
    return outlines ? bboxOf(outlines.features.map((f) => f.geometry)) : null;
  }

  setDistrict(district: AreaCollection | null) {
    this.view.setGeoJsonData(SOURCE.district, district ?? EMPTY);
  }

  setSelectedArea(outlines: AreaCollection | null, code: string | null): BBox | null {
    const feature = code ? outlines?.features.find((f) => f.properties.code === code) : undefined;
    this.view.setGeoJsonData(SOURCE.selectedArea, feature ? { type: 'FeatureCollection', features: [feature] } : EMPTY);
    return feature ? bboxOf([feature.geometry]) : null;
  }

  setResult(result: CoverageWithGaps | null) {
    const gaps = result?.gaps;
    const serviceAreas: FeatureCollection = {
      type: 'FeatureCollection',
      features: (gaps?.serviceAreas.features ?? []).map((f) => ({ ...f, properties: { ...f.properties, proposed: f.properties.facilityId === null } })),
    };
    this.view.setGeoJsonData(SOURCE.serviceAreas, serviceAreas);
    this.view.setGeoJsonData(SOURCE.gapAreas, (gaps?.uncoveredAreas as FeatureCollection | undefined) ?? EMPTY);
    this.view.setGeoJsonData(SOURCE.uncovered, (gaps?.uncoveredBuildings as FeatureCollection | undefined) ?? EMPTY);
    this.view.setGeoJsonData(SOURCE.facilities, (gaps?.facilities as FeatureCollection | undefined) ?? EMPTY);
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
    const set = (layer: string, on: boolean) => this.view.setLayerVisibility(layer, on);
    set(COVERAGE_LAYER.areaFill, visible.choropleth);
    set(COVERAGE_LAYER.serviceFill, visible.serviceAreas);
    set(COVERAGE_LAYER.serviceLine, visible.serviceAreas);
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
