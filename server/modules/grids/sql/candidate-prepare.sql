-- Completes pg_temp.grid_candidate for validation.sql: geometry operations need valid input, so
-- an invalid grid is reported as such and measured in its repaired form (its polygonal part)
-- for every other check.
UPDATE pg_temp.grid_candidate
SET is_valid = ST_IsValid(geom),
    vgeom = CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom), 3) END;
CREATE INDEX ON pg_temp.grid_candidate USING gist (vgeom);
ANALYZE pg_temp.grid_candidate;
