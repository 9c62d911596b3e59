import { Type, type Static } from 'typebox';
import { AreaGeometry, Feature, FeatureCollection, LonLatQuery, PointGeometry } from '../../shared/geojson-schemas.js';
import { RowId } from '../../shared/schema-helpers.js';

export const FACILITY_TYPE_CODES = [
  'party_mass_service_centre',
  'community_service_centre',
  'day_care_centre',
  'home_elderly_care_station',
  'elderly_canteen',
  'care_home',
  'volunteer_station',
  'home_for_disabled',
  'health_station',
  'emergency_shelter',
  'convenience_station',
] as const;
export const FacilityTypeCode = Type.Enum(FACILITY_TYPE_CODES);
export type FacilityTypeCode = Static<typeof FacilityTypeCode>;

export const FacilityTypeInfo = Type.Object({
  code: FacilityTypeCode,
  nameZh: Type.String(),
  nameEn: Type.String(),
  serviceRadiusMeters: Type.Integer(),
});
export type FacilityTypeInfo = Static<typeof FacilityTypeInfo>;

/** What anyone, logged in or not, may see of a public facility. */
export const PublicFacilityProperties = Type.Object({
  id: Type.Integer(),
  facilityType: FacilityTypeCode,
  name: Type.String(),
  address: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Union([Type.String(), Type.Null()]),
  services: Type.Array(Type.String()),
});

/** Staff additionally see capacity and whether the facility is shown to the public. */
export const FacilityProperties = Type.Intersect([
  PublicFacilityProperties,
  Type.Object({
    capacity: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    isPublic: Type.Optional(Type.Boolean()),
    /** The community the facility lies in (staff only; null outside every outline). */
    communityCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    communityName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  }),
]);
export type FacilityProperties = Static<typeof FacilityProperties>;

export const FacilityFeature = Feature(PointGeometry, FacilityProperties);
export const FacilityCollection = FeatureCollection(FacilityFeature);
export type FacilityCollection = Static<typeof FacilityCollection>;

export const FacilitiesQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'Comma-separated facility type codes', maxLength: 500 })),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Only facilities offering this service' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Search in name and address' })),
  id: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this facility (a map shows it from its tile, then asks for the rest)' })),
});

/** Facilities per type. */
export const FacilityTypeCounts = Type.Array(Type.Object({ facilityType: FacilityTypeCode, count: Type.Integer() }));

/**
 * How many facilities there are of each type, overall and per service, without the facilities
 * themselves: a map drawing them from tiles shows counts and the services to filter by from this.
 */
export const FacilitySummary = Type.Object({
  total: Type.Integer(),
  byType: FacilityTypeCounts,
  services: Type.Array(Type.Object({ service: Type.String(), byType: FacilityTypeCounts })),
});
export type FacilitySummary = Static<typeof FacilitySummary>;

export const NearestQuery = Type.Object({
  ...LonLatQuery,
  type: Type.Optional(FacilityTypeCode),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
});

export const NearestFacilityProperties = Type.Intersect([
  FacilityProperties,
  Type.Object({
    /** Straight-line (great-circle) distance from the asked point. */
    distanceMeters: Type.Number(),
    /** How the walk was measured: along the walking network, or straight-line (no network loaded). */
    distanceMethod: Type.Union([Type.Literal('network'), Type.Literal('straight_line')]),
    /** Metres on foot: along the network (joining distances included), else the straight line. */
    walkingMeters: Type.Number(),
    /** Minutes on foot over walkingMeters at the type's walking speed (4 km/h unless configured). */
    walkingMinutes: Type.Number(),
    /** Whether the point lies inside the facility's service area (its walking reach, or its circle). */
    withinServiceRadius: Type.Boolean(),
    /** The walking route from the point to the facility (network only). */
    route: Type.Union([Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number())) }, { additionalProperties: true }), Type.Object({ type: Type.String() }, { additionalProperties: true }), Type.Null()]),
  }),
]);
export const NearestCollection = Type.Intersect([
  FeatureCollection(Feature(PointGeometry, NearestFacilityProperties)),
  Type.Object({ distanceMethod: Type.Union([Type.Literal('network'), Type.Literal('straight_line')]) }),
]);
export type NearestCollection = Static<typeof NearestCollection>;

export const ServiceAreaFeature = Feature(
  AreaGeometry,
  Type.Object({
    facilityId: Type.Integer(),
    facilityType: FacilityTypeCode,
    /** The circle's radius, or by network the walking reach (metres along the network). */
    radiusMeters: Type.Integer(),
    /** 'network': the stored walking area (the roads reached in the type's walking time); 'straight_line': the circle, when no network is loaded. */
    method: Type.Union([Type.Literal('network'), Type.Literal('straight_line')]),
    /** By network: the type's walking time in minutes; null for the circle. */
    walkMinutes: Type.Union([Type.Integer(), Type.Null()]),
  }),
);
export type ServiceAreaFeature = Static<typeof ServiceAreaFeature>;

export const FacilityIdParams = Type.Object({ id: RowId });
