/**
 * Validation of grids as planners need it: invalid geometry, overlaps, gaps, slivers, spill
 * outside the community (an error, as in the write path: grid-store.ts assertInsideCommunity), household norms, staffing and codes. All of it is one SQL file run over
 * a temporary candidate set, so that live grids and an import being previewed are judged alike.
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { ValidationFinding } from './schemas.js';

const CANDIDATE_CREATE_SQL = sqlFile(import.meta.url, 'candidate-create.sql');
const CANDIDATE_LIVE_SQL = sqlFile(import.meta.url, 'candidate-live.sql');
const CANDIDATE_PREPARE_SQL = sqlFile(import.meta.url, 'candidate-prepare.sql');
const VALIDATE_SQL = sqlFile(import.meta.url, 'validate.sql');

/** Findings that block a save or an import; the others are reported and allowed. */
export const BLOCKING_KINDS = ['invalid_geometry', 'overlap', 'outside_community', 'malformed_code', 'duplicate_code', 'code_prefix_mismatch'] as const;

/** A grid as an import (or any not-yet-saved set) offers it for validation. */
export interface StagedGrid {
  key: string;
  id: number | null;
  code: string | null;
  name: string | null;
  communityCode: string | null;
  gridType: string;
  dedicatedKind: string | null;
  /** GeoJSON geometry, WGS84. */
  geometry: unknown;
  households: number;
  residents: number;
  leaderCount: number;
  managerCount: number;
}

/**
 * Creates the candidate table in the current transaction. Must run inside a transaction
 * (the table is dropped at commit or rollback).
 */
async function createCandidates(client: Queryable) {
  // The planner's cost estimates for geometry functions are high enough to trigger JIT
  // compilation, which costs seconds and saves nothing on a few thousand rows.
  await client.query('SET LOCAL jit = off');
  await client.query('DROP TABLE IF EXISTS pg_temp.grid_candidate');
  await client.query(CANDIDATE_CREATE_SQL);
}

async function runValidation(client: Queryable, communityCodes: readonly string[]): Promise<ValidationFinding[]> {
  // Several statements, no parameters: sent as one simple query.
  await client.query(CANDIDATE_PREPARE_SQL);
  const { rows } = await client.query<ValidationFinding>(VALIDATE_SQL, [communityCodes]);
  await client.query('DROP TABLE pg_temp.grid_candidate');
  return rows;
}

/** Validates the live grids of the given communities. Run inside a transaction. */
export async function validateLiveCommunities(client: Queryable, communityCodes: readonly string[]): Promise<ValidationFinding[]> {
  await createCandidates(client);
  await client.query(CANDIDATE_LIVE_SQL, [communityCodes]);
  return runValidation(client, communityCodes);
}

/**
 * Validates a set of grids that replaces the live grids of the given communities (an import
 * preview). Live grids of those communities that the set does not name are left out: an import
 * replaces them. Run inside a transaction.
 */
export async function validateStagedGrids(
  client: Queryable,
  communityCodes: readonly string[],
  grids: readonly StagedGrid[],
): Promise<ValidationFinding[]> {
  await createCandidates(client);
  await client.query(
    `INSERT INTO pg_temp.grid_candidate (key, id, code, name, community_code, grid_type, dedicated_kind, geom,
                                         households, residents, leader_count, manager_count)
     SELECT x.key, x.id, x.code, x.name, x."communityCode", x."gridType", x."dedicatedKind",
            ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326)),
            x.households, x.residents, x."leaderCount", x."managerCount"
     FROM jsonb_to_recordset($1::jsonb) AS x(key text, id bigint, code text, name text, "communityCode" text, "gridType" text,
          "dedicatedKind" text, geometry jsonb, households integer, residents integer, "leaderCount" integer, "managerCount" integer)`,
    [JSON.stringify(grids)],
  );
  return runValidation(client, communityCodes);
}
