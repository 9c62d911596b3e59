import { Type, type Static } from 'typebox';
import { AreaGeometry, Feature, FeatureCollection } from '../../shared/geojson-schemas.js';
import { RowId } from '../../shared/schema-helpers.js';

export const GridTypeSchema = Type.Union([Type.Literal('comprehensive'), Type.Literal('dedicated')]);
export const DEDICATED_KINDS = ['party_government', 'industrial_park', 'hospital', 'school', 'enterprise', 'market'] as const;
export const DedicatedKindSchema = Type.Enum(DEDICATED_KINDS);

export const StaffMember = Type.Object({
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  /** The grid-worker account this post is linked to (its holder reports in the grid), if any. */
  userId: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  username: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export const GridProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String({ pattern: '^[0-9]{15}$' }),
  name: Type.String(),
  communityCode: Type.String(),
  gridType: GridTypeSchema,
  dedicatedKind: Type.Union([DedicatedKindSchema, Type.Null()]),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
  version: Type.Integer(),
  hasLeader: Type.Boolean(),
  managerCount: Type.Integer(),
  /** Names and phones of the grid leader and managers: only for roles that manage staff. */
  gridLeader: Type.Optional(Type.Union([StaffMember, Type.Null()])),
  gridManagers: Type.Optional(Type.Array(StaffMember)),
});
export type GridProperties = Static<typeof GridProperties>;

export const GridCollection = FeatureCollection(Feature(AreaGeometry, GridProperties));
export type GridCollection = Static<typeof GridCollection>;

export const GridsQuery = Type.Object({
  community: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: '12-digit community/village code' })),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'or a 9-digit street code: the grids of all its communities' })),
});

// ---------------------------------------------------------------------------------------------
// Planning: validation, edits, history, encoding, import and export.

export const FINDING_KINDS = [
  'invalid_geometry',
  'overlap',
  'gap',
  'sliver',
  'outside_community',
  'community_without_outline',
  'households_out_of_norm',
  'no_leader',
  'no_manager',
  'too_few_managers',
  'duplicate_code',
  'malformed_code',
  'code_prefix_mismatch',
] as const;
export const FindingKind = Type.Enum(FINDING_KINDS);

const AnyGeometry = Type.Object({ type: Type.String(), coordinates: Type.Unknown() });

export const ValidationFinding = Type.Object({
  kind: FindingKind,
  /** 'error' blocks a save or an import; 'warning' is reported and allowed. */
  severity: Type.Enum(['error', 'warning']),
  communityCode: Type.Union([Type.String(), Type.Null()]),
  /** The grids concerned: ids of live grids, or feature numbers (from 1) of an import. */
  gridKeys: Type.Array(Type.String()),
  gridCodes: Type.Array(Type.Union([Type.String(), Type.Null()])),
  areaSquareMeters: Type.Union([Type.Number(), Type.Null()]),
  /** Kind-specific figures: reason (invalid geometry), households/min/max, managers/required, of (sliver), … */
  detail: Type.Record(Type.String(), Type.Unknown()),
  /** Where the problem is: the overlap, gap or spill itself, or a point (invalid geometry, grid-level findings). */
  geometry: Type.Union([AnyGeometry, Type.Null()]),
  bbox: Type.Array(Type.Union([Type.Number(), Type.Null()])),
});
export type ValidationFinding = Static<typeof ValidationFinding>;

export const ValidationReport = Type.Object({
  communityCodes: Type.Array(Type.String()),
  errorCount: Type.Integer(),
  warningCount: Type.Integer(),
  findings: Type.Array(ValidationFinding),
});
export type ValidationReport = Static<typeof ValidationReport>;

export const ValidationQuery = Type.Object({
  community: Type.Optional(Type.String({ pattern: '^[0-9]{12}$', description: 'Validate one community/village' })),
  street: Type.Optional(Type.String({ pattern: '^[0-9]{9}$', description: 'Validate every community of a street' })),
  district: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'Validate a whole district' })),
});

export const GridNormSettings = Type.Object({
  urbanHouseholdsMin: Type.Integer({ minimum: 0 }),
  urbanHouseholdsMax: Type.Integer({ minimum: 0 }),
  ruralHouseholdsMin: Type.Integer({ minimum: 0 }),
  ruralHouseholdsMax: Type.Integer({ minimum: 0 }),
  householdsPerManager: Type.Integer({ minimum: 1 }),
  sliverToleranceSquareMeters: Type.Number({ minimum: 0, maximum: 1000 }),
  dedicatedSequenceStart: Type.Integer({ minimum: 2, maximum: 999 }),
});
export type GridNormSettings = Static<typeof GridNormSettings>;

const Phone = Type.Union([Type.String({ pattern: '^[0-9+-]{5,20}$' }), Type.Null()]);
export const StaffInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 50 }),
  phone: Type.Optional(Phone),
  /** Link the post to a grid-worker account (null: unlink; absent: keep the link of an unchanged post). */
  userId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});
export type StaffInput = Static<typeof StaffInput>;

export const EditableAreaGeometry = Type.Union([
  Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 4 }), { minItems: 1 }) }),
  Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 4 }), { minItems: 1 }), { minItems: 1 }) }),
]);
export const LineGeometry = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 2 }),
});

const Reason = Type.String({ maxLength: 500, default: '', description: 'Why: kept in the grid history' });

/** Attributes of a grid a planner sets in the form. Absent fields keep their value. */
export const GridAttributes = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  gridType: Type.Optional(GridTypeSchema),
  dedicatedKind: Type.Optional(Type.Union([DedicatedKindSchema, Type.Null()])),
  households: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  residents: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  residents60Plus: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  residents80Plus: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  gridLeader: Type.Optional(Type.Union([StaffInput, Type.Null()])),
  gridManagers: Type.Optional(Type.Array(StaffInput, { maxItems: 50 })),
});
export type GridAttributes = Static<typeof GridAttributes>;

export const GridUpdateBody = Type.Intersect([
  GridAttributes,
  Type.Object({
    /** The version the planner read: a save over a newer version is refused (409). */
    version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    geometry: Type.Optional(EditableAreaGeometry),
    reason: Type.Optional(Reason),
  }),
]);
export type GridUpdateBody = Static<typeof GridUpdateBody>;

export const GridCreateBody = Type.Intersect([
  GridAttributes,
  Type.Object({
    communityCode: Type.String({ pattern: '^[0-9]{12}$' }),
    geometry: EditableAreaGeometry,
    reason: Type.Optional(Reason),
  }),
]);
export type GridCreateBody = Static<typeof GridCreateBody>;

export const GridRef = Type.Object({ id: RowId, version: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
export const GridIdParams = Type.Object({ id: RowId });
export const CommunityParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{12}$' }) });

export const SplitBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }), line: LineGeometry, reason: Type.Optional(Reason) });
export const MergeBody = Type.Object({
  grids: Type.Array(GridRef, { minItems: 2, maxItems: 20, description: 'The first keeps its code; the others are retired' }),
  reason: Type.Optional(Reason),
});
export const ReshapeBody = Type.Object({
  a: GridRef,
  b: GridRef,
  /** Either a line across the two grids that becomes their new shared boundary… */
  line: Type.Optional(LineGeometry),
  /** …or the new outline of grid a (b takes the rest of what the two covered). */
  geometry: Type.Optional(EditableAreaGeometry),
  reason: Type.Optional(Reason),
});
export const RestoreSetBody = Type.Object({
  grids: Type.Array(Type.Object({ id: RowId, version: Type.Integer({ minimum: 1, maximum: 2147483647 }), toVersion: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), { minItems: 1, maxItems: 50 }),
  reason: Type.Optional(Reason),
});
export const RestoreBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }), toVersion: Type.Integer({ minimum: 1, maximum: 2147483647 }), reason: Type.Optional(Reason) });
export const RetireBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }), reason: Type.Optional(Reason) });

/** What an edit changed: the grids as they are now. */
export const EditResult = Type.Object({
  grids: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), version: Type.Integer(), retired: Type.Boolean() })),
  /** Findings in the communities touched, after the edit (gaps are allowed but reported). */
  validation: ValidationReport,
});

export const GridVersionEntry = Type.Object({
  version: Type.Integer(),
  action: Type.String(),
  reason: Type.String(),
  changedAt: Type.String(),
  changedBy: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  name: Type.String(),
  gridType: GridTypeSchema,
  dedicatedKind: Type.Union([DedicatedKindSchema, Type.Null()]),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
  retired: Type.Boolean(),
  areaSquareMeters: Type.Number(),
  gridLeader: Type.Union([StaffMember, Type.Null()]),
  gridManagers: Type.Array(StaffMember),
  geometry: AnyGeometry,
});
export const GridHistory = Type.Object({ gridId: Type.Integer(), currentVersion: Type.Integer(), versions: Type.Array(GridVersionEntry) });
export type GridHistory = Static<typeof GridHistory>;

export const EncodingPreviewRow = Type.Object({
  gridId: Type.Integer(),
  version: Type.Integer(),
  name: Type.String(),
  gridType: GridTypeSchema,
  oldCode: Type.String(),
  newCode: Type.String(),
  changed: Type.Boolean(),
});
export const EncodingPreview = Type.Object({
  communityCode: Type.String(),
  changedCount: Type.Integer(),
  /** Sequence numbers skipped because they were retired (never issued again). */
  skippedRetired: Type.Array(Type.String()),
  rows: Type.Array(EncodingPreviewRow),
});
export type EncodingPreview = Static<typeof EncodingPreview>;
export const EncodeBody = Type.Object({
  /** The preview as shown: applied only if it still is what the rule gives. */
  rows: Type.Array(Type.Object({ gridId: Type.Integer(), version: Type.Integer(), newCode: Type.String({ pattern: '^[0-9]{15}$' }) }), { maxItems: 999 }),
  reason: Type.Optional(Reason),
});

export const BuildingFigures = Type.Object({
  buildings: Type.Integer(),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
});

export const AreaFigures = Type.Object({
  code: Type.String(),
  level: Type.String(),
  grids: Type.Integer(),
  households: Type.Integer(),
  residents: Type.Integer(),
  residents60Plus: Type.Integer(),
  residents80Plus: Type.Integer(),
  gridManagers: Type.Integer(),
});
export const AreaFiguresCollection = Type.Array(AreaFigures);
