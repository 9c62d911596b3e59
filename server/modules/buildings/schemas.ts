/** The replies of the buildings and grid-figures imports. */
import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Totals = {
  buildings: Type.Integer(),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
};

export const ImportErrorSchema = Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), message: Type.String() });

export const BuildingImportPreview = Type.Object({
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
