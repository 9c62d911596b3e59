/**
 * The public map's layers on a MapView: area outlines (vector tiles) for orientation, the
 * facilities as circles coloured by type (vector tiles, filtered on the map without refetching),
 * the selected facility, its service circle, and the nearest-facility answer.
 * The page pushes state in; clicks come back out through the handlers. A click on a facility's
 * tile feature hands back what the tile carries (id, type, name, services, position); the page
 * fetches the rest.
 */
import { Popup, type ExpressionSpecification, type FilterSpecification, type MapGeoJSONFeature, type MapMouseEvent, type Point, type VectorTileSource } from 'maplibre-gl';
import type { FeatureCollection, LineString, Point as GeoPoint } from 'geojson';
import type { FacilityFeature, FacilityTypeCode, NearestFeature, ServiceAreaFeature } from '../api/endpoints';
import type { HtmlMarkerSpec, LonLat, MapView, VectorTileJson } from '../map/MapView';
import { FACILITY_COLOURS, FALLBACK_FACILITY_COLOUR, facilityColourExpression } from './facility-colours';
import { TILEJSON } from '../map/tile-sources';

/** What a facility tile carries about one facility (public fields). */
export interface TileFacility {
  id: number;
  facilityType: FacilityTypeCode;
  name: string;
  services: string[];
  lngLat: LonLat;
}

/** Which facilities the map draws: every type but the hidden ones, with the service, among `ids`. */
export interface FacilityMapFilter {
  hiddenTypes: readonly FacilityTypeCode[];
  /** '' for any service. */
  service: string;
  /** Only these facilities (the matches of a search); null for no such limit. */
  ids: readonly number[] | null;
}

/** What the facility layer draws in view after the map has settled. */
export interface DrawnFacilities {
  /** Distinct facilities drawn in view. */
  count: number;
  /** Their types, sorted. */
  types: string[];
  /** Zoomed out past the facility tiles' minimum zoom: no facility is drawn at all. */
  belowMinZoom: boolean;
}

export interface PublicMapHandlers {
  /** A facility clicked on the map: from its tile (then `fromTile` has what it carries), or an overlay. */
  onFacilityClick(id: number, fromTile: TileFacility | null): void;
  /** A click anywhere on the map while picking a point (then facilities are not clickable). */
  onPick(lngLat: LonLat): void;
  /** After each move or filter change, once drawn. */
  onFacilitiesDrawn(drawn: DrawnFacilities): void;
}

export interface NearestLabels {
  point: string;
  rank(rank: number, name: string): string;
}

const SOURCE = {
  areas: 'areas',
  facilities: 'facilities',
  serviceArea: 'service-area',
  selected: 'selected-facility',
  nearestLines: 'nearest-lines',
  nearestResults: 'nearest-results',
} as const;

/** The MVT layer in the facility tiles. */
const FACILITY_SOURCE_LAYER = 'facilities';

export const LAYER = {
  communityFill: 'community-fill',
  communityLine: 'community-line',
  streetLine: 'street-line',
  districtLine: 'district-line',
  serviceAreaFill: 'service-area-fill',
  serviceAreaLine: 'service-area-line',
  nearestLines: 'nearest-lines',
  /** The walking routes along the network to the nearest facilities (solid), when a network is loaded. */
  nearestRoutes: 'nearest-routes',
  points: 'facility-points',
  /** Invisible, wider circles over the points: a small dot at a low zoom is still easy to hit. */
  pointHits: 'facility-hit-areas',
  nearestResults: 'nearest-results',
  selected: 'selected-facility',
} as const;

const MARKERS = {
  streetLabels: 'street-labels',
  communityLabels: 'community-labels',
  nearestPoint: 'nearest-point',
  nearestRanks: 'nearest-ranks',
} as const;

/** Below this zoom, community names would crowd the map. */
const COMMUNITY_LABEL_MIN_ZOOM = 13.5;

/**
 * Facility dots grow with the zoom: at city scale (zoom 9–10, thousands of facilities) small dots
 * show where services are dense without hiding the map; at street scale each is a distinct,
 * clickable circle with a white ring.
 */
const POINT_RADIUS: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 8, 2, 10, 3, 12, 4.5, 14, 6, 16, 8];
const POINT_STROKE: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 8, 0, 10, 0.5, 12, 1, 14, 1.5];
const HIT_RADIUS: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 8, 5, 12, 8, 16, 11];

/** The MapLibre filter for a FacilityMapFilter, on the tile features' fields (null: draw all). */
export function facilityFilterExpression(filter: FacilityMapFilter): FilterSpecification | null {
  const parts: ExpressionSpecification[] = [];
  if (filter.hiddenTypes.length > 0) parts.push(['!', ['in', ['get', 'facilityType'], ['literal', [...filter.hiddenTypes]]]]);
  // Services come comma-separated in a tile: match a whole item, not part of a longer one.
  if (filter.service) parts.push(['in', `,${filter.service},`, ['concat', ',', ['get', 'services'], ',']]);
  // The MVT feature id is the facility id.
  if (filter.ids) parts.push(['in', ['id'], ['literal', [...filter.ids]]]);
  if (parts.length === 0) return null;
  return ['all', ...parts];
}

export class PublicMapLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private areaTilesUrl: string | null = null;
  private picking = false;
  /** The name of the facility under the pointer (hover) or last tapped: a dot says what it is. */
  private readonly nameTip = new Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'facility-name-tip', maxWidth: '240px' });

  constructor(
    private readonly view: MapView,
    private readonly handlers: PublicMapHandlers,
  ) {
    this.addSourcesAndLayers();
    this.unsubscribers.push(view.onLayerClick(LAYER.pointHits, (_feature, event) => this.tileFacilityClicked(event.point)));
    for (const layer of [LAYER.nearestResults, LAYER.selected]) {
      this.unsubscribers.push(view.onLayerClick(layer, (feature) => this.overlayFacilityClicked(feature)));
    }
    this.unsubscribers.push(view.onBackgroundClick([], (lngLat) => this.picking && this.handlers.onPick(lngLat)));
    const showName = (event: MapMouseEvent) => this.showFacilityName(event.point);
    const hideName = () => this.nameTip.remove();
    view.map.on('mousemove', LAYER.pointHits, showName);
    view.map.on('mouseleave', LAYER.pointHits, hideName);
    view.map.on('click', LAYER.pointHits, showName); // a tap on a phone
    this.unsubscribers.push(() => {
      view.map.off('mousemove', LAYER.pointHits, showName);
      view.map.off('mouseleave', LAYER.pointHits, hideName);
      view.map.off('click', LAYER.pointHits, showName);
      hideName();
    });
    // Area names come with the area tiles: place them once the tiles in view are loaded; and say
    // what the facility layer draws now.
    this.unsubscribers.push(
      view.onIdle(() => {
        this.updateAreaLabels();
        this.reportDrawnFacilities();
      }),
    );

    const map = view.map;
    const onZoom = () => this.updateCommunityLabelVisibility();
    map.on('zoom', onZoom);
    this.updateCommunityLabelVisibility();
    // Street names first, then community names.
    view.setDeclutterGroups([MARKERS.streetLabels, MARKERS.communityLabels]);
    this.unsubscribers.push(() => map.off('zoom', onZoom));
  }

  private addSourcesAndLayers() {
    const v = this.view;
    v.addGeoJsonSource(SOURCE.serviceArea);
    v.addGeoJsonSource(SOURCE.nearestLines);
    v.addGeoJsonSource(SOURCE.nearestResults);
    v.addGeoJsonSource(SOURCE.selected);

    v.addLayer({
      id: LAYER.serviceAreaFill,
      type: 'fill',
      source: SOURCE.serviceArea,
      paint: { 'fill-color': '#1e88e5', 'fill-opacity': 0.16 },
    });
    v.addLayer({
      id: LAYER.serviceAreaLine,
      type: 'line',
      source: SOURCE.serviceArea,
      paint: { 'line-color': '#1565c0', 'line-width': 2 },
    });
    v.addLayer({
      id: LAYER.nearestLines,
      type: 'line',
      source: SOURCE.nearestLines,
      filter: ['!', ['boolean', ['get', 'walked'], false]],
      paint: { 'line-color': '#263238', 'line-width': 1.8, 'line-dasharray': [2, 1.5], 'line-opacity': 0.8 },
    });
    v.addLayer({
      id: LAYER.nearestRoutes,
      type: 'line',
      source: SOURCE.nearestLines,
      filter: ['boolean', ['get', 'walked'], false],
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': '#1565c0', 'line-width': ['case', ['==', ['get', 'rank'], 1], 4, 2.5], 'line-opacity': 0.85 },
    });
    // Every facility, from the vector tiles: only what is on screen is fetched, at any scale.
    v.addVectorTiles(SOURCE.facilities, TILEJSON.facilities, [
      {
        id: LAYER.points,
        type: 'circle',
        'source-layer': FACILITY_SOURCE_LAYER,
        paint: {
          'circle-color': facilityColourExpression(),
          'circle-radius': POINT_RADIUS,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': POINT_STROKE,
        },
      },
      {
        id: LAYER.pointHits,
        type: 'circle',
        'source-layer': FACILITY_SOURCE_LAYER,
        paint: { 'circle-radius': HIT_RADIUS, 'circle-opacity': 0, 'circle-stroke-width': 0 },
      },
    ]);
    v.addLayer({
      id: LAYER.nearestResults,
      type: 'circle',
      source: SOURCE.nearestResults,
      paint: {
        'circle-color': facilityColourExpression(),
        'circle-radius': 8,
        'circle-stroke-color': '#263238',
        'circle-stroke-width': 2.5,
      },
    });
    v.addLayer({
      id: LAYER.selected,
      type: 'circle',
      source: SOURCE.selected,
      paint: {
        'circle-color': facilityColourExpression(),
        'circle-radius': 11,
        'circle-stroke-color': '#ffeb3b',
        'circle-stroke-width': 4,
      },
    });
  }

  /** While picking, every click is a point for the nearest query, even on a facility. */
  setPicking(picking: boolean) {
    this.picking = picking;
    this.view.setCursor(picking ? 'crosshair' : '');
  }

  /** Which facilities are drawn: applied to the tiles already loaded, nothing is fetched again. */
  setFacilityFilter(filter: FacilityMapFilter) {
    const expression = facilityFilterExpression(filter);
    this.view.setFilter(LAYER.points, expression);
    this.view.setFilter(LAYER.pointHits, expression);
  }

  /** Opens the facility drawn nearest to the click among those whose hit circle it is in. */
  /** The nearest facility dot under `point`, from the tiles. */
  private facilityAt(point: Point): MapGeoJSONFeature | null {
    const map = this.view.map;
    let best: { feature: MapGeoJSONFeature; distance: number } | null = null;
    for (const feature of map.queryRenderedFeatures(point, { layers: [LAYER.pointHits] })) {
      if (feature.geometry.type !== 'Point') continue;
      const distance = map.project(feature.geometry.coordinates as LonLat).dist(point);
      if (!best || distance < best.distance) best = { feature, distance };
    }
    return best?.feature ?? null;
  }

  private showFacilityName(point: Point) {
    if (this.picking) return;
    const feature = this.facilityAt(point);
    const name = feature?.properties.name;
    if (!feature || typeof name !== 'string' || feature.geometry.type !== 'Point') return void this.nameTip.remove();
    this.nameTip.setLngLat(feature.geometry.coordinates as LonLat).setText(name);
    if (!this.nameTip.isOpen()) this.nameTip.addTo(this.view.map);
  }

  private tileFacilityClicked(point: Point) {
    if (this.picking) return;
    const map = this.view.map;
    let best: { feature: MapGeoJSONFeature; distance: number } | null = null;
    for (const feature of map.queryRenderedFeatures(point, { layers: [LAYER.pointHits] })) {
      if (feature.geometry.type !== 'Point' || !Number.isInteger(Number(feature.id))) continue;
      const distance = map.project(feature.geometry.coordinates as LonLat).dist(point);
      if (!best || distance < best.distance) best = { feature, distance };
    }
    if (!best) return;
    const { feature } = best;
    const id = Number(feature.id);
    const p = feature.properties;
    const services = String(p.services ?? '');
    this.handlers.onFacilityClick(id, {
      id,
      facilityType: String(p.facilityType) as FacilityTypeCode,
      name: String(p.name ?? ''),
      services: services ? services.split(',') : [],
      lngLat: (feature.geometry as GeoPoint).coordinates as LonLat,
    });
  }

  /** The selected facility and the nearest answers are GeoJSON the page gave: it has them by id. */
  private overlayFacilityClicked(feature: MapGeoJSONFeature) {
    if (this.picking) return;
    const id = Number(feature.properties.id);
    if (Number.isInteger(id)) this.handlers.onFacilityClick(id, null);
  }

  private reportDrawnFacilities() {
    const map = this.view.map;
    if (!map.getLayer(LAYER.points)) return;
    const ids = new Set<number | string>();
    const types = new Set<string>();
    for (const feature of map.queryRenderedFeatures({ layers: [LAYER.points] })) {
      if (feature.id === undefined) continue;
      ids.add(feature.id);
      types.add(String(feature.properties.facilityType));
    }
    const source = map.getSource<VectorTileSource>(SOURCE.facilities);
    this.handlers.onFacilitiesDrawn({
      count: ids.size,
      types: [...types].sort(),
      belowMinZoom: source ? map.getZoom() < source.minzoom : false,
    });
  }

  private updateCommunityLabelVisibility() {
    const hidden = this.view.map.getZoom() < COMMUNITY_LABEL_MIN_ZOOM;
    this.view.map.getContainer().classList.toggle('map-hide-community-labels', hidden);
  }

  /**
   * The district, street and community outlines, as vector tiles from this TileJSON URL, drawn
   * beneath everything else. Their names are placed from the tiles' label points.
   */
  setAreaTiles(tileJsonUrl: string | null, tileJson?: VectorTileJson) {
    if (!tileJsonUrl || this.areaTilesUrl) return;
    this.areaTilesUrl = tileJsonUrl;
    const level = (name: string) => ['==', ['get', 'level'], name] as ['==', ['get', string], string];
    this.view.addVectorTiles(
      SOURCE.areas,
      tileJson ?? tileJsonUrl,
      [
        {
          id: LAYER.communityFill,
          type: 'fill',
          'source-layer': 'areas',
          filter: level('community'),
          paint: { 'fill-color': ['match', ['get', 'kind'], 'village', '#e6efdc', '#f7f5ef'], 'fill-opacity': 0.85 },
        },
        {
          id: LAYER.communityLine,
          type: 'line',
          'source-layer': 'areas',
          filter: level('community'),
          paint: { 'line-color': '#a7aca6', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 15, 1.2] },
        },
        {
          id: LAYER.streetLine,
          type: 'line',
          'source-layer': 'areas',
          filter: level('street'),
          paint: { 'line-color': '#8a7360', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.2, 15, 2.5], 'line-dasharray': [4, 2] },
        },
        {
          id: LAYER.districtLine,
          type: 'line',
          'source-layer': 'areas',
          filter: level('district'),
          paint: { 'line-color': '#b3261e', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 15, 4], 'line-opacity': 0.8 },
        },
      ],
      LAYER.serviceAreaFill,
    );
  }

  /** Street and community names at the label points of the area tiles in view, largest area first. */
  private updateAreaLabels() {
    const seen = new Set<string>();
    const labels: { code: string; name: string; level: string; area: number; lngLat: LonLat }[] = [];
    for (const feature of this.view.vectorTileFeatures(SOURCE.areas, 'area_labels')) {
      const code = String(feature.properties.code);
      if (seen.has(code) || feature.geometry.type !== 'Point') continue;
      seen.add(code);
      labels.push({
        code,
        name: String(feature.properties.name),
        level: String(feature.properties.level),
        area: Number(feature.properties.areaSquareMeters),
        lngLat: feature.geometry.coordinates as LonLat,
      });
    }
    labels.sort((a, b) => b.area - a.area || a.code.localeCompare(b.code));
    const markers = (level: string, className: string): HtmlMarkerSpec[] =>
      labels
        .filter((l) => l.level === level)
        .map((l) => ({
          key: l.code,
          lngLat: l.lngLat,
          create: () => {
            const label = document.createElement('div');
            label.className = className;
            label.textContent = l.name;
            return label;
          },
        }));
    this.view.setHtmlMarkers(MARKERS.streetLabels, markers('street', 'map-label map-label--street'));
    this.view.setHtmlMarkers(MARKERS.communityLabels, markers('community', 'map-label map-label--community'));
  }

  setSelected(facility: FacilityFeature | null) {
    this.view.setGeoJsonData(SOURCE.selected, facility ? { type: 'FeatureCollection', features: [facility] } : null);
  }

  setServiceArea(area: ServiceAreaFeature | null) {
    this.view.setGeoJsonData(SOURCE.serviceArea, area);
  }

  /** The chosen point, lines to the nearest facilities, and their rank badges. */
  setNearest(point: LonLat | null, results: readonly NearestFeature[], labels: NearestLabels) {
    // Along the walking network when the answer has a route; else a dashed straight line.
    const lines = {
      type: 'FeatureCollection',
      features: point
        ? results.map((f, i) => ({
            type: 'Feature',
            properties: { id: f.properties.id, rank: i + 1, walked: Boolean(f.properties.route) },
            geometry: f.properties.route ?? { type: 'LineString', coordinates: [point, f.geometry.coordinates] },
          }))
        : [],
    } as unknown as FeatureCollection<LineString>;
    this.view.setGeoJsonData(SOURCE.nearestLines, lines);
    this.view.setGeoJsonData(SOURCE.nearestResults, { type: 'FeatureCollection', features: point ? [...results] : [] });

    this.view.setHtmlMarkers(
      MARKERS.nearestPoint,
      point
        ? [
            {
              key: 'point',
              lngLat: point,
              anchor: 'bottom',
              create: () => {
                const pin = document.createElement('div');
                pin.className = 'nearest-pin';
                pin.setAttribute('role', 'img');
                return pin;
              },
              update: (pin) => {
                pin.setAttribute('aria-label', labels.point);
                pin.title = labels.point;
              },
            },
          ]
        : [],
    );

    this.view.setHtmlMarkers(
      MARKERS.nearestRanks,
      point
        ? results.map((f, index) => {
            const id = f.properties.id;
            const colour = FACILITY_COLOURS[f.properties.facilityType] ?? FALLBACK_FACILITY_COLOUR;
            return {
              key: `${id}`,
              lngLat: f.geometry.coordinates as LonLat,
              anchor: 'bottom-left' as const,
              create: () => {
                const badge = document.createElement('button');
                badge.type = 'button';
                badge.className = 'nearest-rank';
                badge.addEventListener('click', (event) => {
                  if (this.picking) return; // let the map take it as the picked point
                  event.stopPropagation();
                  this.handlers.onFacilityClick(id, null);
                });
                return badge;
              },
              update: (badge: HTMLElement) => {
                badge.textContent = String(index + 1);
                badge.style.borderColor = colour;
                const label = labels.rank(index + 1, f.properties.name);
                badge.title = label;
                badge.setAttribute('aria-label', label);
              },
            };
          })
        : [],
    );
  }

  destroy() {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers.length = 0;
  }
}
