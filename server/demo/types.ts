/**
 * The demo district as the generator produces it and the loader writes it.
 * Coordinates are WGS84 longitude/latitude (EPSG:4326). Every figure is an integer count.
 */
import type { DemoRoad } from './roads.js';
import type { MultiPolygon, Point } from 'geojson';
import type { FacilityTypeCode as FacilityType } from '../modules/facilities/schemas.js';
import type { IncidentStatus } from '../modules/incidents/workflow.js';
import type { DemoIncidentEvent } from './incident-events.js';

export type AreaLevel = 'district' | 'street' | 'community';

export interface DemoArea {
  /** 6-digit district, 9-digit street or 12-digit community/village statistical code. */
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  geometry: MultiPolygon;
}

export type GridType = 'comprehensive' | 'dedicated';
export type DedicatedKind =
  | 'party_government'
  | 'industrial_park'
  | 'hospital'
  | 'school'
  | 'enterprise'
  | 'market';

export interface DemoStaffMember {
  role: 'leader' | 'manager';
  name: string;
  /** 11-digit mobile number (synthetic). */
  phone: string;
}

export interface DemoGrid {
  /** 15 digits: 12-digit community code + 3-digit sequence. */
  code: string;
  name: string;
  communityCode: string;
  gridType: GridType;
  dedicatedKind: DedicatedKind | null;
  geometry: MultiPolygon;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  staff: DemoStaffMember[];
}

export interface DemoBuilding {
  name: string;
  kind: 'building' | 'compound';
  geometry: Point;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

// The vocabularies are the modules' own: one list each, shared with the generator.
export { FACILITY_TYPE_CODES as FACILITY_TYPES } from '../modules/facilities/schemas.js';
export type { FacilityTypeCode as FacilityType } from '../modules/facilities/schemas.js';

export interface DemoFacility {
  facilityType: FacilityType;
  name: string;
  address: string;
  geometry: Point;
  phone: string | null;
  openingHours: string | null;
  /** Service names in Chinese, e.g. '助餐', '政务代办'. */
  services: string[];
  capacity: number | null;
  isPublic: boolean;
}

export { INCIDENT_STATUSES, type IncidentStatus } from '../modules/incidents/workflow.js';
export { INCIDENT_SOURCES } from '../modules/incidents/schemas.js';
export type IncidentSource = (typeof import('../modules/incidents/schemas.js').INCIDENT_SOURCES)[number];

export interface DemoIncident {
  externalId: string;
  /** A category code of the incident_category table (see server/db/migrations). */
  category: string;
  subCategory: string;
  source: IncidentSource;
  status: IncidentStatus;
  occurredAt: Date;
  reportedAt: Date;
  /** Set when status is 'closed'. */
  closedAt: Date | null;
  geometry: Point;
  description: string;
  reporterName: string | null;
  reporterPhone: string | null;
  /** The handling history its status implies (incident-events.ts), first event first. */
  events: DemoIncidentEvent[];
}

export interface DemoDataset {
  seed: string;
  /** The end of the incident period: incidents fall in the 24 months before it. */
  anchorDate: Date;
  areas: DemoArea[];
  grids: DemoGrid[];
  buildings: DemoBuilding[];
  facilities: DemoFacility[];
  incidents: DemoIncident[];
  /** The synthetic walking network (see roads.ts). */
  roads: DemoRoad[];
}
