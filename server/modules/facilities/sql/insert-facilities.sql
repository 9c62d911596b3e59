-- Inserts facilities from parallel arrays (one statement for a whole import); the service-area
-- trigger stores each one's circle. Returns the new ids in input order.
WITH src AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::int[], $10::bool[])
    WITH ORDINALITY AS t(ftype, name, address, lon, lat, phone, hours, services, capacity, is_public, ord)
), ins AS (
  INSERT INTO facility (facility_type, name, address, geom, phone, opening_hours, services, capacity, is_public)
  SELECT ftype, name, address, ST_SetSRID(ST_MakePoint(lon, lat), 4326), phone, hours,
         ARRAY(SELECT json_array_elements_text(services::json)), capacity, is_public
  FROM src ORDER BY ord
  RETURNING id
)
SELECT id FROM ins ORDER BY id;
