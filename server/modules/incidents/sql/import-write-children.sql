-- The reporters and first events of the incidents import-write.sql created (given as arrays).
-- $1 ids, $2 external ids, $3 district codes, $4 report times, $5 first ord (exclusive), $6 last
-- ord (inclusive), $7 the importing user's id.
WITH reporters AS (
  INSERT INTO incident_reporter (district_code, incident_id, name, phone, id_number)
  SELECT i.district_code, i.id, c.reporter_name, c.reporter_phone, c.reporter_id
  FROM unnest($1::bigint[], $2::text[], $3::text[]) AS i (id, external_id, district_code)
  JOIN incident_import_checked c ON c.external_id = i.external_id AND c.ord > $5 AND c.ord <= $6 AND c.verdict = 'new'
  WHERE c.reporter_name IS NOT NULL OR c.reporter_phone IS NOT NULL OR c.reporter_id IS NOT NULL
  RETURNING 1
)
SELECT count(*) FROM reporters;
