/**
 * The coverage contract: a scenario (which facility types count, which population, what-if
 * proposals and removals), the figures per grid, community, street and district with their
 * targets, the gaps, the siting run and its result. The web imports these types.
 */
import { Type, type Static } from 'typebox';
import { SourceCrsSchema } from '../../shared/coordinates.js';
import { AreaGeometry, Feature, FeatureCollection, PointGeometry } from '../../shared/geojson-schemas.js';
import { FacilityTypeCode } from '../facilities/schemas.js';
import { ProblemFields, RowId } from '../../shared/schema-helpers.js';

export const POPULATIONS = ['all', 'age60', 'age80'] as const;
export const PopulationSchema = Type.Enum(POPULATIONS, { description: 'all residents, residents aged 60+, or 80+' });
export type Population = Static<typeof PopulationSchema>;

export const LEVELS = ['grid', 'community', 'street', 'district'] as const;
export const LevelSchema = Type.Enum(LEVELS);
export type Level = Static<typeof LevelSchema>;

const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS84' });
const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS84' });

/** A station that does not exist yet, dropped on the map. */
export const Proposal = Type.Object({
  lon: Lon,
  lat: Lat,
  facilityType: FacilityTypeCode,
  /** Its walking radius; the type's setting when left out. */
  radiusMeters: Type.Optional(Type.Integer({ minimum: 50, maximum: 10000 })),
  label: Type.Optional(Type.String({ maxLength: 100 })),
});
export type Proposal = Static<typeof Proposal>;

export const Scenario = Type.Object({
  facilityTypes: Type.Array(FacilityTypeCode, { minItems: 1, maxItems: 11, uniqueItems: true, description: 'The facility types that count' }),
  population: PopulationSchema,
  proposals: Type.Optional(Type.Array(Proposal, { maxItems: 100, description: 'What-if: stations added' })),
  removedFacilityIds: Type.Optional(Type.Array(RowId, { maxItems: 1000, uniqueItems: true, description: 'What-if: existing stations taken away' })),
  distance: Type.Optional(Type.Union([Type.Literal('network'), Type.Literal('straight_line')], {
    description: "How distance is measured: 'network' (walking along the roads; the default when a walking network is loaded) or 'straight_line' (the circle; the fallback)",
  })),
});
export type Scenario = Static<typeof Scenario>;
export const DistanceMethodSchema = Type.Union([Type.Literal('network'), Type.Literal('straight_line')]);

/** The top of the hierarchy a run rolls up to: a city (全市) or one district (全区). */
export const TopLevelSchema = Type.Union([Type.Literal('city'), Type.Literal('district')]);
export type TopLevel = Static<typeof TopLevelSchema>;

export const AreaKind = Type.Union([Type.Literal('urban'), Type.Literal('village'), Type.Literal('mixed'), Type.Null()]);

export const AreaCoverage = Type.Object({
  /** 'city' only for the top row of a city with several districts. */
  level: Type.Union([LevelSchema, Type.Literal('city')]),
  code: Type.String(),
  name: Type.String(),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  /** urban community / village (from the community code); a street or the district is 'mixed' when it has both. */
  kind: AreaKind,
  buildings: Type.Integer(),
  uncoveredBuildings: Type.Integer(),
  /** People of the chosen population living here (from the buildings). */
  population: Type.Integer(),
  covered: Type.Integer(),
  uncovered: Type.Integer(),
  /** covered / population; null where nobody of that population lives. */
  share: Type.Union([Type.Number(), Type.Null()]),
  /** 0.9 urban, 0.5 village; for a street or the district the population-weighted mix of its communities' targets. */
  target: Type.Union([Type.Number(), Type.Null()]),
  meetsTarget: Type.Union([Type.Boolean(), Type.Null()]),
  /** Whether the share reaches the general 80% line. */
  meetsLine: Type.Union([Type.Boolean(), Type.Null()]),
  /**
   * Of the population, the people counted from grids without buildings (their entered figures,
   * reached for the share of the grid's area the service areas cover): an estimate. Absent when none.
   */
  estimatedPopulation: Type.Optional(Type.Integer()),
});
export type AreaCoverage = Static<typeof AreaCoverage>;

export const Targets = Type.Object({ line: Type.Number(), urban: Type.Number(), village: Type.Number() });
export type Targets = Static<typeof Targets>;

export const UncoveredBuildingFeature = Feature(
  PointGeometry,
  Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    population: Type.Integer(),
    residents: Type.Integer(),
    residents60Plus: Type.Integer(),
    residents80Plus: Type.Integer(),
    gridCode: Type.Union([Type.String(), Type.Null()]),
    communityCode: Type.Union([Type.String(), Type.Null()]),
    /** Metres to the nearest counting station (beyond its radius). */
    nearestStationMeters: Type.Union([Type.Number(), Type.Null()]),
  }),
);

export const GapAreaFeature = Feature(
  AreaGeometry,
  Type.Object({ gridCode: Type.String(), areaSquareMeters: Type.Number(), uncoveredBuildings: Type.Integer() }),
);

export const ServiceAreaFeature = Feature(
  AreaGeometry,
  Type.Object({
    facilityId: Type.Union([Type.Integer(), Type.Null()]),
    /** Index in scenario.proposals for a proposed station. */
    proposalIndex: Type.Union([Type.Integer(), Type.Null()]),
    facilityType: FacilityTypeCode,
    name: Type.String(),
    /** The circle's radius, or by network the walking reach (metres along the network). */
    radiusMeters: Type.Integer(),
    /** 'network': the walking area (the reached roads buffered); 'straight_line': the circle. */
    method: DistanceMethodSchema,
  }),
);

export const CountingFacilityFeature = Feature(
  PointGeometry,
  Type.Object({ id: Type.Integer(), name: Type.String(), facilityType: FacilityTypeCode, removed: Type.Boolean(), radiusMeters: Type.Integer() }),
);

export const GapsResult = Type.Object({
  /** Every uncovered building's id, ascending: a map colours the building tiles by it (feature state). */
  uncoveredBuildingIds: Type.Array(Type.Integer()),
  /** People of the chosen population in each of those buildings, in the same order. */
  uncoveredBuildingPopulation: Type.Array(Type.Integer()),
  /** The uncovered buildings as points with their figures and nearest station (only with `gaps=full`). */
  uncoveredBuildings: Type.Optional(FeatureCollection(UncoveredBuildingFeature)),
  uncoveredAreas: FeatureCollection(GapAreaFeature),
  /** Every counting station's service area (`gaps=full`), or only the proposed ones' (`gaps=map`). */
  serviceAreas: FeatureCollection(ServiceAreaFeature),
  /** Every counting facility (`gaps=full`), or only the ones the what-if removes (`gaps=map`). */
  facilities: FeatureCollection(CountingFacilityFeature),
});
export type GapsResult = Static<typeof GapsResult>;

export const CoverageResult = Type.Object({
  population: PopulationSchema,
  facilityTypes: Type.Array(FacilityTypeCode),
  targets: Targets,
  countingFacilities: Type.Integer(),
  proposals: Type.Integer(),
  removed: Type.Integer(),
  /** The top of the hierarchy: the city (the sum of its districts) or the one district. */
  district: AreaCoverage,
  /** Each district with its own figures. */
  districts: Type.Array(AreaCoverage),
  streets: Type.Array(AreaCoverage),
  communities: Type.Array(AreaCoverage),
  grids: Type.Array(AreaCoverage),
  /** How distance was measured: along the walking network, or straight-line (the circle). */
  distanceMethod: DistanceMethodSchema,
  /** Why straight-line when it is (no network loaded, or pgRouting missing and what to run); else null. */
  distanceNote: Type.Union([Type.String(), Type.Null()]),
  /** Who is not reached and where: omitted by the export. */
  gaps: Type.Optional(GapsResult),
  elapsedMs: Type.Number(),
});
export type CoverageResult = Static<typeof CoverageResult>;


export const GAP_DETAILS = ['full', 'map'] as const;
export const AnalysisQuery = Type.Object({
  gaps: Type.Optional(
    Type.Enum(GAP_DETAILS, {
      description:
        "'full' (the default): every uncovered building as a point, every counting station and its service area. " +
        "'map': what a map drawing stations and buildings from the vector tiles needs on top of them: uncovered building ids and people, " +
        'gap areas, the proposed stations\' service areas and the removed stations.',
    }),
  ),
});
export type GapDetail = (typeof GAP_DETAILS)[number];

// ---- Where to build next -------------------------------------------------------------------

export const CANDIDATE_SOURCES = ['grid_centroids', 'building_points', 'uploaded'] as const;
export const CandidateSource = Type.Enum(CANDIDATE_SOURCES);
export type CandidateSource = Static<typeof CandidateSource>;

export const CandidatePoint = Type.Object({ lon: Lon, lat: Lat, label: Type.Optional(Type.String({ maxLength: 100 })) });
export type CandidatePoint = Static<typeof CandidatePoint>;
/** A point read from an uploaded list: its row, and its name when the row gave one (the UI names the others by their row, in its language). */
export const UploadedCandidate = Type.Object({ ...CandidatePoint.properties, rowNumber: Type.Integer() });
export type UploadedCandidate = Static<typeof UploadedCandidate>;

export const SitingRequest = Type.Object({
  scenario: Scenario,
  /** How many new stations to place. */
  k: Type.Integer({ minimum: 1, maximum: 30 }),
  /** The type of the new stations: their walking radius is that type's setting. */
  facilityType: FacilityTypeCode,
  candidates: CandidateSource,
  /** For candidates = 'uploaded': the planner's list (WGS84; see POST /api/coverage/candidates). */
  candidatePoints: Type.Optional(Type.Array(CandidatePoint, { maxItems: 20000 })),
  /** Also search every combination for the best k (only for k ≤ 3) to say how close greedy is. */
  compareExhaustive: Type.Optional(Type.Boolean()),
});
export type SitingRequest = Static<typeof SitingRequest>;

export const Suggestion = Type.Object({
  rank: Type.Integer(),
  lon: Type.Number(),
  lat: Type.Number(),
  label: Type.String(),
  /** People of the chosen population this site reaches that nobody reached before it (incl. earlier suggestions). */
  addedCovered: Type.Integer(),
  addedBuildings: Type.Integer(),
  /** Covered people after this and all earlier suggestions. */
  coveredAfter: Type.Integer(),
  shareAfter: Type.Union([Type.Number(), Type.Null()]),
});
export type Suggestion = Static<typeof Suggestion>;

export const ExhaustiveComparison = Type.Object({
  k: Type.Integer(),
  greedyAdded: Type.Integer(),
  optimalAdded: Type.Integer(),
  /** greedyAdded / optimalAdded (1 = greedy found an optimum). */
  ratio: Type.Number(),
  /** Whether the search finished (it stops after a fixed amount of work). */
  complete: Type.Boolean(),
  candidatesSearched: Type.Integer(),
  combinationsEvaluated: Type.Number(),
  elapsedMs: Type.Number(),
});
export type ExhaustiveComparison = Static<typeof ExhaustiveComparison>;

export const SitingResult = Type.Object({
  k: Type.Integer(),
  facilityType: FacilityTypeCode,
  radiusMeters: Type.Integer(),
  population: PopulationSchema,
  candidates: CandidateSource,
  candidateCount: Type.Integer(),
  /** Candidates that reach at least one uncovered person. */
  usefulCandidates: Type.Integer(),
  baseline: Type.Object({ population: Type.Integer(), covered: Type.Integer(), share: Type.Union([Type.Number(), Type.Null()]) }),
  suggestions: Type.Array(Suggestion),
  totalAdded: Type.Integer(),
  exhaustive: Type.Union([ExhaustiveComparison, Type.Null()]),
  elapsedMs: Type.Number(),
});
export type SitingResult = Static<typeof SitingResult>;

export const JobStatus = Type.Enum(['running', 'done', 'failed'] as const);
export const SitingJob = Type.Object({
  id: Type.String(),
  status: JobStatus,
  progress: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
  result: Type.Union([SitingResult, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  errorCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorParams: Type.Optional(Type.Unknown()),
});
export type SitingJob = Static<typeof SitingJob>;
export const JobParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) });

export const CandidatesQuery = Type.Object({ sourceCrs: Type.Optional(SourceCrsSchema) });
export const CandidatesUpload = Type.Object({
  points: Type.Array(UploadedCandidate),
  errors: Type.Array(Type.Object({ rowNumber: Type.Integer(), column: Type.Union([Type.String(), Type.Null()]), message: Type.String(), ...ProblemFields })),
});
export type CandidatesUpload = Static<typeof CandidatesUpload>;
