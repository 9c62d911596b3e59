/**
 * The base style under our own layers. Government networks are often offline, so the default is
 * a plain background that needs no outside request at all: no tiles, no glyphs, no sprite (and
 * therefore no symbol layers anywhere in the app: text is drawn as HTML markers).
 * With a Tianditu key, its vector map and its labels (Web Mercator `_w` sets) go underneath;
 * with a style URL, that style is the base instead.
 */
import type { RasterSourceSpecification, StyleSpecification } from 'maplibre-gl';

export interface BasemapSettings {
  tiandituKey: string | null;
  styleUrl: string | null;
}

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

/** The offline style: a background, plus Tianditu rasters when a key is configured. */
export function offlineStyle(settings: Pick<BasemapSettings, 'tiandituKey'>): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': OFFLINE_BACKGROUND_COLOUR } }],
  };
  if (settings.tiandituKey) {
    style.sources['tianditu-vec'] = tiandituSource('vec', settings.tiandituKey);
    style.sources['tianditu-cva'] = tiandituSource('cva', settings.tiandituKey);
    style.layers.push({ id: 'tianditu-vec', type: 'raster', source: 'tianditu-vec' });
    style.layers.push({ id: 'tianditu-cva', type: 'raster', source: 'tianditu-cva' });
  }
  return style;
}

/** What to hand MapLibre as `style`: the configured style URL, or the offline style. */
export function baseStyle(settings: BasemapSettings): string | StyleSpecification {
  return settings.styleUrl ?? offlineStyle(settings);
}
