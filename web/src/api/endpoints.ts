/**
 * The API calls the web app makes, typed with the server's schemas: the schemas are the
 * contract, so nothing here re-declares a reply shape.
 */
import type { AreaCollection } from '../../../server/modules/areas/schemas';
import type { SessionUser } from '../../../server/modules/auth/roles';
import type { ClientConfig } from '../../../server/modules/client-config/routes';
import type {
  FacilityCollection,
  FacilityTypeCode,
  FacilityTypeInfo,
  NearestCollection,
  ServiceAreaFeature,
} from '../../../server/modules/facilities/schemas';
import { api } from './client';

export type { AreaCollection, ClientConfig, FacilityCollection, FacilityTypeCode, FacilityTypeInfo, NearestCollection, ServiceAreaFeature, SessionUser };
export type FacilityFeature = FacilityCollection['features'][number];
export type NearestFeature = NearestCollection['features'][number];
export type AreaFeature = AreaCollection['features'][number];
export type AreaLevel = AreaFeature['properties']['level'];

export interface FacilityFilter {
  /** Facility type codes; undefined for every type. */
  types?: readonly FacilityTypeCode[];
  service?: string;
  q?: string;
}

let clientConfigOnce: Promise<ClientConfig> | null = null;

/**
 * What the web app needs to know at start (GET /api/config): asked once per page load, as the
 * app starts (main.tsx, beside the session check rather than after it), and shared by the banner
 * and every map page. A failed answer is asked again next time; `fresh` asks again at once (after
 * an admin installed or removed the offline basemap). The signal is not passed on: one page leaving
 * does not cancel the answer the others share.
 */
export function fetchClientConfig(_signal?: AbortSignal, options: { fresh?: boolean } = {}): Promise<ClientConfig> {
  if (!clientConfigOnce || options.fresh) {
    const asked = api.get<ClientConfig>('/api/config');
    clientConfigOnce = asked;
    asked.catch(() => {
      if (clientConfigOnce === asked) clientConfigOnce = null;
    });
  }
  return clientConfigOnce;
}

export const fetchAreas = (level: AreaLevel, signal?: AbortSignal, options: { withoutOutline?: boolean } = {}) =>
  api.get<AreaCollection>('/api/areas', { query: { level, ...(options.withoutOutline ? { withoutOutline: true } : {}) }, signal });

export const fetchFacilityTypes = (signal?: AbortSignal) => api.get<FacilityTypeInfo[]>('/api/facility-types', { signal });

export const fetchFacilities = (filter: FacilityFilter = {}, signal?: AbortSignal) =>
  api.get<FacilityCollection>('/api/facilities', {
    query: { type: filter.types?.join(','), service: filter.service, q: filter.q?.trim() },
    signal,
  });

export const fetchNearestFacilities = (
  point: { lon: number; lat: number },
  options: { type?: FacilityTypeCode; limit?: number } = {},
  signal?: AbortSignal,
) =>
  api.get<NearestCollection>('/api/facilities/nearest', {
    query: { lon: point.lon.toFixed(6), lat: point.lat.toFixed(6), type: options.type, limit: options.limit ?? 5 },
    signal,
  });

export const fetchServiceArea = (facilityId: number, signal?: AbortSignal) =>
  api.get<ServiceAreaFeature>(`/api/facilities/${facilityId}/service-area`, { signal });

export const fetchSessionUser = (signal?: AbortSignal) => api.get<{ user: SessionUser | null }>('/api/auth/me', { signal });

/** `otp`: the authenticator code, once the server has answered 401 with `details.otpRequired`. */
export const login = (username: string, password: string, otp?: string) =>
  api.post<{ user: SessionUser }>('/api/auth/login', { username, password, ...(otp ? { otp } : {}) });

export const logout = () => api.post<void>('/api/auth/logout');
