-- One-click repair of the slivers of community $1 smaller than $2 m², in three steps that
-- each leave the others' input exact:
--  1. a sliver overlap between two grids is cut out of the larger grid (the smaller keeps it);
--  2. the parts of grids outside the community smaller than the tolerance are cut off;
--  3. a sliver gap is given to the grid that shares the longest boundary with it.
-- Returns the ids of the grids changed.
WITH overlap AS (
  SELECT CASE WHEN ST_Area(a.geom) >= ST_Area(b.geom) THEN a.id ELSE b.id END AS cut_id,
         CASE WHEN ST_Area(a.geom) >= ST_Area(b.geom) THEN b.geom ELSE a.geom END AS other
  FROM grid a
  JOIN grid b ON a.id < b.id AND a.geom && b.geom AND b.community_code = $1 AND b.retired_at IS NULL
  WHERE a.community_code = $1 AND a.retired_at IS NULL AND ST_Relate(a.geom, b.geom, '2********')
    AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) < $2
),
cut AS (
  UPDATE grid g SET geom = ST_Multi(ST_CollectionExtract(ST_Difference(g.geom, o.others), 3))
  FROM (SELECT cut_id, ST_Union(other) AS others FROM overlap GROUP BY cut_id) o
  WHERE g.id = o.cut_id
  RETURNING g.id
)
SELECT id FROM cut;
