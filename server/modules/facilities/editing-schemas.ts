/**
 * Schemas of the planners' facility editing: create, edit, move, retire, the type radius setting
 * and the bulk import (preview, then commit). The public read routes are in schemas.ts.
 */
import { Type, type Static } from 'typebox';
import { SourceCrsSchema } from '../../shared/coordinates.js';
import { CrsHintSchema } from '../imports/offset-check.js';
import { ProblemFields } from '../../shared/schema-helpers.js';
import { FacilityTypeCode } from './schemas.js';

const Text = (maxLength: number) => Type.String({ maxLength });
// Null first: with the app's type coercion a null tried against a string or integer branch
// first would become '' or 0.
const NullableText = (maxLength: number) => Type.Union([Type.Null(), Type.String({ maxLength })]);

/** What a planner types into the form (or drops on the map). */
export const FacilityDraft = Type.Object({
  facilityType: FacilityTypeCode,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  address: Text(300),
  lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude in sourceCrs' }),
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude in sourceCrs' }),
  sourceCrs: Type.Optional(SourceCrsSchema),
  phone: NullableText(30),
  openingHours: NullableText(100),
  services: Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30 }),
  capacity: Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100000 })]),
  isPublic: Type.Boolean(),
});
export type FacilityDraft = Static<typeof FacilityDraft>;

/** An edit names the version it read; any subset of fields, lon+lat together (a move). */
export const FacilityPatch = Type.Object({
  version: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  facilityType: Type.Optional(FacilityTypeCode),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  address: Type.Optional(Text(300)),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  sourceCrs: Type.Optional(SourceCrsSchema),
  phone: Type.Optional(NullableText(30)),
  openingHours: Type.Optional(NullableText(100)),
  services: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30 })),
  capacity: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 100000 })])),
  isPublic: Type.Optional(Type.Boolean()),
});
export type FacilityPatch = Static<typeof FacilityPatch>;

export const RetireBody = Type.Object({ version: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

/** The whole record as staff edit it, with its stored service area's radius. */
export const FacilityRecord = Type.Object({
  id: Type.Integer(),
  facilityType: FacilityTypeCode,
  name: Type.String(),
  address: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Union([Type.String(), Type.Null()]),
  services: Type.Array(Type.String()),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  isPublic: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  serviceRadiusMeters: Type.Integer(),
});
export type FacilityRecord = Static<typeof FacilityRecord>;

export const TypeCodeParams = Type.Object({ code: FacilityTypeCode });
export const TypeRadiusBody = Type.Object({
  serviceRadiusMeters: Type.Integer({ minimum: 50, maximum: 10000, description: 'Walking radius of the service area, metres' }),
});

export const ImportQuery = Type.Object({
  sourceCrs: Type.Optional(SourceCrsSchema),
});

export const ImportRowError = Type.Object({
  /** The column the problem is in (as headed in the file), or null for the row as a whole. */
  column: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  ...ProblemFields,
});

export const ImportedFacility = Type.Object({
  facilityType: FacilityTypeCode,
  name: Type.String(),
  address: Type.String(),
  lon: Type.Number({ description: 'WGS84, after conversion' }),
  lat: Type.Number({ description: 'WGS84, after conversion' }),
  sourceLon: Type.Number(),
  sourceLat: Type.Number(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Union([Type.String(), Type.Null()]),
  services: Type.Array(Type.String()),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  isPublic: Type.Boolean(),
});
export type ImportedFacility = Static<typeof ImportedFacility>;

export const ImportPreviewRow = Type.Object({
  rowNumber: Type.Integer(),
  ok: Type.Boolean(),
  errors: Type.Array(ImportRowError),
  facility: Type.Union([ImportedFacility, Type.Null()]),
});
export type ImportPreviewRow = Static<typeof ImportPreviewRow>;

export const ImportPreview = Type.Object({
  fileName: Type.String(),
  sourceCrs: SourceCrsSchema,
  /** Which file column was read for which field. */
  columns: Type.Record(Type.String(), Type.String()),
  rowCount: Type.Integer(),
  validCount: Type.Integer(),
  errorCount: Type.Integer(),
  rows: Type.Array(ImportPreviewRow),
  crsHint: Type.Optional(CrsHintSchema),
});
export type ImportPreview = Static<typeof ImportPreview>;

export const ImportResult = Type.Object({
  created: Type.Integer(),
  ids: Type.Array(Type.Integer()),
});
