/**
 * TypeBox schemas for the GeoJSON (RFC 7946) the API sends. Positions are [longitude, latitude].
 */
import { Type, type TSchema } from 'typebox';

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });

export const PointGeometry = Type.Object({
  type: Type.Literal('Point'),
  coordinates: Position,
});

export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Position)),
});

export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Position))),
});

export const AreaGeometry = Type.Union([PolygonGeometry, MultiPolygonGeometry]);

export function Feature<G extends TSchema, P extends TSchema>(geometry: G, properties: P) {
  return Type.Object({
    type: Type.Literal('Feature'),
    id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    geometry,
    properties,
  });
}

export function FeatureCollection<F extends TSchema>(feature: F) {
  return Type.Object({
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(feature),
  });
}

export const ErrorReply = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
  /** Stable refusal code (server/shared/refusals.ts) the web renders in the user's language. */
  code: Type.Optional(Type.String()),
  params: Type.Optional(Type.Unknown()),
  /** OGC API replies: the refusal in the language of Accept-Language (English by default). */
  description: Type.Optional(Type.String()),
});

/** Longitude/latitude query parameters, validated to real-world ranges. */
export const LonLatQuery = {
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS84 degrees' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS84 degrees' }),
};
