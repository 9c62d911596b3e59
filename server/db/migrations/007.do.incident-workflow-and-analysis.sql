-- Incidents: the metric position used by heatmap/hexagon aggregation, photos from the phone
-- form, indexes for the analyst's filters, the filter shared by every analysis query, and the
-- link between the demo grid worker and the grids they serve.

-- CGCS2000 / 3-degree Gauss-Kruger CM 108E (EPSG:4545): a metric projection centred on the
-- demo district's meridian (Qindu lies at 108.6–108.8° E, so the scale error is below 1e-5).
-- Stored once, so that snapping 10 million points to a metric grid does not project them
-- again on every request.
ALTER TABLE incident
  ADD COLUMN geom_metric geometry(Point, 4545) GENERATED ALWAYS AS (ST_Transform(geom, 4545)) STORED;

CREATE INDEX incident_geom_metric_idx ON incident USING gist (geom_metric);
CREATE INDEX incident_category_idx ON incident (category);
CREATE INDEX incident_community_idx ON incident (community_code);
CREATE INDEX incident_due_at_idx ON incident (due_at);
CREATE INDEX incident_closed_at_idx ON incident (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX incident_event_at_idx ON incident_event (at);

ALTER TABLE incident_event
  ADD CONSTRAINT incident_event_to_status_check CHECK (to_status IN
    ('reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'));

-- Photos taken with the phone form. Kept in the database so that an incident and its photos
-- are written, backed up and removed together.
CREATE TABLE incident_photo (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id   bigint NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes         bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 10485760),
  uploaded_by   bigint REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_photo_incident_idx ON incident_photo (incident_id);

-- The analyst's filter, shared by every analysis query (heatmap, hexagons, grids, trends):
-- reported in [from, to), optional category/status/source lists, an optional area (a 6-, 9- or
-- 12-digit area code, or a 15-digit grid code) and the caller's own scope (an area code or NULL).
-- A plain SQL function, so the planner inlines it into each query and uses the indexes.
CREATE FUNCTION incident_filtered(
  from_at timestamptz, to_at timestamptz, categories text[], statuses text[], sources text[],
  area_code text, scope_code text
) RETURNS SETOF incident LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT i.*
  FROM incident i
  WHERE i.reported_at >= from_at AND i.reported_at < to_at
    AND (categories IS NULL OR i.category = ANY (categories))
    AND (statuses IS NULL OR i.status = ANY (statuses))
    AND (sources IS NULL OR i.source = ANY (sources))
    AND (area_code IS NULL
         OR (length(area_code) = 15 AND i.grid_id = (SELECT g.id FROM grid g WHERE g.code = area_code))
         OR (length(area_code) < 15 AND i.community_code LIKE area_code || '%'))
    AND (scope_code IS NULL OR i.community_code LIKE scope_code || '%')
$$;

-- Where an incident belongs: the one rule for every way in (phone form, API, import; the demo
-- loader applies the same). The grid is the live grid with the lowest code among those that
-- cover the point (ST_Covers: a point on a shared boundary is covered by both grids, and the
-- lowest code decides, so the answer never depends on row order). The community is that grid's;
-- for a point in no grid, the community/village with the lowest code that covers it.
CREATE FUNCTION incident_place(point geometry)
RETURNS TABLE (grid_id bigint, grid_code text, community_code text) LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT g.id, g.code, coalesce(g.community_code, c.code)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT grid.id, grid.code, grid.community_code FROM grid
    WHERE grid.retired_at IS NULL AND ST_Covers(grid.geom, point)
    ORDER BY grid.code LIMIT 1
  ) g ON true
  LEFT JOIN LATERAL (
    SELECT a.code FROM admin_area a
    WHERE g.id IS NULL AND a.level = 'community' AND ST_Covers(a.geom, point)
    ORDER BY a.code LIMIT 1
  ) c ON true
$$;

-- The hexagon (i, j) of ST_HexagonGrid / ST_Hexagon(size, i, j) (origin 0,0; flat-topped, edge
-- length `size`) that contains the metric point (x, y): the cell whose centre is nearest. PostGIS
-- puts the centre of (i, j) at (1.5·size·i, √3·size·j), shifted up half a row when i is odd.
-- A point's column is i0 = round(x / 1.5·size) or a neighbour of it (a hexagon reaches 0.5·size
-- into the next column); within a column the row is the nearest centre. Ties (a point on a
-- shared edge) go to the lower i, then the lower j: one cell per point, always.
-- Arithmetic rather than a spatial join, so binning 10 million points is one pass.
CREATE FUNCTION incident_hex_cell(x float8, y float8, size float8)
RETURNS TABLE (i integer, j integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN d0 <= d1 AND d0 <= d2 THEN i0 - 1 WHEN d1 <= d2 THEN i0 ELSE i0 + 1 END,
         CASE WHEN d0 <= d1 AND d0 <= d2 THEN j0 WHEN d1 <= d2 THEN j1 ELSE j2 END
  FROM (
    SELECT i0, j0, j1, j2,
           (x - 1.5 * size * (i0 - 1)) ^ 2 + (y - h * j0 - CASE WHEN (i0 - 1) % 2 <> 0 THEN h / 2 ELSE 0 END) ^ 2 AS d0,
           (x - 1.5 * size * i0) ^ 2 + (y - h * j1 - CASE WHEN i0 % 2 <> 0 THEN h / 2 ELSE 0 END) ^ 2 AS d1,
           (x - 1.5 * size * (i0 + 1)) ^ 2 + (y - h * j2 - CASE WHEN (i0 + 1) % 2 <> 0 THEN h / 2 ELSE 0 END) ^ 2 AS d2
    FROM (
      SELECT i0, h,
             round((y - CASE WHEN (i0 - 1) % 2 <> 0 THEN h / 2 ELSE 0 END) / h)::integer AS j0,
             round((y - CASE WHEN i0 % 2 <> 0 THEN h / 2 ELSE 0 END) / h)::integer AS j1,
             round((y - CASE WHEN (i0 + 1) % 2 <> 0 THEN h / 2 ELSE 0 END) / h)::integer AS j2
      FROM (SELECT round(x / (1.5 * size))::integer AS i0, size * sqrt(3.0) AS h) a
    ) b
  ) c
$$;

-- The demo grid worker serves the grids of one urban community (as a grid manager). On a fresh
-- database the demo loader does this after creating the account; here for one loaded earlier.
UPDATE grid_staff s SET user_id = u.id
FROM app_user u
WHERE u.username = 'gridworker'
  AND EXISTS (SELECT 1 FROM demo_load)
  AND NOT EXISTS (SELECT 1 FROM grid_staff linked WHERE linked.user_id = u.id)
  AND s.id IN (
    SELECT DISTINCT ON (gs.grid_id) gs.id
    FROM grid_staff gs JOIN grid g ON g.id = gs.grid_id
    WHERE g.community_code = '610402001001' AND g.retired_at IS NULL AND gs.role = 'manager'
    ORDER BY gs.grid_id, gs.id
  );
