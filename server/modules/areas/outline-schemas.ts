/** The contract of the outline routes: drawing, deriving, history and restore of area outlines. */
import { Type, type Static } from 'typebox';
import { ProblemFields } from '../../shared/schema-helpers.js';

const AnyGeometry = Type.Object({ type: Type.String(), coordinates: Type.Unknown() });
const Bbox = Type.Union([Type.Array(Type.Number()), Type.Null()]);

export const AreaCodeParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$', description: 'district (6), street (9) or community (12 digits)' }),
});

export const OutlineLevel = Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]);

/** How an outline fits the tiling; 'gap' is reported and allowed, the others refuse a write. */
export const AreaFitFinding = Type.Object({
  kind: Type.Enum(['overlap', 'outside_parent', 'grid_outside', 'child_outside', 'gap']),
  /** The sibling, parent, grid or child concerned. */
  code: Type.String(),
  name: Type.String(),
  areaSquareMeters: Type.Number(),
  geometry: Type.Union([AnyGeometry, Type.Null()]),
  bbox: Bbox,
});
export type AreaFitFinding = Static<typeof AreaFitFinding>;

export const AreaOutline = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  outlineSource: Type.Union([Type.String(), Type.Null()]),
  areaSquareMeters: Type.Union([Type.Number(), Type.Null()]),
  geometry: Type.Union([AnyGeometry, Type.Null()]),
});

export const OutlineBody = Type.Object({
  version: Type.Integer({ minimum: 1, description: 'The version you read (409 when it changed since)' }),
  geometry: Type.Object({ type: Type.Enum(['Polygon', 'MultiPolygon']), coordinates: Type.Array(Type.Unknown(), { maxItems: 500 }) }),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

export const OutlineWriteResult = Type.Object({
  code: Type.String(),
  version: Type.Integer(),
  areaSquareMeters: Type.Number(),
  outlineSource: Type.Union([Type.String(), Type.Null()]),
  gaps: Type.Array(AreaFitFinding),
});

export const AreaVersionEntry = Type.Object({
  version: Type.Integer(),
  action: Type.String(),
  reason: Type.String(),
  changedBy: Type.Union([Type.String(), Type.Null()]),
  changedAt: Type.String(),
  name: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  retired: Type.Boolean(),
  geometry: Type.Union([AnyGeometry, Type.Null()]),
  areaSquareMeters: Type.Union([Type.Number(), Type.Null()]),
});
export const AreaHistory = Type.Object({ code: Type.String(), currentVersion: Type.Integer(), versions: Type.Array(AreaVersionEntry) });
export type AreaHistory = Static<typeof AreaHistory>;

export const AreaRestoreBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  toVersion: Type.Integer({ minimum: 1 }),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

export const DeriveOptions = Type.Object({
  fillGaps: Type.Optional(Type.Boolean({ default: false, description: 'Also fill the gaps (holes from the sliver tolerance up) inside the union; slivers are always filled' })),
});

export const DeriveHole = Type.Object({
  kind: Type.Enum(['sliver', 'gap', 'separate_part']),
  areaSquareMeters: Type.Number(),
  /** Whether the derived outline covers it (slivers always; gaps when asked). */
  filled: Type.Union([Type.Boolean(), Type.Null()]),
  geometry: AnyGeometry,
  bbox: Bbox,
});

export const DerivePreview = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  version: Type.Integer(),
  hasOutline: Type.Boolean(),
  /** What it is built from: the community's grids, or the children's outlines. */
  from: Type.Enum(['grids', 'children']),
  partCount: Type.Integer(),
  partsAreaSquareMeters: Type.Number(),
  areaSquareMeters: Type.Number(),
  geometry: Type.Union([AnyGeometry, Type.Null()]),
  bbox: Bbox,
  /** Holes in the union (slivers under the tolerance, gaps above it) and separate pieces, with their places. */
  holes: Type.Array(DeriveHole),
  /** How the result would fit the tiling: refusals (overlap, outside the parent) and the parent's gaps. */
  fit: Type.Array(AreaFitFinding),
  canApply: Type.Boolean(),
  /** Why it cannot be applied, when it cannot (English), and the same as a catalogue code with parameters. */
  refusal: Type.Union([Type.String(), Type.Null()]),
  refusalCode: Type.Union([Type.String(), Type.Null()]),
  refusalParams: Type.Union([ProblemFields.params, Type.Null()]),
});
export type DerivePreview = Static<typeof DerivePreview>;

export const DeriveBody = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  fillGaps: Type.Optional(Type.Boolean({ default: false })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

export const DeriveAllBody = Type.Object({
  parent: Type.String({ pattern: '^[0-9]{4}([0-9]{2}([0-9]{3})?)?$', description: 'city, district or street code' }),
  level: Type.Enum(['street', 'community']),
  fillGaps: Type.Optional(Type.Boolean({ default: false })),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

export const DeriveAllResult = Type.Object({
  results: Type.Array(Type.Object({
    code: Type.String(),
    name: Type.String(),
    status: Type.Enum(['derived', 'skipped', 'refused']),
    message: Type.Union([Type.String(), Type.Null()]),
    /** The message as a catalogue code with parameters (the web says it in the UI's language). */
    messageCode: Type.Union([Type.String(), Type.Null()]),
    messageParams: Type.Union([ProblemFields.params, Type.Null()]),
    version: Type.Union([Type.Integer(), Type.Null()]),
    areaSquareMeters: Type.Union([Type.Number(), Type.Null()]),
  })),
});

export const DerivableQuery = Type.Object({
  parent: Type.String({ pattern: '^[0-9]{4}([0-9]{2}([0-9]{3})?)?$' }),
  level: Type.Enum(['street', 'community']),
});

export const DerivableAreas = Type.Array(Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  /** Grids (community) or child outlines (street) it can be built from; 0 = nothing to derive from. */
  partCount: Type.Integer(),
}));
export type DerivableAreas = Static<typeof DerivableAreas>;
