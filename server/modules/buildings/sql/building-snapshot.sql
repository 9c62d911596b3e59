-- Writes the current state of buildings $1 as their version row, with how ($2), why ($5) and who
-- ($3 id, $4 username) changed them.
INSERT INTO building_version (building_id, version, action, name, kind, address, building_code, community_code, geom,
                              households, residents, residents_60_plus, residents_80_plus, retired,
                              reason, changed_by_user_id, changed_by_username)
SELECT b.id, b.version, $2, b.name, b.kind, b.address, b.building_code, b.community_code, b.geom,
       b.households, b.residents, b.residents_60_plus, b.residents_80_plus, b.retired_at IS NOT NULL,
       $5, $3, $4
FROM building b
WHERE b.id = ANY ($1::bigint[])
ON CONFLICT (building_id, version) DO NOTHING;
