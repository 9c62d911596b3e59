-- Completes pg_temp.grid_candidate for validation.sql: geometry operations need valid input, so
-- an invalid grid is reported as such and measured in its repaired form (its polygonal part)
-- for every other check.
-- Live grids come with both filled in already (a live grid is valid: grid_geom_check).
UPDATE pg_temp.grid_candidate c
SET is_valid = v.ok,
    vgeom = CASE WHEN v.ok THEN c.geom ELSE ST_CollectionExtract(ST_MakeValid(c.geom), 3) END
FROM (SELECT ctid, ST_IsValid(geom) AS ok FROM pg_temp.grid_candidate WHERE is_valid IS NULL) v
WHERE c.ctid = v.ctid;
CREATE INDEX ON pg_temp.grid_candidate USING gist (vgeom);
CREATE INDEX ON pg_temp.grid_candidate (community_code);
ANALYZE pg_temp.grid_candidate;
