/**
 * Deriving outlines from what lies below: a community's as the union of its live grids, a
 * street's (or district's) as the union of its communities' (streets') outlines. The holes in
 * the union are measured and placed: slivers (under the sliver tolerance) are filled, as grid
 * validation's sliver repair would; gaps are reported and filled only when asked. The preview
 * shows the outline that would result and how it fits the tiling; applying it goes through the
 * area store like any other outline write (action 'derive', outline_source 'derived').
 */
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { HttpError, notFound, phrase } from '../../shared/errors.js';
import { problem, type Problem, type RefusalParams } from '../../shared/refusals.js';
import { sqlFile } from '../../shared/sql.js';
import { readSettings, unprocessable, type Actor } from '../grids/grid-store.js';
import { areaFit, assertAreaInScope, blockingFindings, lockArea, writeAreaOutline, type OutlineWrite } from './area-store.js';
import type { DerivableAreas, DerivePreview } from './outline-schemas.js';

const DERIVE_SQL = sqlFile(import.meta.url, 'derive-outline.sql');

interface Derived {
  preview: DerivePreview;
  ewkb: Buffer | null;
}

async function derive(client: Pick<PoolClient, 'query'>, code: string, fillGaps: boolean): Promise<Derived> {
  const { rows: [area] } = await client.query(
    `SELECT code, name, level, version, geom IS NOT NULL AS "hasOutline", retired_at IS NOT NULL AS retired FROM admin_area WHERE code = $1`, [code]);
  if (!area || area.retired) throw notFound('areas.noLiveArea', { code });
  const { sliverToleranceSquareMeters: tolerance } = await readSettings(client);
  const { rows } = await client.query(DERIVE_SQL, [code, tolerance, fillGaps]);
  const outline = rows.find((r) => r.kind === 'outline')!;
  const from = area.level === 'community' ? 'grids' : 'children';
  const ewkb: Buffer | null = outline.ewkb ?? null;
  const fit = ewkb ? await areaFit(client, code, ewkb) : [];
  const blocking = blockingFindings(fit, tolerance);
  const partCount = Number(outline.count);
  let refusal: Problem | null = null;
  if (area.level === 'city') refusal = problem('areas.deriveCity', { code });
  else if (partCount === 0) refusal = problem(area.level === 'community' ? 'areas.deriveNoGrids' : 'areas.deriveNoChildren', { code, name: area.name });
  else if (blocking.length) {
    refusal = problem('areas.deriveWouldNotFit', {
      findings: blocking.map((f) => phrase('areas.fitItem', { kind: { code: `areaFit.${f.kind}` }, code: f.code, name: f.name, squareMeters: Math.round(f.areaSquareMeters) })),
    });
  }
  return {
    ewkb,
    preview: {
      code: area.code,
      name: area.name,
      level: area.level,
      version: area.version,
      hasOutline: area.hasOutline,
      from,
      partCount,
      partsAreaSquareMeters: Math.round(Number(outline.parts_m2) * 10) / 10,
      areaSquareMeters: Math.round(Number(outline.area_m2) * 10) / 10,
      geometry: outline.geometry ?? null,
      bbox: outline.bbox ?? null,
      holes: rows.filter((r) => r.kind !== 'outline').map((r) => ({
        kind: r.kind,
        areaSquareMeters: Math.round(r.area_m2 * 100) / 100,
        filled: r.filled,
        geometry: r.geometry,
        bbox: r.bbox,
      })),
      fit,
      canApply: refusal === null,
      refusal: refusal?.message ?? null,
      refusalCode: refusal?.code ?? null,
      refusalParams: refusal?.params ?? null,
    },
  };
}

export function createOutlineDerive(pool: Pool) {
  return {
    /** The live areas of a level under a parent that have no outline, with what they could be built from. */
    async derivable(parent: string, level: 'street' | 'community'): Promise<DerivableAreas> {
      const { rows } = await pool.query(
        `SELECT a.code, a.name, a.level, a.parent_code AS "parentCode", a.version,
                CASE WHEN a.level = 'community'
                     THEN (SELECT count(*) FROM grid g WHERE g.community_code = a.code AND g.retired_at IS NULL)
                     ELSE (SELECT count(*) FROM admin_area c WHERE c.parent_code = a.code AND c.retired_at IS NULL AND c.geom IS NOT NULL) END::int AS "partCount"
           FROM admin_area a
          WHERE a.level = $2 AND a.code LIKE $1 || '%' AND a.code <> $1 AND a.retired_at IS NULL AND a.geom IS NULL
          ORDER BY a.code`, [parent, level]);
      return rows;
    },

    /** What deriving would give; nothing is written. */
    async preview(actor: Actor, code: string, fillGaps: boolean): Promise<DerivePreview> {
      assertAreaInScope(actor.user, code);
      return withTransaction(pool, async (client) => (await derive(client, code, fillGaps)).preview);
    },

    /** Derives and writes the outline of one area (through the area store: locks, checks, versions, audit). */
    async apply(actor: Actor, code: string, body: { version: number; fillGaps?: boolean; reason?: string }): Promise<OutlineWrite & { preview: DerivePreview }> {
      return withTransaction(pool, async (client) => {
        const area = await lockArea(client, code, body.version, actor);
        const { preview, ewkb } = await derive(client, code, body.fillGaps ?? false);
        if (!preview.canApply || !ewkb) {
          const detail = preview.refusalCode ? { code: preview.refusalCode, params: preview.refusalParams as RefusalParams } : '';
          throw unprocessable('areas.cannotDerive', { code, name: area.name, detail }, { preview: { ...preview, geometry: null } });
        }
        const filled = preview.holes.filter((h) => h.filled);
        const written = await writeAreaOutline(client, actor, area, ewkb, {
          action: 'derive',
          reason: body.reason ?? `derived from ${preview.partCount} ${preview.from === 'grids' ? 'grids' : 'child outlines'}`,
          detail: { from: preview.from, parts: preview.partCount, filledHoles: filled.length, openGaps: preview.holes.filter((h) => h.kind === 'gap' && !h.filled).length },
        });
        return { ...written, preview };
      });
    },

    /** Derives every area of a level under a parent that has no outline yet, each in its own transaction. */
    async applyAll(actor: Actor, body: { parent: string; level: 'street' | 'community'; fillGaps?: boolean; reason?: string }) {
      // A planner limited to a street derives only what lies inside it.
      const scope = actor.user.scopeAreaCode;
      const candidates = (await this.derivable(body.parent, body.level)).filter((a) => !scope || a.code.startsWith(scope));
      const results = [];
      for (const area of candidates) {
        if (area.partCount === 0) {
          const nothing = problem('areas.deriveNothing');
          results.push({ code: area.code, name: area.name, status: 'skipped' as const, message: nothing.message, messageCode: nothing.code, messageParams: nothing.params, version: area.version, areaSquareMeters: null });
          continue;
        }
        try {
          const written = await this.apply(actor, area.code, { version: area.version, fillGaps: body.fillGaps, reason: body.reason });
          results.push({ code: area.code, name: area.name, status: 'derived' as const, message: null, messageCode: null, messageParams: null, version: written.version, areaSquareMeters: written.areaSquareMeters });
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          results.push({ code: area.code, name: area.name, status: 'refused' as const, message: error.message, messageCode: error.code ?? null, messageParams: error.code ? error.params ?? {} : null, version: area.version, areaSquareMeters: null });
        }
      }
      return { results };
    },
  };
}
