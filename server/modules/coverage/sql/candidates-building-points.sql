-- Candidate sites at the buildings themselves (a station on the ground floor of a building).
SELECT b.name AS label, ST_X(b.geom) AS lon, ST_Y(b.geom) AS lat FROM building b WHERE b.retired_at IS NULL ORDER BY b.id;
