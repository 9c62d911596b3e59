import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimit } from '../../shared/rate-limits.js';
import { Type } from 'typebox';
import { sendJsonText } from '../../shared/schema-helpers.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { isStaff } from '../auth/access-plugin.js';
import type { FacilitiesRepository } from './facilities-repository.js';
import {
  FACILITY_TYPE_CODES,
  FacilitiesQuery,
  FacilityCollection,
  FacilityIdParams,
  FacilitySummary,
  FacilityTypeInfo,
  NearestCollection,
  NearestQuery,
  ServiceAreaFeature,
} from './schemas.js';

const PUBLIC = { access: { public: true as const } };

export const facilitiesRoutes: FastifyPluginAsyncTypebox<{ facilities: FacilitiesRepository; expensiveRatePerMinute: number }> = async (app, { facilities, expensiveRatePerMinute }) => {
  // Aggregates and nearest-facility searches anyone may ask for: the interactive limit.
  const PUBLIC_QUERY = { ...PUBLIC, rateLimit: rateLimit(expensiveRatePerMinute, 'interactive') };
  app.get(
    '/api/facility-types',
    {
      config: PUBLIC,
      schema: { tags: ['facilities'], summary: 'Facility types with their service radius', response: { 200: Type.Array(FacilityTypeInfo) } },
    },
    async () => facilities.types(),
  );

  app.get(
    '/api/facilities',
    {
      config: PUBLIC,
      schema: {
        tags: ['facilities'],
        summary: 'Facilities: public ones with public fields for anyone; all, with capacity, for staff',
        querystring: FacilitiesQuery,
        response: { 200: FacilityCollection, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const { type, service, q, id } = request.query;
      let types: string[] | null = null;
      if (type) {
        types = type.split(',').map((t) => t.trim()).filter(Boolean);
        const unknown = types.filter((t) => !(FACILITY_TYPE_CODES as readonly string[]).includes(t));
        if (unknown.length > 0) throw badRequest('facilities.unknownType', { types: unknown.join(', ') });
      }
      const text = await facilities.listAsGeoJsonText({ types, service: service ?? null, q: q ?? null, id: id ?? null, staff: isStaff(request) });
      return sendJsonText(reply, text);
    },
  );

  app.get(
    '/api/facilities/summary',
    {
      config: PUBLIC_QUERY,
      schema: {
        tags: ['facilities'],
        summary: 'Facilities per type, overall and per service (public ones for anyone, all for staff), without the facilities',
        response: { 200: FacilitySummary },
      },
    },
    async (request, reply) => sendJsonText(reply, await facilities.summaryAsJsonText(isStaff(request))),
  );

  app.get(
    '/api/facilities/nearest',
    {
      config: PUBLIC_QUERY,
      schema: {
        tags: ['facilities'],
        summary: 'The nearest facilities (of a type) to a point, with distance and walking time',
        querystring: NearestQuery,
        response: { 200: NearestCollection, 400: ErrorReply },
      },
    },
    async (request) => {
      const { lon, lat, type, limit } = request.query;
      return facilities.nearest({ lon, lat, type: type ?? null, limit, staff: isStaff(request) });
    },
  );

  app.get(
    '/api/facilities/:id/service-area',
    {
      config: PUBLIC,
      schema: {
        tags: ['facilities'],
        summary: "A facility's service area: with a walking network loaded, the area reached on foot along it in its type's walking time (method network); otherwise, or with distance=straight_line, the circle of its type's radius (a true metric buffer)",
        params: FacilityIdParams,
        querystring: Type.Object({ distance: Type.Optional(Type.Union([Type.Literal('network'), Type.Literal('straight_line')])) }),
        response: { 200: ServiceAreaFeature, 404: ErrorReply },
      },
    },
    async (request) => {
      const area = await facilities.serviceArea(request.params.id, isStaff(request), request.query.distance === 'straight_line');
      if (!area) throw notFound('facilities.notFound', { id: request.params.id });
      return area;
    },
  );
};
