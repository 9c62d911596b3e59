-- The live grids of one community ($1, 12 digits) or of every community of a street ($1, 9
-- digits) as a GeoJSON FeatureCollection, in code order.
-- $2 = whether to include staff names and phones (personal data).
WITH staff AS (
  SELECT s.grid_id,
         bool_or(s.role = 'leader') AS has_leader,
         count(*) FILTER (WHERE s.role = 'manager') AS manager_count,
         (array_agg(json_build_object('name', s.name, 'phone', s.phone, 'userId', s.user_id, 'username', u.username)) FILTER (WHERE s.role = 'leader'))[1] AS leader,
         coalesce(json_agg(json_build_object('name', s.name, 'phone', s.phone, 'userId', s.user_id, 'username', u.username) ORDER BY s.id)
                  FILTER (WHERE s.role = 'manager'), '[]'::json) AS managers
  FROM grid_staff s
  JOIN grid g ON g.id = s.grid_id
  LEFT JOIN app_user u ON u.id = s.user_id
  WHERE g.community_code LIKE $1 || '%' AND g.retired_at IS NULL
  GROUP BY s.grid_id
)
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', g.id,
    'geometry', ST_AsGeoJSON(g.geom, 7)::json,
    'properties', json_build_object(
      'id', g.id,
      'code', g.code,
      'name', g.name,
      'communityCode', g.community_code,
      'gridType', g.grid_type,
      'dedicatedKind', g.dedicated_kind,
      'households', g.households,
      'residents', g.residents,
      'residents60Plus', g.residents_60_plus,
      'residents80Plus', g.residents_80_plus,
      'version', g.version,
      'hasLeader', coalesce(s.has_leader, false),
      'managerCount', coalesce(s.manager_count, 0)
    )::jsonb || CASE WHEN $2 THEN jsonb_build_object(
      'gridLeader', s.leader,
      'gridManagers', coalesce(s.managers, '[]'::json)
    ) ELSE '{}'::jsonb END
  ) ORDER BY g.code), '[]'::json)
)::text AS collection
FROM grid g
LEFT JOIN staff s ON s.grid_id = g.id
WHERE g.community_code LIKE $1 || '%' AND g.retired_at IS NULL;
