/**
 * The base style under our own layers. Government networks are often offline, so the default
 * needs no outside request at all: everything comes from Wangge itself. Under the data layers of
 * every map page it draws, over a plain background:
 * - an offline basemap file an admin installed (MBTiles/PMTiles, raster or vector: /api/basemap/tiles),
 *   or else, with a Tianditu key, Tianditu's vector map and labels (Web Mercator `_w` sets);
 * - the imported roads (Wangge's own `roads` tiles) by class, with street names along them from
 *   street zoom, and the buildings as small dots (`buildings` tiles: positions only for the public);
 * - label glyphs from /api/glyphs (built on the server from its Noto Sans CJK font).
 * With a style URL, that style is the base instead.
 */
import type { LayerSpecification, RasterSourceSpecification, StyleSpecification } from 'maplibre-gl';

/** An offline basemap file installed on the server (what /api/config says about it). */
export interface InstalledBasemap {
  name: string;
  tileType: 'vector' | 'raster';
  bounds: number[];
  minzoom: number;
  maxzoom: number;
  vectorLayers: string[];
}

export interface BasemapSettings {
  tiandituKey: string | null;
  styleUrl: string | null;
  installed?: InstalledBasemap | null;
}

/** The font of every label in the default style (served by /api/glyphs). */
export const LABEL_FONT = ['Noto Sans CJK SC Regular'];
/** Street names from this zoom (the roads tiles carry them from here). */
export const ROAD_NAMES_MIN_ZOOM = 15;

export const OFFLINE_BACKGROUND_COLOUR = '#eef0ea';

const TIANDITU_SUBDOMAINS = [0, 1, 2, 3, 4, 5, 6, 7];

/** A Tianditu WMTS layer (`vec` vector map, `cva` its labels, `img`/`cia` imagery) as XYZ tiles. */
export function tiandituSource(layer: 'vec' | 'cva' | 'img' | 'cia', key: string): RasterSourceSpecification {
  return {
    type: 'raster',
    tileSize: 256,
    maxzoom: 18,
    attribution: '© 天地图 Tianditu',
    tiles: TIANDITU_SUBDOMAINS.map(
      (n) =>
        `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
        `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
    ),
  };
}

/** The page's own origin: MapLibre needs absolute tile URLs. */
function origin(): string {
  return typeof location === 'undefined' ? 'http://127.0.0.1' : location.origin;
}

const ROAD_COLOURS: [string[], string][] = [
  [['motorway', 'trunk'], '#f2b36f'],
  [['primary', 'secondary'], '#f7d58b'],
  [['tertiary'], '#fbeab8'],
];
const MAJOR = ['motorway', 'trunk', 'primary', 'secondary'];
const PATHS = ['footway', 'path', 'cycleway', 'steps', 'track'];

/** Road width by class at a zoom: arterials widest, local streets, then service roads. */
function roadWidth(scale: number): unknown {
  return ['match', ['get', 'class'], MAJOR, 2.2 * scale, ['tertiary'], 1.6 * scale, ['service', 'pedestrian', 'living_street'], 0.8 * scale, 1.2 * scale];
}

/** The roads and buildings from Wangge's own tiles, and street names along the roads. */
export function groundLayers(): LayerSpecification[] {
  const width = ['interpolate', ['exponential', 1.4], ['zoom'], 10, roadWidth(0.6), 14, roadWidth(2.6), 17, roadWidth(8)];
  const casing = ['interpolate', ['exponential', 1.4], ['zoom'], 10, roadWidth(0.9), 14, roadWidth(3.4), 17, roadWidth(9)];
  const notPath = ['!', ['in', ['get', 'class'], ['literal', PATHS]]];
  return [
    { id: 'ground-buildings', type: 'circle', source: 'wangge-buildings', 'source-layer': 'buildings', minzoom: 14,
      paint: { 'circle-color': '#d9d3c7', 'circle-stroke-color': '#c4bcae', 'circle-stroke-width': 0.5,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, ['match', ['get', 'kind'], 'compound', 3, 1.5], 17, ['match', ['get', 'kind'], 'compound', 8, 4]] } },
    { id: 'ground-paths', type: 'line', source: 'wangge-roads', 'source-layer': 'roads', filter: ['in', ['get', 'class'], ['literal', PATHS]],
      layout: { 'line-cap': 'butt' }, paint: { 'line-color': '#a8998a', 'line-width': ['interpolate', ['linear'], ['zoom'], 15, 0.8, 18, 2], 'line-dasharray': [2, 1.5] } },
    { id: 'ground-roads-casing', type: 'line', source: 'wangge-roads', 'source-layer': 'roads', filter: notPath,
      layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#b9b0a0', 'line-width': casing } },
    { id: 'ground-roads', type: 'line', source: 'wangge-roads', 'source-layer': 'roads', filter: notPath,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['match', ['get', 'class'], ...ROAD_COLOURS.flatMap(([classes, colour]) => [classes, colour]), '#ffffff'], 'line-width': width } },
    { id: 'ground-road-names', type: 'symbol', source: 'wangge-roads', 'source-layer': 'roads', minzoom: ROAD_NAMES_MIN_ZOOM, filter: ['has', 'name'],
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 15, 11, 18, 14],
        'text-max-angle': 35, 'symbol-spacing': 300, 'text-rotation-alignment': 'map', 'text-pitch-alignment': 'viewport' },
      paint: { 'text-color': '#5b5348', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 } },
  ] as LayerSpecification[];
}

/** The offline style: background, an installed basemap file or Tianditu, then roads and buildings. */
export function offlineStyle(settings: Pick<BasemapSettings, 'tiandituKey' | 'installed'>): StyleSpecification {
  const base = origin();
  const style: StyleSpecification = {
    version: 8,
    glyphs: `${base}/api/glyphs/{fontstack}/{range}.pbf`,
    sources: {
      'wangge-roads': { type: 'vector', tiles: [`${base}/api/tiles/roads/{z}/{x}/{y}`], minzoom: 8, maxzoom: 16 },
      // The basemap draws buildings as dots: their positions and kind only, the same small tile for everyone.
      'wangge-buildings': { type: 'vector', tiles: [`${base}/api/tiles/buildings/{z}/{x}/{y}?fields=public`], minzoom: 13, maxzoom: 16 },
    },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': OFFLINE_BACKGROUND_COLOUR } }],
  };
  const installed = settings.installed;
  if (installed) {
    const source = {
      tiles: [`${base}/api/basemap/tiles/{z}/{x}/{y}`],
      minzoom: installed.minzoom,
      maxzoom: installed.maxzoom,
      bounds: installed.bounds as [number, number, number, number],
      attribution: installed.name,
    };
    if (installed.tileType === 'raster') {
      style.sources['basemap-file'] = { type: 'raster', tileSize: 256, ...source };
      style.layers.push({ id: 'basemap-file', type: 'raster', source: 'basemap-file' });
    } else {
      // A vector basemap comes with no style of its own: its polygons as soft fills, its lines as
      // thin grey lines, layer by layer in the order its metadata lists them.
      style.sources['basemap-file'] = { type: 'vector', ...source };
      for (const layer of installed.vectorLayers) {
        style.layers.push({ id: `basemap-file-${layer}-fill`, type: 'fill', source: 'basemap-file', 'source-layer': layer, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': '#e3e6dc', 'fill-outline-color': '#d2d5c9' } });
        style.layers.push({ id: `basemap-file-${layer}-line`, type: 'line', source: 'basemap-file', 'source-layer': layer, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#c8c6bd', 'line-width': 0.8 } });
      }
    }
  } else if (settings.tiandituKey) {
    style.sources['tianditu-vec'] = tiandituSource('vec', settings.tiandituKey);
    style.sources['tianditu-cva'] = tiandituSource('cva', settings.tiandituKey);
    style.layers.push({ id: 'tianditu-vec', type: 'raster', source: 'tianditu-vec' });
    style.layers.push({ id: 'tianditu-cva', type: 'raster', source: 'tianditu-cva' });
  }
  style.layers.push(...groundLayers());
  return style;
}

/** What to hand MapLibre as `style`: the configured style URL, or the offline style. */
export function baseStyle(settings: BasemapSettings): string | StyleSpecification {
  return settings.styleUrl ?? offlineStyle(settings);
}
