/**
 * The OGC API – Features collections: what each is, who may read it, its queryables (the simple
 * `prop=value` filters it accepts) and how its items query (sql/<id>.sql) takes the caller.
 * Pure data: the serving is in routes.ts.
 */
import type { Role, SessionUser } from '../auth/roles.js';
import { STAFF } from '../auth/roles.js';
import { ROLES_MAY_READ_INCIDENTS } from './access.js';

export type GeometryKind = 'polygon' | 'point';

export interface Queryable {
  title: string;
  type: 'string' | 'integer';
  /** The values it may take, when a closed list. */
  enum?: readonly string[];
  /** A pattern a value must match (codes). */
  pattern?: string;
}

export interface Collection {
  id: string;
  title: string;
  titleZh: string;
  description: string;
  /** 'public', or the roles that may read it (others: 401 without credentials, 403 with). */
  readers: 'public' | readonly Role[];
  geometry: GeometryKind;
  /** The feature id's type (the keyset paging key). */
  key: 'integer' | 'code';
  queryables: Record<string, Queryable>;
  /** Whether `datetime` filters it (on which property). */
  temporal: string | null;
  /**
   * The query's parameters after the eight common ones ($9…): the caller's view. `user` is null
   * for the public.
   */
  callerParameters(user: SessionUser | null, time: { from: Date | null; to: Date | null }): unknown[];
}

const CODE_12 = '^[0-9]{12}$';

export const COLLECTIONS: readonly Collection[] = [
  {
    id: 'areas',
    title: 'Administrative areas',
    titleZh: '行政区划',
    description: 'District, street and community/village outlines with their statistical codes (public)',
    readers: 'public',
    geometry: 'polygon',
    key: 'code',
    queryables: {
      level: { title: 'Level', type: 'string', enum: ['city', 'district', 'street', 'community'] },
      parentCode: { title: 'Code of the containing area', type: 'string', pattern: '^[0-9]{4,9}$' },
      kind: { title: 'Community kind', type: 'string', enum: ['urban', 'village'] },
    },
    temporal: null,
    callerParameters: () => [],
  },
  {
    id: 'grids',
    title: 'Grids',
    titleZh: '网格',
    description: 'Live grids with codes, population figures and how many grid managers serve each (staff; never staff names or phones)',
    readers: STAFF,
    geometry: 'polygon',
    key: 'integer',
    queryables: {
      code: { title: '15-digit grid code', type: 'string', pattern: '^[0-9]{15}$' },
      communityCode: { title: '12-digit community code', type: 'string', pattern: CODE_12 },
      gridType: { title: 'Grid type', type: 'string', enum: ['comprehensive', 'dedicated'] },
    },
    temporal: null,
    callerParameters: () => [],
  },
  {
    id: 'buildings',
    title: 'Residential buildings',
    titleZh: '楼栋与小区',
    description: 'Residential buildings and compounds: where and what kind for anyone; name, community and population figures for staff',
    readers: 'public',
    geometry: 'point',
    key: 'integer',
    queryables: {
      kind: { title: 'Kind', type: 'string', enum: ['building', 'compound'] },
      communityCode: { title: '12-digit community code', type: 'string', pattern: CODE_12 },
    },
    temporal: null,
    callerParameters: (user) => [user !== null],
  },
  {
    id: 'facilities',
    title: 'Service facilities',
    titleZh: '服务设施',
    description: 'Service facilities: public ones with public fields for anyone; all of them, with capacity, for staff',
    readers: 'public',
    geometry: 'point',
    key: 'integer',
    queryables: {
      facilityType: { title: 'Facility type code', type: 'string', pattern: '^[a-z_]{1,40}$' },
      service: { title: 'A service offered', type: 'string' },
    },
    temporal: null,
    callerParameters: (user) => [user !== null],
  },
  {
    id: 'service-areas',
    title: 'Service areas',
    titleZh: '服务圈',
    description: "Each facility's 15-minute service circle (its type's walking radius); the public sees those of public facilities",
    readers: 'public',
    geometry: 'polygon',
    key: 'integer',
    queryables: {
      facilityType: { title: 'Facility type code', type: 'string', pattern: '^[a-z_]{1,40}$' },
    },
    temporal: null,
    callerParameters: (user) => [user !== null],
  },
  {
    id: 'incidents',
    title: 'Incidents',
    titleZh: '事件',
    description:
      "Incidents with their category, status and times (the centre's staff within their area; grid workers in their own grids); nothing of the reporter",
    readers: ROLES_MAY_READ_INCIDENTS,
    geometry: 'point',
    key: 'integer',
    queryables: {
      category: { title: 'Top-level category code', type: 'string', pattern: '^[a-z_]{1,40}$' },
      subCategory: { title: 'Sub-category code', type: 'string', pattern: '^[a-z_0-9]{1,60}$' },
      status: { title: 'Closed-loop status', type: 'string', enum: ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'] },
      source: { title: 'Intake channel', type: 'string', enum: ['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'] },
      communityCode: { title: '12-digit community code', type: 'string', pattern: CODE_12 },
      gridCode: { title: '15-digit grid code', type: 'string', pattern: '^[0-9]{15}$' },
    },
    temporal: 'reportedAt',
    callerParameters: (user, time) => [
      // A grid worker reads the incidents of their own grids; the centre's staff those of their area.
      user && user.role !== 'grid_worker' ? user.scopeAreaCode : null,
      user && user.role === 'grid_worker' ? user.id : null,
      time.from,
      time.to,
    ],
  },
];

export const collectionById = (id: string) => COLLECTIONS.find((c) => c.id === id);
