-- The reporters of the incidents import-write.sql created (given as arrays), from their rows.
-- $1 ids, $2 external ids, $3 district codes, $4 first ord (exclusive), $5 last ord (inclusive).
WITH reporters AS (
  INSERT INTO incident_reporter (district_code, incident_id, name, phone, id_number)
  SELECT i.district_code, i.id, c.reporter_name, c.reporter_phone, c.reporter_id
  FROM unnest($1::bigint[], $2::text[], $3::text[]) AS i (id, external_id, district_code)
  JOIN incident_import_checked c ON c.external_id = i.external_id AND c.ord > $4 AND c.ord <= $5 AND c.verdict = 'new'
  WHERE c.reporter_name IS NOT NULL OR c.reporter_phone IS NOT NULL OR c.reporter_id IS NOT NULL
  RETURNING 1
)
SELECT count(*) FROM reporters;
