/** The replies of the buildings and grid-figures imports. */
import { Type, type Static } from 'typebox';
import { CrsHintSchema } from '../imports/offset-check.js';
import { ProblemFields } from '../../shared/schema-helpers.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Totals = {
  buildings: Type.Integer(),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
};

export const ImportErrorSchema = Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), message: Type.String(), ...ProblemFields });

export const BuildingImportPreview = Type.Object({
  crsHint: Type.Optional(CrsHintSchema),
  format: Type.String(),
  crs: Type.String(),
  unit: Type.Enum(['row', 'feature']),
  columns: Type.Record(Type.String(), Type.String()),
  rowCount: Type.Integer(),
  totals: Type.Object(Totals),
  /** Per community the file covers: what it brings, and how many live buildings it replaces ('' = no community). */
  communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), replacing: Type.Integer(), ...Totals })),
  errors: Type.Array(ImportErrorSchema),
  /** [lon, lat, row] of every valid building, for the map. */
  points: Type.Array(Type.Array(Type.Number())),
  rows: Type.Array(Type.Object({
    row: Type.Integer(), name: Type.String(), address: Nullable(Type.String()), buildingCode: Nullable(Type.String()),
    communityCode: Nullable(Type.String()), gridCode: Nullable(Type.String()),
    households: Type.Integer(), residents: Type.Integer(), residents60Plus: Type.Integer(), residents80Plus: Type.Integer(),
  })),
});

export const BuildingImportResult = Type.Object({
  retired: Type.Integer(),
  inserted: Type.Integer(),
  gridsRecounted: Type.Integer(),
  totals: Type.Object(Totals),
  communities: BuildingImportPreview.properties.communities,
});
export type BuildingImportResult = Static<typeof BuildingImportResult>;

export const BuildingImportJob = Type.Object({
  id: Type.String(),
  status: Type.Enum(['running', 'done', 'failed']),
  progress: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
  result: Nullable(BuildingImportResult),
  error: Nullable(Type.String()),
  errorStatus: Nullable(Type.Integer()),
  errorDetails: Type.Unknown(),
  errorCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorParams: Type.Optional(Type.Unknown()),
});

export const GridFiguresPreview = Type.Object({
  unit: Type.Literal('row'),
  columns: Type.Record(Type.String(), Type.String()),
  rowCount: Type.Integer(),
  errors: Type.Array(ImportErrorSchema),
  rows: Type.Array(Type.Object({
    row: Type.Integer(), gridId: Type.Integer(), code: Type.String(), name: Type.String(),
    households: Type.Integer(), residents: Type.Integer(), residents60Plus: Type.Integer(), residents80Plus: Type.Integer(),
  })),
});

export const GridFiguresResult = Type.Object({ updated: Type.Integer() });

const Figures = {
  households: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  residents: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  residents60Plus: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  residents80Plus: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
};
const Editable = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Enum(['building', 'compound']),
  address: Nullable(Type.String({ maxLength: 200 })),
  buildingCode: Nullable(Type.String({ pattern: '^[0-9]{5}$' })),
  lon: Type.Number({ minimum: 73, maximum: 136 }),
  lat: Type.Number({ minimum: 3, maximum: 54 }),
  ...Figures,
};

/**
 * A footprint drawn on the map instead of a point: the building is placed at its inner point
 * (ST_PointOnSurface, as the import places polygons), and the footprint itself is not kept.
 */
export const Footprint = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 4, maxItems: 2000 }), { minItems: 1, maxItems: 50 }),
}, { additionalProperties: false });
const { lon, lat, ...EditableButPoint } = Editable;
export const BuildingCreateBody = Type.Object({
  ...EditableButPoint,
  /** The point, or else `footprint`. */
  lon: Type.Optional(lon),
  lat: Type.Optional(lat),
  footprint: Type.Optional(Footprint),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const BuildingUpdateBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  ...Object.fromEntries(Object.entries(Editable).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof typeof Editable]: ReturnType<typeof Type.Optional<(typeof Editable)[K]>> },
  /** Moves the building to the inner point of a footprint redrawn on the map. */
  footprint: Type.Optional(Footprint),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const BuildingRetireBody = Type.Object({ version: Type.Integer({ minimum: 1 }), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const Building = Type.Object({
  id: Type.Integer(), ...Editable, communityCode: Nullable(Type.String()), version: Type.Integer(), retired: Type.Boolean(),
});

/** A grid around a changed building: its figures before the change and now (re-counted in the same transaction). */
export const RecountedGrid = Type.Object({
  id: Type.Integer(), code: Type.String(), name: Type.String(), communityCode: Type.String(),
  ...Figures, before: Type.Object(Figures),
});

/** The reply to an edit: the building as it is now, and the grids around its old and new point. */
export const BuildingEditResult = Type.Object({
  ...Building.properties,
  grids: Type.Array(RecountedGrid),
});

export const BuildingHistory = Type.Array(Type.Object({
  version: Type.Integer(), action: Type.String(), name: Type.String(), address: Nullable(Type.String()), buildingCode: Nullable(Type.String()),
  lon: Type.Number(), lat: Type.Number(), ...Figures, retired: Type.Boolean(), reason: Type.String(),
  changedBy: Nullable(Type.String()), changedAt: Type.String(),
}));
