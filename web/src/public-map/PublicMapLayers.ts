/**
 * The public map's layers on a MapView: area outlines (vector tiles) for orientation, clustered facilities
 * coloured by type, the selected facility, its service circle, and the nearest-facility answer.
 * The page pushes state in; clicks come back out through the handlers. Feature properties read
 * back from MapLibre are limited to ids (arrays come back stringified): the page looks the rest
 * up in its own state.
 */
import type { FeatureCollection, LineString } from 'geojson';
import type { GeoJSONSource, MapGeoJSONFeature } from 'maplibre-gl';
import type { FacilityCollection, FacilityFeature, NearestFeature, ServiceAreaFeature } from '../api/endpoints';
import type { HtmlMarkerSpec, LonLat, MapView } from '../map/MapView';
import { FACILITY_COLOURS, FALLBACK_FACILITY_COLOUR, facilityColourExpression } from './facility-colours';

export interface PublicMapHandlers {
  onFacilityClick(id: number): void;
  /** A click anywhere on the map while picking a point (then facilities are not clickable). */
  onPick(lngLat: LonLat): void;
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

export const LAYER = {
  communityFill: 'community-fill',
  communityLine: 'community-line',
  streetLine: 'street-line',
  districtLine: 'district-line',
  serviceAreaFill: 'service-area-fill',
  serviceAreaLine: 'service-area-line',
  nearestLines: 'nearest-lines',
  clusters: 'facility-clusters',
  points: 'facility-points',
  nearestResults: 'nearest-results',
  selected: 'selected-facility',
} as const;

const MARKERS = {
  clusters: 'cluster-counts',
  streetLabels: 'street-labels',
  communityLabels: 'community-labels',
  nearestPoint: 'nearest-point',
  nearestRanks: 'nearest-ranks',
} as const;

/** Cluster sizes change at these point counts. */
const CLUSTER_STEPS = [10, 50] as const;

/** Below this zoom, community names would crowd the map. */
const COMMUNITY_LABEL_MIN_ZOOM = 13.5;

export class PublicMapLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private areaTilesUrl: string | null = null;
  private clusterFrame = 0;
  private picking = false;
  private facilities: FacilityCollection | null = null;
  /** Facilities drawn on their own (selected, nearest answers): left out of the clusters. */
  private selectedId: number | null = null;
  private nearestIds = new Set<number>();

  constructor(
    private readonly view: MapView,
    private readonly handlers: PublicMapHandlers,
  ) {
    this.addSourcesAndLayers();
    for (const layer of [LAYER.points, LAYER.nearestResults, LAYER.selected]) {
      this.unsubscribers.push(view.onLayerClick(layer, (feature) => this.facilityClicked(feature)));
    }
    this.unsubscribers.push(view.onLayerClick(LAYER.clusters, (feature) => void this.zoomIntoCluster(feature)));
    this.unsubscribers.push(view.onBackgroundClick([], (lngLat) => this.picking && this.handlers.onPick(lngLat)));
    // Area names come with the area tiles: place them once the tiles in view are loaded.
    this.unsubscribers.push(view.onIdle(() => this.updateAreaLabels()));

    const map = view.map;
    const scheduleClusterCounts = () => {
      if (this.clusterFrame) return;
      this.clusterFrame = requestAnimationFrame(() => {
        this.clusterFrame = 0;
        this.updateClusterCounts();
      });
    };
    const onZoom = () => this.updateCommunityLabelVisibility();
    // Clusters change while zooming: follow every rendered frame (at most one update a frame).
    map.on('render', scheduleClusterCounts);
    map.on('zoom', onZoom);
    this.updateCommunityLabelVisibility();
    // Cluster circles first, then street names, then community names.
    view.setDeclutterGroups([MARKERS.clusters, MARKERS.streetLabels, MARKERS.communityLabels]);
    this.unsubscribers.push(() => {
      map.off('render', scheduleClusterCounts);
      map.off('zoom', onZoom);
      cancelAnimationFrame(this.clusterFrame);
    });
  }

  private addSourcesAndLayers() {
    const v = this.view;
    v.addGeoJsonSource(SOURCE.serviceArea);
    v.addGeoJsonSource(SOURCE.nearestLines);
    v.addGeoJsonSource(SOURCE.facilities, { cluster: true, clusterRadius: 44, clusterMaxZoom: 14 });
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
      paint: { 'line-color': '#263238', 'line-width': 1.8, 'line-dasharray': [2, 1.5], 'line-opacity': 0.8 },
    });
    v.addLayer({
      id: LAYER.clusters,
      type: 'circle',
      source: SOURCE.facilities,
      filter: ['has', 'point_count'],
      paint: {
        // Same steps, colours and sizes as the HTML circles (.map-cluster--small/medium/large).
        'circle-color': ['step', ['get', 'point_count'], '#5c6bc0', CLUSTER_STEPS[0], '#3949ab', CLUSTER_STEPS[1], '#283593'],
        'circle-radius': ['step', ['get', 'point_count'], 13, CLUSTER_STEPS[0], 17, CLUSTER_STEPS[1], 22],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
        'circle-opacity': 0.9,
      },
    });
    v.addLayer({
      id: LAYER.points,
      type: 'circle',
      source: SOURCE.facilities,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': facilityColourExpression(),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 8],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
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

  private facilityClicked(feature: MapGeoJSONFeature) {
    if (this.picking) return;
    const id = Number(feature.properties.id);
    if (Number.isInteger(id)) this.handlers.onFacilityClick(id);
  }

  private async zoomIntoCluster(feature: MapGeoJSONFeature) {
    if (this.picking) return;
    const clusterId = Number(feature.properties.cluster_id);
    const source = this.view.map.getSource<GeoJSONSource>(SOURCE.facilities);
    if (!source || feature.geometry.type !== 'Point') return;
    const zoom = await source.getClusterExpansionZoom(clusterId);
    this.view.map.easeTo({ center: feature.geometry.coordinates as LonLat, zoom: Math.min(zoom, 18), duration: 500 });
  }

  /**
   * Clusters as HTML circles with their count (text cannot be a symbol layer offline). The
   * WebGL circle beneath stays for clicks; the HTML one lets labels give way to it.
   */
  private updateClusterCounts() {
    const map = this.view.map;
    if (!map.getLayer(LAYER.clusters)) return;
    const seen = new Set<number>();
    const specs = [];
    // What is drawn now (querySourceFeatures would also return clusters of other zoom levels
    // from tiles kept in the cache, in the wrong places).
    for (const feature of map.queryRenderedFeatures({ layers: [LAYER.clusters] })) {
      const clusterId = Number(feature.properties.cluster_id);
      if (seen.has(clusterId) || feature.geometry.type !== 'Point') continue;
      seen.add(clusterId);
      const pointCount = Number(feature.properties.point_count);
      const text = String(feature.properties.point_count_abbreviated ?? pointCount);
      const size = pointCount < CLUSTER_STEPS[0] ? 'small' : pointCount < CLUSTER_STEPS[1] ? 'medium' : 'large';
      specs.push({
        key: String(clusterId),
        lngLat: feature.geometry.coordinates as LonLat,
        create: () => {
          const element = document.createElement('div');
          element.setAttribute('aria-hidden', 'true');
          return element;
        },
        update: (element: HTMLElement) => {
          // classList, not className: MapLibre's own marker classes position the element.
          element.classList.add('map-cluster');
          for (const s of ['small', 'medium', 'large']) element.classList.toggle(`map-cluster--${s}`, s === size);
          element.textContent = text;
        },
      });
    }
    this.view.setHtmlMarkers(MARKERS.clusters, specs);
  }

  private updateCommunityLabelVisibility() {
    const hidden = this.view.map.getZoom() < COMMUNITY_LABEL_MIN_ZOOM;
    this.view.map.getContainer().classList.toggle('map-hide-community-labels', hidden);
  }

  /**
   * The district, street and community outlines, as vector tiles from this TileJSON URL, drawn
   * beneath everything else. Their names are placed from the tiles' label points.
   */
  setAreaTiles(tileJsonUrl: string | null) {
    if (!tileJsonUrl || this.areaTilesUrl) return;
    this.areaTilesUrl = tileJsonUrl;
    const level = (name: string) => ['==', ['get', 'level'], name] as ['==', ['get', string], string];
    this.view.addVectorTiles(
      SOURCE.areas,
      tileJsonUrl,
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

  setFacilities(facilities: FacilityCollection | null) {
    this.facilities = facilities;
    this.pushClusteredFacilities();
  }

  /**
   * The clustered source without the facilities drawn on their own: an HTML cluster circle
   * would otherwise cover the selected facility or a nearest answer.
   */
  private pushClusteredFacilities() {
    const all = this.facilities;
    const apart = (id: number) => id === this.selectedId || this.nearestIds.has(id);
    const data = all && (this.selectedId !== null || this.nearestIds.size > 0)
      ? { ...all, features: all.features.filter((f) => !apart(f.properties.id)) }
      : all;
    this.view.setGeoJsonData(SOURCE.facilities, data);
    if (!data || data.features.length === 0) this.view.setHtmlMarkers(MARKERS.clusters, []);
  }

  setSelected(facility: FacilityFeature | null) {
    this.view.setGeoJsonData(SOURCE.selected, facility ? { type: 'FeatureCollection', features: [facility] } : null);
    const id = facility?.properties.id ?? null;
    if (id !== this.selectedId) {
      this.selectedId = id;
      this.pushClusteredFacilities();
    }
  }

  setServiceArea(area: ServiceAreaFeature | null) {
    this.view.setGeoJsonData(SOURCE.serviceArea, area);
  }

  /** The chosen point, lines to the nearest facilities, and their rank badges. */
  setNearest(point: LonLat | null, results: readonly NearestFeature[], labels: NearestLabels) {
    const lines: FeatureCollection<LineString> = {
      type: 'FeatureCollection',
      features: point
        ? results.map((f) => ({
            type: 'Feature',
            properties: { id: f.properties.id },
            geometry: { type: 'LineString', coordinates: [point, f.geometry.coordinates] },
          }))
        : [],
    };
    this.view.setGeoJsonData(SOURCE.nearestLines, lines);
    const ids = new Set(point ? results.map((f) => f.properties.id) : []);
    if (ids.size !== this.nearestIds.size || [...ids].some((id) => !this.nearestIds.has(id))) {
      this.nearestIds = ids;
      this.pushClusteredFacilities();
    }
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
                  this.handlers.onFacilityClick(id);
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
