-- Contiguity of live grids. 'rook': the two share a stretch of boundary of positive length and
-- no interior (ST_Relate 'F***1****' — touching, with a 1-dimensional boundary intersection);
-- 'queen': they touch at all, a corner is enough (ST_Touches). $1 'rook' | 'queen'.
SELECT a.id AS a, b.id AS b
FROM grid a
JOIN grid b ON b.id > a.id AND b.retired_at IS NULL AND a.geom && b.geom
WHERE a.retired_at IS NULL
  AND CASE WHEN $1 = 'queen' THEN ST_Touches(a.geom, b.geom) ELSE ST_Relate(a.geom, b.geom, 'F***1****') END;
