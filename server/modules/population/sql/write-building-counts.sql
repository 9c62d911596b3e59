-- The register's counts written onto buildings: one row per building id ($1), with households,
-- residents, 60+ and 80+ ($2–$5, same order). Nothing but counts reaches the table.
UPDATE building b
SET households = v.households, residents = v.residents,
    residents_60_plus = v.residents_60_plus, residents_80_plus = v.residents_80_plus
FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[])
  AS v(id, households, residents, residents_60_plus, residents_80_plus)
WHERE b.id = v.id;
