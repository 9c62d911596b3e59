import { Type } from 'typebox';

export const BasemapInfoSchema = Type.Object({
  name: Type.String(),
  fileName: Type.String(),
  format: Type.Union([Type.Literal('mbtiles'), Type.Literal('pmtiles')]),
  tileType: Type.Union([Type.Literal('vector'), Type.Literal('raster')]),
  tileFormat: Type.Union([Type.Literal('pbf'), Type.Literal('png'), Type.Literal('jpg'), Type.Literal('webp'), Type.Literal('avif')]),
  bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  vectorLayers: Type.Array(Type.String()),
  bytes: Type.Integer(),
  installedAt: Type.String(),
});

export const InstalledBasemap = Type.Object({
  installed: Type.Union([BasemapInfoSchema, Type.Null()]),
  /** The largest file an install accepts (BASEMAP_MAX_BYTES). */
  maxBytes: Type.Integer(),
});
