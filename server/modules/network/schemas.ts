/**
 * The walking network's import contract: what a preview reports (lines by road class, walkable or
 * left out, and the graph check with its problems as GeoJSON for the map), what an import returns,
 * and the job a long import runs as.
 */
import { Type, type Static } from 'typebox';

const FeatureCollectionLoose = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({}, { additionalProperties: true })),
});

export const GraphReport = Type.Object({
  nodes: Type.Integer(),
  edges: Type.Integer(),
  lengthMeters: Type.Number(),
  /** Length of the largest connected piece: the network people can walk. */
  mainLengthMeters: Type.Number(),
  /** Connected pieces apart from the largest one: no one walks to them from the network. */
  islands: Type.Integer(),
  islandLengthMeters: Type.Number(),
  /** Edges that end at a node no other edge meets (a dead end: real, or a line that stops short). */
  danglingEnds: Type.Integer(),
  danglingLengthMeters: Type.Number(),
  /** The islands and dangling ends as lines (properties.kind: island | dangling, lengthMeters). */
  problems: FeatureCollectionLoose,
});

export const NetworkSummary = Type.Object({
  /** The file's format as read: osm, or the vector driver's (ESRI Shapefile, GeoJSON, GPKG, …). */
  format: Type.String(),
  source: Type.String(),
  synthetic: Type.Boolean(),
  /** Lines with a known road class (or the default class); walkable ones among them. */
  lines: Type.Integer(),
  walkableLines: Type.Integer(),
  byClass: Type.Array(Type.Object({ roadClass: Type.String(), lines: Type.Integer(), walkable: Type.Boolean() })),
  /** Lines left out because their class is not in the road class table (and no default class was named). */
  ignored: Type.Array(Type.Object({ roadClass: Type.String(), lines: Type.Integer() })),
  /** The graph check; null without pgRouting (the roads are still stored and drawn). */
  report: Type.Union([GraphReport, Type.Null()]),
});
export type NetworkSummaryReply = Static<typeof NetworkSummary>;

/** MAX_PREVIEW_LINES: the preview draws at most this many of the file's lines on its map. */
export const MAX_PREVIEW_LINES = 20_000;
export const NetworkPreview = Type.Object({
  ...NetworkSummary.properties,
  /** The file's lines for the preview map (properties.roadClass, walkable); the first MAX_PREVIEW_LINES. */
  drawn: FeatureCollectionLoose,
  /** Whether some lines were left off the map (the counts above are of all of them). */
  drawnTruncated: Type.Boolean(),
});
export type NetworkPreviewReply = Static<typeof NetworkPreview>;

export const NetworkImportJob = Type.Object({
  id: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  /** stage: reading | checking | writing | graph | service_areas | done */
  progress: Type.Object({ stage: Type.String(), done: Type.Integer(), total: Type.Integer() }),
  result: Type.Union([NetworkSummary, Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  errorStatus: Type.Union([Type.Integer(), Type.Null()]),
  errorDetails: Type.Unknown(),
  errorCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  errorParams: Type.Optional(Type.Unknown()),
});
export type NetworkImportJob = Static<typeof NetworkImportJob>;

export const NetworkImportStages = ['reading', 'checking', 'writing', 'graph', 'service_areas', 'done'] as const;
