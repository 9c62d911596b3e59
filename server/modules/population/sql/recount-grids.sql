-- A grid's figures are the sum of its buildings where it has buildings: after the buildings of
-- some communities ($1 text[]) changed, their live grids that hold buildings are re-counted from
-- them in one statement (a building counts where its point lies). Grids without buildings keep
-- their entered figures. Returns the grids changed.
WITH sums AS (
  SELECT g.id, sum(b.households)::int AS households, sum(b.residents)::int AS residents,
         sum(b.residents_60_plus)::int AS residents_60_plus, sum(b.residents_80_plus)::int AS residents_80_plus
  FROM grid g JOIN building b ON b.geom && g.geom AND ST_Covers(g.geom, b.geom)
  WHERE g.retired_at IS NULL AND g.community_code = ANY($1::text[])
  GROUP BY g.id
)
UPDATE grid g
SET households = s.households, residents = s.residents,
    residents_60_plus = s.residents_60_plus, residents_80_plus = s.residents_80_plus, updated_at = now()
FROM sums s
WHERE g.id = s.id
  AND (g.households, g.residents, g.residents_60_plus, g.residents_80_plus)
      IS DISTINCT FROM (s.households, s.residents, s.residents_60_plus, s.residents_80_plus)
RETURNING g.id;
