-- Addresses a planner assigned to buildings by hand ($1 keys, $2 community codes, $3 building
-- ids, $4 the planner), kept for the next register import.
INSERT INTO building_address_assignment (address_key, community_code, building_id, assigned_by)
SELECT k, c, b, $4 FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(k, c, b)
ON CONFLICT (address_key) DO UPDATE
SET building_id = EXCLUDED.building_id, community_code = EXCLUDED.community_code,
    assigned_by = EXCLUDED.assigned_by, assigned_at = now();
