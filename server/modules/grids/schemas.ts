import { Type, type Static } from 'typebox';
import { AreaGeometry, Feature, FeatureCollection } from '../../shared/geojson-schemas.js';

export const GridTypeSchema = Type.Union([Type.Literal('comprehensive'), Type.Literal('dedicated')]);
export const DEDICATED_KINDS = ['party_government', 'industrial_park', 'hospital', 'school', 'enterprise', 'market'] as const;
export const DedicatedKindSchema = Type.Enum(DEDICATED_KINDS);

export const StaffMember = Type.Object({ name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) });

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
  community: Type.String({ pattern: '^[0-9]{12}$', description: '12-digit community/village code' }),
});
