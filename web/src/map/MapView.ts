/**
 * MapLibre behind a small imperative class. React owns the state and pushes it in through these
 * methods; nothing here knows about React or about any one page.
 *
 * Overlays (our GeoJSON sources and layers) are kept in a registry and re-added whenever the base
 * style (re)loads, so a basemap that fails and falls back to the offline style loses nothing.
 * Text is never drawn with symbol layers (they need a glyph server, which offline networks lack):
 * `setHtmlMarkers` places DOM elements instead.
 */
import {
  LngLatBounds,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  prewarm,
  setWorkerUrl,
  type CircleLayerSpecification,
  type ErrorEvent,
  type FillLayerSpecification,
  type FilterSpecification,
  type GeoJSONFeature,
  type GeoJSONSource,
  type GeoJSONSourceSpecification,
  type LayerSpecification,
  type LineLayerSpecification,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type PositionAnchor,
  type VectorSourceSpecification,
  type VectorTileSource,
} from 'maplibre-gl';
import type { Feature, FeatureCollection } from 'geojson';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { LayersList } from '@deck.gl/core';
import 'maplibre-gl/dist/maplibre-gl.css';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './map.css';
import { baseStyle, offlineStyle, type BasemapSettings } from './basemap';
import type { BBox } from './geometry';

// MapLibre finds its worker next to its own module by default; once bundled it is not there, so
// the worker file is emitted as an asset of its own and MapLibre is told where.
setWorkerUrl(maplibreWorkerUrl);
// Start the map's worker with this module rather than when the first map is made (after the page's
// settings arrive): a map's first tiles, which the worker fetches, wait for it to have compiled its
// script. The script is fetched here first (cached for a year: its name carries its hash), then the
// worker starts from the cache (the page's fetch is the one a network profile sees and slows).
if (typeof window !== 'undefined') {
  void fetch(maplibreWorkerUrl)
    .then((r) => r.arrayBuffer())
    .catch(() => {})
    .then(() => prewarm());
}

export type LonLat = [number, number];

export interface MapUiStrings {
  /** The map canvas's accessible name. */
  title: string;
  zoomIn: string;
  zoomOut: string;
  resetBearing: string;
}

export interface MapViewOptions {
  basemap: BasemapSettings;
  /** The view to start from before any data arrives, framed with `initialPadding` pixels (24) around it. */
  initialBounds?: BBox;
  initialPadding?: number;
  uiStrings: MapUiStrings;
}

export interface HtmlMarkerSpec {
  /** Stable identity: a marker with the same key is moved and updated, not rebuilt. */
  key: string;
  lngLat: LonLat;
  /** Builds the element the first time the key is seen. */
  create: () => HTMLElement;
  /**
   * Brings an existing element up to date (text, classes). Use classList: MapLibre puts its
   * own positioning classes on the element.
   */
  update?: (element: HTMLElement) => void;
  anchor?: PositionAnchor;
}

type GeoJsonData = FeatureCollection | Feature;

/**
 * A layer drawn from a vector-tile source, naming the MVT layer it reads (`source-layer`): fill,
 * line or circle only (symbol layers need a glyph server, which offline networks lack).
 */
export type VectorTileLayerSpec =
  | (Omit<FillLayerSpecification, 'source'> & { 'source-layer': string })
  | (Omit<LineLayerSpecification, 'source'> & { 'source-layer': string })
  | (Omit<CircleLayerSpecification, 'source'> & { 'source-layer': string });

/** The parts of a TileJSON (absolute tile URLs) a vector source is made from. */
export interface VectorTileJson {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: number[];
}

const EMPTY_COLLECTION: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** How long a configured style URL may take before we give up and use the offline style. */
const STYLE_URL_TIMEOUT_MS = 8000;

export class MapView {
  readonly map: MapLibreMap;
  private readonly sources = new Map<string, { options: Omit<GeoJSONSourceSpecification, 'type' | 'data'>; data: GeoJsonData }>();
  private readonly vectorSources = new Map<string, VectorSourceSpecification>();
  /** Feature states per `source/source-layer`, re-applied when the style reloads. */
  private readonly featureStates = new Map<string, { source: string; sourceLayer: string; states: ReadonlyMap<string | number, Record<string, unknown>> }>();
  private readonly layers: { spec: LayerSpecification; beforeId?: string }[] = [];
  private readonly markerGroups = new Map<string, Map<string, Marker>>();
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private styleLoaded = false;
  private usingFallbackStyle = false;
  private styleTimeout: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  /** The canvas cursor when not over a clickable feature. */
  private cursor = '';
  /** Marker groups whose members hide when they overlap an earlier one (first group wins). */
  private declutterGroups: readonly string[] = [];
  private declutterFrame = 0;
  /** deck.gl layers drawn over the map (created on first use). */
  private deckOverlay: MapboxOverlay | null = null;
  private deckLayers: LayersList | null = null;

  constructor(container: HTMLElement, private readonly options: MapViewOptions) {
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
    this.map = new MapLibreMap({
      container,
      style: baseStyle(options.basemap),
      bounds: options.initialBounds,
      fitBoundsOptions: { padding: options.initialPadding ?? 24 },
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxZoom: 19,
      // Every label glyph, CJK included, comes from the style's glyph server (Wangge's own), so
      // labels look the same on every machine whatever fonts its browser has.
      localIdeographFontFamily: false,
      locale: {
        'Map.Title': options.uiStrings.title,
        'NavigationControl.ZoomIn': options.uiStrings.zoomIn,
        'NavigationControl.ZoomOut': options.uiStrings.zoomOut,
        'NavigationControl.ResetBearing': options.uiStrings.resetBearing,
      },
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');

    this.map.on('style.load', this.onStyleLoad);
    this.map.on('idle', this.scheduleDeclutter);
    this.map.on('error', this.onError);
    if (options.basemap.styleUrl) {
      this.styleTimeout = setTimeout(() => this.fallBackToOfflineStyle('timeout'), STYLE_URL_TIMEOUT_MS);
    }
  }

  /** Resolves once the first style has loaded and overlays are on the map. */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  private onStyleLoad = () => {
    if (this.styleTimeout) clearTimeout(this.styleTimeout);
    this.styleLoaded = true;
    for (const [id, { options, data }] of this.sources) {
      if (!this.map.getSource(id)) this.map.addSource(id, { type: 'geojson', ...options, data });
    }
    for (const [id, spec] of this.vectorSources) {
      if (!this.map.getSource(id)) this.map.addSource(id, spec);
    }
    for (const { spec, beforeId } of this.layers) {
      if (!this.map.getLayer(spec.id)) this.map.addLayer(spec, beforeId && this.map.getLayer(beforeId) ? beforeId : undefined);
    }
    for (const entry of this.featureStates.values()) this.applyFeatureStates(entry.source, entry.sourceLayer, entry.states);
    // The map, reachable from the page for browser tests and debugging (e.g. to turn a longitude
    // and latitude into a point on screen): `container.wanggeMap`.
    Object.defineProperty(this.map.getContainer(), 'wanggeMap', { value: this.map, configurable: true });
    this.resolveReady();
  };

  private onError = (event: ErrorEvent & { sourceId?: string }) => {
    // A failing base style (offline network, bad URL) is replaced by the offline style; tile
    // errors of a loaded style (Tianditu unreachable) only leave the background showing.
    if (!this.styleLoaded && !event.sourceId && this.options.basemap.styleUrl) {
      this.fallBackToOfflineStyle(event.error.message);
      return;
    }
    console.warn('[map]', event.error.message);
  };

  private fallBackToOfflineStyle(reason: string) {
    if (this.destroyed || this.styleLoaded || this.usingFallbackStyle) return;
    this.usingFallbackStyle = true;
    console.warn(`[map] base style ${this.options.basemap.styleUrl} unavailable (${reason}); using the offline style`);
    this.map.setStyle(offlineStyle(this.options.basemap));
  }

  /** Adds (or replaces the options of) a GeoJSON source; `data` defaults to empty. */
  addGeoJsonSource(id: string, options: Omit<GeoJSONSourceSpecification, 'type' | 'data'> = {}, data: GeoJsonData = EMPTY_COLLECTION) {
    this.sources.set(id, { options, data });
    if (this.styleLoaded && !this.map.getSource(id)) this.map.addSource(id, { type: 'geojson', ...options, data });
  }

  setGeoJsonData(id: string, data: GeoJsonData | null) {
    const entry = this.sources.get(id);
    if (!entry) throw new Error(`MapView: no source ${id}`);
    entry.data = data ?? EMPTY_COLLECTION;
    const source = this.map.getSource<GeoJSONSource>(id);
    if (source) void source.setData(entry.data);
  }

  /** Adds a layer; layers are drawn in the order added unless `beforeId` is given. */
  addLayer(spec: LayerSpecification, beforeId?: string) {
    if (spec.type === 'symbol') throw new Error('MapView: symbol layers need a glyph server; use setHtmlMarkers for text');
    this.layers.push({ spec, beforeId });
    if (this.styleLoaded && !this.map.getLayer(spec.id)) this.map.addLayer(spec, beforeId && this.map.getLayer(beforeId) ? beforeId : undefined);
  }

  /**
   * Adds a vector-tile source from a TileJSON URL (MapLibre reads the tile URL template, zooms and
   * bounds from it) and layers drawn from it, in order, below `beforeId` when given. Tiles are
   * fetched as the view needs them, so a layer of any size costs only what is on screen.
   * `promoteId` names the MVT field that identifies a feature for `setFeatureStates` (e.g. 'code').
   */
  addVectorTiles(sourceId: string, tileJson: string | VectorTileJson, layers: readonly VectorTileLayerSpec[], beforeId?: string, options: { promoteId?: string } = {}) {
    // A TileJSON the page has fetched already is passed as it is, so MapLibre does not fetch it again.
    const spec: VectorSourceSpecification =
      typeof tileJson === 'string'
        ? { type: 'vector', url: new URL(tileJson, window.location.href).href }
        : { type: 'vector', tiles: tileJson.tiles, minzoom: tileJson.minzoom, maxzoom: tileJson.maxzoom, bounds: tileJson.bounds as [number, number, number, number] };
    if (options.promoteId) spec.promoteId = options.promoteId;
    this.vectorSources.set(sourceId, spec);
    if (this.styleLoaded && !this.map.getSource(sourceId)) this.map.addSource(sourceId, spec);
    for (const layer of layers) this.addLayer({ ...layer, source: sourceId } as LayerSpecification, beforeId);
  }

  /**
   * Points a vector-tile source at another TileJSON URL (a new filter in its query string): its
   * tiles are fetched afresh for what is on screen. The same URL again does nothing.
   */
  setVectorTilesUrl(sourceId: string, tileJsonUrl: string) {
    const spec = this.vectorSources.get(sourceId);
    if (!spec) throw new Error(`MapView: no vector source ${sourceId}`);
    const url = new URL(tileJsonUrl, window.location.href).href;
    if (spec.url === url) return;
    spec.url = url;
    const source = this.map.getSource<VectorTileSource>(sourceId);
    if (source) source.setUrl(url);
  }

  /**
   * Fetches a vector-tile source's tiles on screen again (after an edit): the browser revalidates
   * each with its ETag, so unchanged tiles come back as 304s and only the edited ones are redrawn.
   */
  refreshVectorTiles(sourceId: string) {
    if (this.map.getSource(sourceId)) this.map.refreshTiles(sourceId);
  }

  /**
   * Replaces the feature states of one MVT layer (e.g. a coverage share per grid code, joined to
   * the tiles by the source's `promoteId`): paint expressions read them with ['feature-state', key].
   * Kept across style reloads.
   */
  setFeatureStates(sourceId: string, sourceLayer: string, states: ReadonlyMap<string | number, Record<string, unknown>>) {
    this.featureStates.set(`${sourceId}/${sourceLayer}`, { source: sourceId, sourceLayer, states });
    this.applyFeatureStates(sourceId, sourceLayer, states);
  }

  private applyFeatureStates(source: string, sourceLayer: string, states: ReadonlyMap<string | number, Record<string, unknown>>) {
    if (!this.map.getSource(source)) return;
    this.map.removeFeatureState({ source, sourceLayer });
    for (const [id, state] of states) this.map.setFeatureState({ source, sourceLayer, id }, state);
  }

  /** The features of one MVT layer in the tiles loaded now (a feature cut by tile edges comes once per tile). */
  vectorTileFeatures(sourceId: string, sourceLayer: string): GeoJSONFeature[] {
    if (!this.map.getSource(sourceId)) return [];
    return this.map.querySourceFeatures(sourceId, { sourceLayer });
  }

  /** Calls `handler` each time the map has finished loading and drawing (after every move). */
  onIdle(handler: () => void): () => void {
    this.map.on('idle', handler);
    return () => this.map.off('idle', handler);
  }

  setFilter(layerId: string, filter: FilterSpecification | null) {
    const entry = this.layers.find((l) => l.spec.id === layerId);
    if (entry && 'filter' in entry.spec) {
      if (filter) (entry.spec as { filter?: FilterSpecification }).filter = filter;
      else delete (entry.spec as { filter?: FilterSpecification }).filter;
    }
    if (this.map.getLayer(layerId)) this.map.setFilter(layerId, filter);
  }

  /** Shows or hides a layer (kept across a style reload). */
  setLayerVisibility(layerId: string, visible: boolean) {
    const entry = this.layers.find((l) => l.spec.id === layerId);
    const visibility = visible ? 'visible' : 'none';
    if (entry) (entry.spec as { layout?: Record<string, unknown> }).layout = { ...(entry.spec as { layout?: Record<string, unknown> }).layout, visibility };
    if (this.map.getLayer(layerId)) this.map.setLayoutProperty(layerId, 'visibility', visibility);
  }

  /**
   * The map as drawn, as a PNG data URL (WebGL layers only; HTML markers are not part of the
   * canvas). The drawing buffer is read right after a fresh render, while it still holds the frame.
   */
  snapshotPng(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.map.once('render', () => {
        try {
          resolve(this.map.getCanvas().toDataURL('image/png'));
        } catch (error) {
          reject(error);
        }
      });
      this.map.triggerRepaint();
    });
  }

  /** Calls `handler` with the top feature of `layerId` under a click; shows a pointer over it. */
  onLayerClick(layerId: string, handler: (feature: MapGeoJSONFeature, event: MapMouseEvent) => void): () => void {
    const click = (event: MapMouseEvent & { features?: MapGeoJSONFeature[] }) => {
      const feature = event.features?.[0];
      if (feature) handler(feature, event);
    };
    const enter = () => (this.map.getCanvas().style.cursor = 'pointer');
    const leave = () => (this.map.getCanvas().style.cursor = this.cursor);
    this.map.on('click', layerId, click);
    this.map.on('mouseenter', layerId, enter);
    this.map.on('mouseleave', layerId, leave);
    return () => {
      this.map.off('click', layerId, click);
      this.map.off('mouseenter', layerId, enter);
      this.map.off('mouseleave', layerId, leave);
    };
  }

  /** Clicks on the map that hit none of `exceptLayers`. */
  onBackgroundClick(exceptLayers: readonly string[], handler: (lngLat: LonLat) => void): () => void {
    const click = (event: MapMouseEvent) => {
      const present = exceptLayers.filter((id) => this.map.getLayer(id));
      if (present.length > 0 && this.map.queryRenderedFeatures(event.point, { layers: present }).length > 0) return;
      handler([event.lngLat.lng, event.lngLat.lat]);
    };
    this.map.on('click', click);
    return () => this.map.off('click', click);
  }

  /** The canvas cursor when not over a clickable feature (e.g. 'crosshair' while picking). */
  setCursor(cursor: string) {
    this.cursor = cursor;
    this.map.getCanvas().style.cursor = cursor;
  }

  /** Replaces a group of HTML markers, keeping elements whose key stays. */
  setHtmlMarkers(group: string, specs: readonly HtmlMarkerSpec[]) {
    let markers = this.markerGroups.get(group);
    if (!markers) {
      markers = new Map();
      this.markerGroups.set(group, markers);
    }
    const keep = new Set<string>();
    for (const spec of specs) {
      keep.add(spec.key);
      const existing = markers.get(spec.key);
      if (existing) {
        existing.setLngLat(spec.lngLat);
        spec.update?.(existing.getElement());
        continue;
      }
      const element = spec.create();
      spec.update?.(element);
      const marker = new Marker({ element, anchor: spec.anchor ?? 'center' }).setLngLat(spec.lngLat).addTo(this.map);
      markers.set(spec.key, marker);
    }
    for (const [key, marker] of markers) {
      if (!keep.has(key)) {
        marker.remove();
        markers.delete(key);
      }
    }
    if (this.declutterGroups.includes(group)) this.scheduleDeclutter();
  }

  /**
   * Text markers have no collision detection of their own (that is what symbol layers do):
   * after each move, markers of these groups that overlap one placed before them are hidden.
   * Groups come in priority order, and markers within a group in the order they were first given.
   * Markers in these groups must be centre-anchored.
   */
  setDeclutterGroups(groups: readonly string[]) {
    this.declutterGroups = groups;
    this.scheduleDeclutter();
  }

  private scheduleDeclutter = () => {
    if (this.declutterFrame || this.destroyed) return;
    this.declutterFrame = requestAnimationFrame(() => {
      this.declutterFrame = 0;
      this.declutter();
    });
  };

  private declutter() {
    if (this.destroyed) return;
    const { width, height } = this.map.getCanvas().getBoundingClientRect();
    const placed: { left: number; top: number; right: number; bottom: number }[] = [];
    const gap = 2;
    for (const group of this.declutterGroups) {
      for (const marker of this.markerGroups.get(group)?.values() ?? []) {
        const element = marker.getElement();
        element.style.visibility = '';
        const w = element.offsetWidth;
        const h = element.offsetHeight;
        if (!w || !h) continue; // hidden by CSS (e.g. below its zoom)
        const p = this.map.project(marker.getLngLat());
        const box = { left: p.x - w / 2 - gap, top: p.y - h / 2 - gap, right: p.x + w / 2 + gap, bottom: p.y + h / 2 + gap };
        if (box.right < 0 || box.bottom < 0 || box.left > width || box.top > height) continue;
        if (placed.some((o) => box.left < o.right && box.right > o.left && box.top < o.bottom && box.bottom > o.top)) {
          element.style.visibility = 'hidden';
          continue;
        }
        placed.push(box);
      }
    }
  }

  /**
   * Draws deck.gl layers over the map (heatmaps, hexagons, binary point sets). React rebuilds the
   * layer list with stable ids on every change and hands it in here; deck.gl diffs it.
   */
  setDeckLayers(layers: LayersList) {
    const first = this.deckLayers === null;
    this.deckLayers = layers;
    if (this.deckOverlay) {
      this.deckOverlay.setProps({ layers });
      return;
    }
    if (!first) return; // the overlay is on its way and will take the latest layers
    // deck.gl is loaded only by the pages that use it, not by the public map.
    void import('@deck.gl/mapbox').then(({ MapboxOverlay }) => {
      if (this.destroyed) return;
      this.deckOverlay = new MapboxOverlay({ interleaved: false, layers: this.deckLayers ?? [] });
      this.map.addControl(this.deckOverlay);
    });
  }

  /** The map's current zoom and, after each move, a callback with it. */
  onZoomEnd(handler: (zoom: number) => void): () => void {
    const listener = () => handler(this.map.getZoom());
    this.map.on('zoomend', listener);
    return () => this.map.off('zoomend', listener);
  }

  fitBounds(bbox: BBox, options: { padding?: number; maxZoom?: number; animate?: boolean } = {}) {
    const bounds = new LngLatBounds([bbox[0], bbox[1]], [bbox[2], bbox[3]]);
    this.map.fitBounds(bounds, { padding: options.padding ?? 32, maxZoom: options.maxZoom ?? 17, animate: options.animate ?? true, duration: 600 });
  }

  /** Brings a point into view, zooming in at least to `minZoom`. */
  showPoint(lngLat: LonLat, minZoom = 15) {
    this.map.easeTo({ center: lngLat, zoom: Math.max(this.map.getZoom(), minZoom), duration: 600 });
  }

  /** Renames the built-in control buttons after a language switch. */
  setUiStrings(strings: MapUiStrings) {
    const container = this.map.getContainer();
    const rename = (selector: string, label: string) => {
      container.querySelectorAll<HTMLElement>(selector).forEach((button) => {
        button.title = label;
        button.setAttribute('aria-label', label);
      });
    };
    this.map.getCanvas().setAttribute('aria-label', strings.title);
    rename('.maplibregl-ctrl-zoom-in', strings.zoomIn);
    rename('.maplibregl-ctrl-zoom-out', strings.zoomOut);
    rename('.maplibregl-ctrl-compass', strings.resetBearing);
  }

  destroy() {
    this.destroyed = true;
    cancelAnimationFrame(this.declutterFrame);
    if (this.styleTimeout) clearTimeout(this.styleTimeout);
    for (const markers of this.markerGroups.values()) for (const marker of markers.values()) marker.remove();
    this.markerGroups.clear();
    if (this.deckOverlay) this.map.removeControl(this.deckOverlay);
    this.deckOverlay = null;
    this.map.remove();
  }
}
