-- The inner point of a footprint drawn on the map ($1 GeoJSON Polygon, WGS84), as the import
-- places polygons: ST_PointOnSurface, not the centroid (which can fall outside an L-shaped block).
-- valid_reason is NULL for a valid polygon.
SELECT CASE WHEN ST_IsValid(f) THEN NULL ELSE ST_IsValidReason(f) END AS valid_reason,
       ST_X(ST_PointOnSurface(f)) AS lon, ST_Y(ST_PointOnSurface(f)) AS lat
FROM (SELECT ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON($1)), 4326) AS f) x;
