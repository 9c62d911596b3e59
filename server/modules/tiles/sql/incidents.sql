-- Tile of individual incidents (high zooms) for the centre's staff: category, status, source,
-- when reported and when due (not
-- "overdue": that changes with the clock, not with an edit, and a cached tile must not go stale). Never the description (free text) nor anything of the
-- reporter (incident_reporter is not read here at all; neither is reported_by).
-- $1 z, $2 x, $3 y, $4 the most features (newest kept first), $5..$9 the analyst's filter as
-- incident_filtered takes it (from, to, categories, statuses, sources: the same function, so the
-- same indexes, as every other incident query), $10 the caller's scope (area code or NULL),
-- $11 a grid worker's user id: only incidents in the grids they serve (NULL: no such limit),
-- $12/$13 the zoom-20 cells (Morton ranges [from, to)) that hold the tile and its buffer: the
-- B-tree on (incident_cell20(geom), reported_at) (migration 011) then finds the period's
-- incidents of the tile without visiting those of other periods.
-- Same shape as areas.sql; points need no simplification.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
candidates AS (
  SELECT i.id, i.category, i.sub_category, i.status, i.source, i.reported_at, i.due_at, i.geom
  FROM unnest($12::bigint[], $13::bigint[]) r (lo, hi)
  -- One index range scan per range of cells. (No OFFSET 0 fence here: Citus cannot push a
  -- lateral subquery with OFFSET down to the shards.)
  CROSS JOIN LATERAL (
    SELECT f.* FROM incident_filtered($5, $6, $7, $8, $9, NULL, $10) f
    WHERE incident_cell20(f.geom) >= r.lo AND incident_cell20(f.geom) < r.hi
  ) i
  CROSS JOIN bounds t
  WHERE i.geom && t.box
    AND ($11::bigint IS NULL OR i.grid_id IN (SELECT s.grid_id FROM grid_staff s WHERE s.user_id = $11::bigint))
  ORDER BY i.reported_at DESC, i.id DESC
  LIMIT $4
),
features AS (
  SELECT c.id, c.category, coalesce(c.sub_category, '') AS "subCategory", c.status, c.source,
         extract(epoch FROM c.reported_at)::bigint AS "reportedAt",
         extract(epoch FROM c.due_at)::bigint AS "dueAt",
         ST_AsMVTGeom(ST_Transform(c.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds t
)
SELECT coalesce(ST_AsMVT(features, 'incidents', 4096, 'geom', 'id'), ''::bytea) AS tile, count(*)::int AS features
FROM features
WHERE geom IS NOT NULL;
