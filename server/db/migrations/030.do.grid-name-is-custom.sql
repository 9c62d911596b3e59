-- Whether a grid's name is a planner's own (kept as is) or the numbered one
-- "<社区名>第N网格" that follows the grid's code when the community is renumbered or split.
ALTER TABLE grid ADD COLUMN name_is_custom boolean NOT NULL DEFAULT false;

-- Existing names: a dedicated grid's name is its unit's (kept); a comprehensive grid keeps a
-- name of its own unless it reads like a numbered one ("…第3网格", or the old default "网格007").
UPDATE grid
   SET name_is_custom = grid_type = 'dedicated' OR (name !~ '第[0-9]+网格$' AND name !~ '^网格[0-9]{3}$');
