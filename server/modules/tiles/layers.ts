/**
 * The tile layers: who may read each, what each carries for whom, and how each is generalised
 * per zoom (which features at low zooms, how simplified, how many at most). Pure data and
 * arithmetic: the SQL is in sql/, the serving in tile-service.ts.
 */
import type { Role, RouteAccess } from '../auth/roles.js';
import { STAFF } from '../auth/roles.js';
import { TILE_EXTENT } from './tile-math.js';

export const TILE_LAYER_NAMES = ['areas', 'grids', 'buildings', 'facilities', 'incidents', 'roads'] as const;
export type TileLayerName = (typeof TILE_LAYER_NAMES)[number];

/**
 * Who may cache a tile (Cache-Control):
 * - 'public': the same bytes for everyone, public data: any cache may keep it;
 * - 'by-role': public for anonymous callers (public fields only), private for staff (more fields);
 * - 'private': staff only: only the caller's browser may keep it, never a shared cache.
 */
export type CachePolicy = 'public' | 'by-role' | 'private';

/** Roles that see incidents on tiles: the centre's staff, and grid workers for their own grids. */
export const INCIDENT_TILE_ROLES: readonly Role[] = ['analyst', 'admin', 'grid_worker'];

export interface TileLayer {
  name: TileLayerName;
  description: string;
  access: RouteAccess;
  cache: CachePolicy;
  /** Below this zoom the layer has no tiles (204): too many features to mean anything. */
  minzoom: number;
  /** Full detail from here; MapLibre overzooms above it. */
  maxzoom: number;
  /**
   * A ground layer (roads, building dots): drawn under every map and refreshed by no page after an
   * edit, so its public tiles may be shown from the browser's cache while they are revalidated in
   * the background (`stale-while-revalidate`): a map opened again shows its ground at once, and
   * an import shows on the visit after. Tiles with staff fields are always revalidated first.
   */
  ground?: true;
  /** The MVT layers in a tile and their fields, for TileJSON (`staffFields` only for staff). */
  vectorLayers: { id: string; fields: Record<string, string>; staffFields?: Record<string, string> }[];
}

export const TILE_LAYERS: Record<TileLayerName, TileLayer> = {
  areas: {
    name: 'areas',
    description: 'District, street and community/village outlines, and a label point per area',
    access: { public: true },
    cache: 'public',
    minzoom: 0,
    maxzoom: 15,
    vectorLayers: [
      {
        id: 'areas',
        fields: {
          code: 'Statistical area code (6, 9 or 12 digits)',
          name: 'Name',
          level: 'district | street | community',
          kind: 'urban | village (communities); empty otherwise',
          parentCode: 'Code of the containing area',
          areaSquareMeters: 'Area in square metres (within 1%)',
        },
      },
      {
        id: 'area_labels',
        fields: { code: 'Area code', name: 'Name', level: 'district | street | community', kind: 'urban | village', areaSquareMeters: 'Area (label priority: larger first)' },
      },
    ],
  },
  grids: {
    name: 'grids',
    description: 'Live grids with their codes, population figures and grid-manager counts (never staff names or phones)',
    access: { roles: STAFF },
    cache: 'private',
    minzoom: 11,
    maxzoom: 15,
    vectorLayers: [
      {
        id: 'grids',
        fields: {
          id: 'Grid id',
          code: '15-digit grid code',
          name: 'Name',
          communityCode: '12-digit community code',
          gridType: 'comprehensive | dedicated',
          dedicatedKind: 'For dedicated grids: the institution kind',
          households: 'Households',
          residents: 'Residents',
          residents60Plus: 'Residents aged 60 and over',
          residents80Plus: 'Residents aged 80 and over',
          version: 'Version (optimistic concurrency)',
          managers: 'How many grid managers serve the grid (a count: never names or phones)',
        },
      },
    ],
  },
  buildings: {
    name: 'buildings',
    description: 'Residential buildings and compounds: where and what kind for anyone; name and population figures for staff only',
    access: { public: true },
    cache: 'by-role',
    ground: true,
    minzoom: 13,
    maxzoom: 16,
    vectorLayers: [
      {
        id: 'buildings',
        fields: { id: 'Building id', kind: 'building | compound' },
        staffFields: {
          name: 'Name',
          households: 'Households',
          residents: 'Residents',
          residents60Plus: 'Residents aged 60 and over',
          residents80Plus: 'Residents aged 80 and over',
        },
      },
    ],
  },
  facilities: {
    name: 'facilities',
    description: 'Service facilities: public ones with public fields for anyone; all of them, with capacity, for staff',
    access: { public: true },
    cache: 'by-role',
    minzoom: 8,
    maxzoom: 16,
    vectorLayers: [
      {
        id: 'facilities',
        fields: { id: 'Facility id', facilityType: 'Facility type code', name: 'Name', services: 'Services offered, comma-separated' },
        staffFields: { capacity: 'Capacity', isPublic: 'Shown to the public' },
      },
    ],
  },
  incidents: {
    name: 'incidents',
    description: 'Filtered incidents: counts per cell below zoom 15, single incidents from zoom 15 (no description, nothing of the reporter)',
    access: { roles: INCIDENT_TILE_ROLES },
    cache: 'private',
    minzoom: 8,
    maxzoom: 16,
    vectorLayers: [
      {
        id: 'incidents',
        fields: {
          count: 'Below zoom 15: incidents in the cell (the point is their mean position)',
          id: 'From zoom 15: incident id',
          category: 'Top-level category code',
          subCategory: 'Sub-category code (empty when none)',
          status: 'Closed-loop status',
          source: 'Intake channel',
          reportedAt: 'Reported at (Unix seconds)',
          dueAt: 'Due at (Unix seconds): overdue when not closed and past this',
        },
      },
    ],
  },
  roads: {
    name: 'roads',
    description: 'Roads and paths of the walking network by class; names from street zoom (public)',
    access: { public: true },
    cache: 'public',
    ground: true,
    minzoom: 8,
    maxzoom: 16,
    vectorLayers: [
      {
        id: 'roads',
        fields: {
          id: 'Id of one of the road segments drawn as this line',
          class: 'Road class (OpenStreetMap highway values: motorway, trunk, primary, secondary, tertiary, residential, service, footway, ...)',
          name: 'Street name, from zoom 15 (absent when unnamed)',
        },
      },
    ],
  },
};

/**
 * Road classes, most important first, and the zoom each is drawn from: arterials from the city
 * view, local streets from the district view, paths and service roads from the neighbourhood view.
 * A class not listed (an import's own code) is drawn with the local streets.
 */
export const ROAD_CLASS_MIN_ZOOM: readonly (readonly [string, number])[] = [
  ['motorway', 8],
  ['trunk', 8],
  ['primary', 10],
  ['secondary', 11],
  ['tertiary', 12],
  ['unclassified', 13],
  ['residential', 13],
  ['living_street', 14],
  ['road', 13],
  ['pedestrian', 14],
  ['service', 14],
  ['track', 14],
  ['footway', 15],
  ['path', 15],
  ['cycleway', 15],
  ['steps', 15],
];
/** Street names go into road tiles from this zoom ("street zoom"). */
export const ROAD_NAMES_MIN_ZOOM = 15;

/** The road classes drawn at a zoom, most important first. */
export function roadClassesAt(z: number): string[] {
  return ROAD_CLASS_MIN_ZOOM.filter(([, minzoom]) => z >= minzoom).map(([name]) => name);
}

/** Single incidents from this zoom; counts per cell below it. */
export const INCIDENT_POINTS_MIN_ZOOM = 15;
/** Cell of the incident counts, in tile units (4096 per tile: 64 × 64 cells). */
export const INCIDENT_CELL_UNITS = 64;

/** Degrees of longitude per tile unit at a zoom: the simplification tolerance of outlines. */
export function tileUnitDegrees(z: number): number {
  return 360 / 2 ** z / TILE_EXTENT;
}

/** How a layer is generalised at a zoom: the parameters its SQL takes after z/x/y. */
export interface Generalisation {
  /** Most features in one tile. */
  featureLimit: number;
  /** Douglas-Peucker tolerance in degrees; 0 = full detail. */
  simplifyDegrees: number;
  /** Areas: the lowest administrative level drawn. */
  lowestAreaLevel: 'district' | 'street' | 'community';
  /** Grids: a grid whose bounding box is smaller than this (degrees) is a dot and left out. */
  minFeatureDegrees: number;
}

export function generalisationAt(layer: TileLayerName, z: number): Generalisation {
  // Below full detail, outlines are simplified to 4 tile units: half a pixel of a tile drawn 512
  // pixels wide (MapLibre draws 4096-unit tiles at 512 px), which no screen shows.
  const unit = tileUnitDegrees(z);
  const halfPixel = 4 * unit;
  switch (layer) {
    case 'areas':
      return {
        featureLimit: 10_000,
        simplifyDegrees: z < 14 ? halfPixel : 0,
        // Communities are hundreds of metres across: drawn from zoom 10 (a tile ≈ 40 km).
        lowestAreaLevel: z < 8 ? 'district' : z < 10 ? 'street' : 'community',
        minFeatureDegrees: 0,
      };
    case 'grids':
      return { featureLimit: z < 13 ? 8_000 : 20_000, simplifyDegrees: z < 15 ? halfPixel : 0, lowestAreaLevel: 'community', minFeatureDegrees: z < 13 ? 2 * halfPixel : 0 };
    case 'buildings':
      return { featureLimit: z < 15 ? 6_000 : 20_000, simplifyDegrees: 0, lowestAreaLevel: 'community', minFeatureDegrees: 0 };
    case 'facilities':
      return { featureLimit: 10_000, simplifyDegrees: 0, lowestAreaLevel: 'community', minFeatureDegrees: 0 };
    case 'incidents':
      return { featureLimit: 10_000, simplifyDegrees: 0, lowestAreaLevel: 'community', minFeatureDegrees: 0 };
    case 'roads':
      return { featureLimit: z < 14 ? 20_000 : 50_000, simplifyDegrees: z < 16 ? halfPixel : 0, lowestAreaLevel: 'community', minFeatureDegrees: 0 };
  }
}
