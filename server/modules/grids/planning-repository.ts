/**
 * Reads for the planning workspace (history, figures, settings) and the two writes that are not
 * grid edits: renumbering a community and changing the norms.
 */
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { conflict, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { encodingPreview, lockCommunityCodes } from './code-allocation.js';
import { assertInScope, ensureBaseline, readSettings, recordVersions, type Actor } from './grid-store.js';
import type { GridHistory, GridNormSettings } from './schemas.js';
import { validateLiveCommunities } from './validation.js';
import { renameNumbered } from './grid-names.js';
import { gridBuildingFigures } from '../buildings/building-repository.js';

const HISTORY_SQL = sqlFile(import.meta.url, 'grid-history.sql');
const AREA_FIGURES_SQL = sqlFile(import.meta.url, 'area-figures.sql');
const BUILDING_FIGURES_SQL = sqlFile(import.meta.url, 'building-figures.sql');

export function createPlanningRepository(pool: Pool) {
  const audit = createAuditRepository(pool);
  return {
    readSettings: () => readSettings(pool),

    async writeSettings(actor: Actor, settings: GridNormSettings): Promise<GridNormSettings> {
      return withTransaction(pool, async (client) => {
        await client.query(
          `UPDATE grid_norm_setting SET urban_households_min = $1, urban_households_max = $2, rural_households_min = $3,
                  rural_households_max = $4, households_per_manager = $5, sliver_tolerance_square_meters = $6,
                  dedicated_sequence_start = $7, updated_at = now() WHERE id = 1`,
          [settings.urbanHouseholdsMin, settings.urbanHouseholdsMax, settings.ruralHouseholdsMin, settings.ruralHouseholdsMax,
            settings.householdsPerManager, settings.sliverToleranceSquareMeters, settings.dedicatedSequenceStart],
        );
        await audit.record({ actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'grid.settings', targetType: 'grid_norm_setting', targetId: 1, ip: actor.ip, success: true, detail: { ...settings } }, client);
        return readSettings(client);
      });
    },

    /** Communities of an area code (district, street or community) that exist. */
    async communitiesOf(areaCode: string): Promise<string[]> {
      const { rows } = await pool.query<{ code: string }>(
        `SELECT code FROM admin_area WHERE level = 'community' AND code LIKE $1 || '%' ORDER BY code`, [areaCode]);
      return rows.map((r) => r.code);
    },

    async validate(communityCodes: string[]) {
      return withTransaction(pool, async (client) => {
        const findings = await validateLiveCommunities(client, communityCodes);
        return {
          communityCodes,
          errorCount: findings.filter((f) => f.severity === 'error').length,
          warningCount: findings.filter((f) => f.severity === 'warning').length,
          findings,
        };
      });
    },

    async history(gridId: number, withStaff: boolean): Promise<GridHistory | null> {
      const { rows: [grid] } = await pool.query<{ version: number }>('SELECT version FROM grid WHERE id = $1', [gridId]);
      if (!grid) return null;
      await ensureBaseline(pool, [gridId]);
      const { rows } = await pool.query(HISTORY_SQL, [gridId, withStaff]);
      return { gridId, currentVersion: grid.version, versions: rows };
    },

    async areaFigures(areaCode: string, itself: boolean) {
      const { rows } = await pool.query(AREA_FIGURES_SQL, [areaCode, itself]);
      return rows;
    },

    async buildingFigures(gridId: number) {
      const { rows: [grid] } = await pool.query<{ ewkb: Buffer; retired: boolean }>('SELECT ST_AsEWKB(geom) AS ewkb, retired_at IS NOT NULL AS retired FROM grid WHERE id = $1', [gridId]);
      if (!grid) return null;
      // A live grid counts its buildings as its figures do (a building on a shared edge once);
      // a retired one, what its outline holds.
      if (!grid.retired) return (await gridBuildingFigures(pool, [gridId])).get(gridId) ?? null;
      const { rows: [figures] } = await pool.query(BUILDING_FIGURES_SQL, [grid.ewkb]);
      return figures;
    },

    async encodingPreview(communityCode: string) {
      const settings = await readSettings(pool);
      return encodingPreview(pool, communityCode, settings.dedicatedSequenceStart);
    },

    /**
     * Applies the coding rule to a community, if what the planner previewed is still what the
     * rule gives (same grids, same versions, same new codes); otherwise 409 with the new preview.
     */
    async encode(actor: Actor, communityCode: string, previewed: { gridId: number; version: number; newCode: string }[], reason: string) {
      assertInScope(actor.user, communityCode);
      return withTransaction(pool, async (client) => {
        const { rows: [community] } = await client.query(`SELECT 1 FROM admin_area WHERE code = $1 AND level = 'community'`, [communityCode]);
        if (!community) throw notFound('grids.noCommunity', { community: communityCode });
        await lockCommunityCodes(client, communityCode);
        await client.query(`SELECT id FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY id FOR UPDATE`, [communityCode]);
        const settings = await readSettings(client);
        const preview = await encodingPreview(client, communityCode, settings.dedicatedSequenceStart);
        const key = (rows: { gridId: number; version: number; newCode: string }[]) =>
          rows.map((r) => `${r.gridId}:${r.version}:${r.newCode}`).sort().join(',');
        if (key(preview.rows) !== key(previewed)) {
          throw conflict('grids.previewChanged', { community: communityCode }, { preview });
        }
        const changed = preview.rows.filter((r) => r.changed);
        if (changed.length) {
          const ids = changed.map((r) => r.gridId);
          await ensureBaseline(client, ids);
          // Codes swap between grids: uniqueness is checked at commit.
          await client.query('SET CONSTRAINTS grid_code_key DEFERRED');
          await client.query(
            `UPDATE grid g SET code = n.code, version = g.version + 1, updated_at = now()
               FROM unnest($1::bigint[], $2::text[]) AS n(id, code) WHERE g.id = n.id`,
            [changed.map((r) => r.gridId), changed.map((r) => r.newCode)],
          );
          // Old codes that no longer name any grid are retired: never issued again.
          const newCodes = new Set(preview.rows.map((r) => r.newCode));
          const freed = changed.filter((r) => !newCodes.has(r.oldCode));
          await client.query(
            `INSERT INTO retired_grid_code (code, community_code, grid_id, reason)
             SELECT code, $3, grid_id, 'renumbered' FROM unnest($1::text[], $2::bigint[]) AS f(code, grid_id)
             ON CONFLICT DO NOTHING`,
            [freed.map((r) => r.oldCode), freed.map((r) => r.gridId), communityCode],
          );
          await renameNumbered(client, ids);
          await recordVersions(client, ids, 'encode', reason, actor);
          await client.query('SET CONSTRAINTS grid_code_key IMMEDIATE');
        }
        await audit.record({ actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'grid.encode', targetType: 'community', targetId: communityCode, ip: actor.ip, success: true, detail: { changed: changed.length } }, client);
        const after = await encodingPreview(client, communityCode, settings.dedicatedSequenceStart);
        return { ...after, changedCount: changed.length };
      });
    },
  };
}
export type PlanningRepository = ReturnType<typeof createPlanningRepository>;
