import { Type, type Static } from 'typebox';
import { AreaGeometry, Feature, FeatureCollection } from '../../shared/geojson-schemas.js';

export const AreaLevelSchema = Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]);

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

export const AreaCollection = FeatureCollection(Feature(AreaGeometry, AreaProperties));
export type AreaCollection = Static<typeof AreaCollection>;

export const AreasQuery = Type.Object({
  level: AreaLevelSchema,
  parent: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3})?$', description: 'Only the children of this area' })),
});
