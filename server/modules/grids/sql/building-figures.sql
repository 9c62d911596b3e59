-- The figures of the buildings inside an outline ($1 EWKB): a building counts where its point lies.
SELECT count(*)::int AS buildings, coalesce(sum(households), 0)::int AS households, coalesce(sum(residents), 0)::int AS residents,
       coalesce(sum(residents_60_plus), 0)::int AS "residents60Plus", coalesce(sum(residents_80_plus), 0)::int AS "residents80Plus"
FROM building b, (SELECT ST_GeomFromEWKB($1) AS geom) o
WHERE b.retired_at IS NULL AND b.geom && o.geom AND ST_Covers(o.geom, b.geom);
