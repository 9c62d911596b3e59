import { Type, type Static } from 'typebox';
import { AreaGeometry, Feature, FeatureCollection } from '../../shared/geojson-schemas.js';
import { ProblemFields } from '../../shared/schema-helpers.js';

export const AreaLevelSchema = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]);

export const AreaProperties = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: AreaLevelSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  /** 'urban' (residents' committee) or 'village' (villagers' committee); null above community level. */
  kind: Type.Union([Type.Literal('urban'), Type.Literal('village'), Type.Null()]),
  areaSquareMeters: Type.Number(),
});
export type AreaProperties = Static<typeof AreaProperties>;

/** Geometry null: an area with no outline yet (only listed when asked for with withoutOutline). */
export const AreaCollection = FeatureCollection(Feature(Type.Union([AreaGeometry, Type.Null()]), AreaProperties));
export type AreaCollection = Static<typeof AreaCollection>;

export const AreasQuery = Type.Object({
  level: AreaLevelSchema,
  parent: Type.Optional(Type.String({ pattern: '^[0-9]{4}([0-9]{2}([0-9]{3})?)?$', description: 'Only the children of this area' })),
  withoutOutline: Type.Optional(Type.Boolean({ description: 'Also list the areas that have no outline yet (with geometry null)' })),
});

const Code = Type.String({ pattern: '^[0-9]{4}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?$' });
export const AreaCodeParams = Type.Object({ code: Code });

/** The top of the hierarchy: every total rolls up to it (全市 for a city, 全区 for one district). */
export const HierarchyRootSchema = Type.Object({
  level: Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Null()]),
  /** '' for districts of different cities (rolled up as "all districts"). */
  code: Type.String(),
  name: Type.String(),
  /** Whether the top is a stored area (a city row or the one district), else named from the national list. */
  stored: Type.Boolean(),
  districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
});
export type HierarchyRoot = Static<typeof HierarchyRootSchema>;

const LevelCount = Type.Object({ total: Type.Integer(), withOutline: Type.Integer() });
export const SetupStateSchema = Type.Object({
  root: HierarchyRootSchema,
  areas: Type.Object({ city: LevelCount, district: LevelCount, street: LevelCount, community: LevelCount }),
  grids: Type.Integer(),
  buildings: Type.Integer(),
  facilities: Type.Integer(),
  incidents: Type.Integer(),
  /** For a grid worker: how many live grids their account is linked to (null for other roles). */
  linkedGrids: Type.Union([Type.Integer(), Type.Null()]),
});
export type SetupState = Static<typeof SetupStateSchema>;

export const HierarchyRowSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: AreaLevelSchema,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  kind: Type.Union([Type.Literal('urban'), Type.Literal('village'), Type.Null()]),
  /** For streets: 街道 street, 镇 town, 乡 township, or a special unit (400–599). */
  townshipKind: Type.Union([Type.Literal('street'), Type.Literal('town'), Type.Literal('township'), Type.Literal('special'), Type.Null()]),
  urbanRuralClass: Type.Union([Type.String(), Type.Null()]),
  hasOutline: Type.Boolean(),
  outlineSource: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  liveGrids: Type.Integer(),
});
export type HierarchyRow = Static<typeof HierarchyRowSchema>;
export const HierarchyReply = Type.Object({ root: HierarchyRootSchema, areas: Type.Array(HierarchyRowSchema) });
export type HierarchyReply = Static<typeof HierarchyReply>;

export const NationalSearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 40, description: 'A code prefix or part of a name' }) });
export const NationalMatch = Type.Object({
  level: Type.Union([Type.Literal('city'), Type.Literal('district')]),
  code: Type.String(),
  name: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  cityName: Type.Union([Type.String(), Type.Null()]),
  districtCount: Type.Union([Type.Integer(), Type.Null()]),
  /** Whether this code is in Wangge already. */
  present: Type.Boolean(),
});
export const NationalSearchReply = Type.Object({ matches: Type.Array(NationalMatch) });
export type NationalSearchReply = Static<typeof NationalSearchReply>;

export const NationalAddBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{4}([0-9]{2})?$', description: 'A 6-digit district/county or a 4-digit city' }) });

const LevelCounts = Type.Object({ city: Type.Integer(), district: Type.Integer(), street: Type.Integer(), community: Type.Integer() });
export const AreaChange = Type.Object({
  action: Type.Union([Type.Literal('add'), Type.Literal('rename')]),
  level: AreaLevelSchema,
  code: Type.String(),
  name: Type.String(),
  previousName: Type.Union([Type.String(), Type.Null()]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  rowNumber: Type.Union([Type.Integer(), Type.Null()]),
});
export const AddSummarySchema = Type.Object({
  source: Type.String(),
  added: LevelCounts,
  renamed: Type.Integer(),
  unchanged: Type.Integer(),
  changes: Type.Array(AreaChange),
  /** One line a person can read. */
  message: Type.String(),
});
export type AddSummary = Static<typeof AddSummarySchema>;

export const RowErrorSchema = Type.Object({ rowNumber: Type.Integer(), column: Type.Union([Type.String(), Type.Null()]), message: Type.String(), ...ProblemFields });
export const CodeListPreviewSchema = Type.Object({ ...AddSummarySchema.properties, rowCount: Type.Integer(), errors: Type.Array(RowErrorSchema) });
export type CodeListPreview = Static<typeof CodeListPreviewSchema>;

export const AddAreaBody = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  urbanRuralClass: Type.Optional(Type.Union([Type.String({ pattern: '^[12][0-9]{2}$' }), Type.Null()])),
});
export const RenameBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export const RetireBody = Type.Object({
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export const VersionReply = Type.Object({ code: Type.String(), version: Type.Integer() });
