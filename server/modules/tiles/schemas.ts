import { Type, type Static } from 'typebox';

export const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22, description: 'Zoom' }),
  x: Type.Integer({ minimum: 0, description: 'Column, 0 … 2^z − 1 from the west' }),
  y: Type.Integer({ minimum: 0, description: 'Row, 0 … 2^z − 1 from the north (XYZ scheme)' }),
});
export type TileParams = Static<typeof TileParams>;

const CodeList = (what: string) => Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z0-9_,]*$', description: `Comma-separated ${what}` }));

/** The incident filter of tiles: the analyst's filter (as the incident aggregates take it). */
export const IncidentTileQuery = Type.Object({
  from: Type.String({ description: 'Reported from, inclusive: ISO date (China time midnight) or date-time' }),
  to: Type.String({ description: 'Reported before, exclusive: ISO date (China time midnight) or date-time' }),
  category: CodeList('top-level category codes'),
  status: CodeList('statuses'),
  source: CodeList('sources'),
  area: Type.Optional(
    Type.String({ pattern: '^([0-9]{6}|[0-9]{9}|[0-9]{12})$', description: 'Only incidents of this district, street or community (narrows the caller\'s own area)' }),
  ),
});
export type IncidentTileQuery = Static<typeof IncidentTileQuery>;

/** The query of a layer with staff-only fields (buildings, facilities). */
export const StaffFieldsTileQuery = Type.Object({
  fields: Type.Optional(
    Type.Literal('public', {
      description:
        "'public': only the fields anyone may see, also for staff (the tile an anonymous caller gets; any cache may keep it). For maps that draw positions only, e.g. the basemap's building dots",
    }),
  ),
});
export type StaffFieldsTileQuery = Static<typeof StaffFieldsTileQuery>;

export const VectorLayerInfo = Type.Object({
  id: Type.String(),
  description: Type.Optional(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  fields: Type.Record(Type.String(), Type.String()),
});

/** TileJSON 3.0.0 (the parts MapLibre reads). */
export const TileJson = Type.Object({
  tilejson: Type.Literal('3.0.0'),
  name: Type.String(),
  description: Type.String(),
  scheme: Type.Literal('xyz'),
  tiles: Type.Array(Type.String()),
  minzoom: Type.Integer(),
  maxzoom: Type.Integer(),
  /** [west, south, east, north] of the data (the district's outline). */
  bounds: Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }),
  center: Type.Array(Type.Number(), { minItems: 3, maxItems: 3 }),
  vector_layers: Type.Array(VectorLayerInfo),
});
export type TileJson = Static<typeof TileJson>;

export const TileCacheStatistics = Type.Object({
  entries: Type.Integer(),
  bytes: Type.Integer(),
  maxBytes: Type.Integer(),
  hits: Type.Integer(),
  misses: Type.Integer(),
  invalidations: Type.Integer(),
  tilesInvalidated: Type.Integer(),
  tilesEvicted: Type.Integer(),
  reliable: Type.Boolean(),
});
