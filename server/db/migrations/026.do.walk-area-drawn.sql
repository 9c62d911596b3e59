-- The walking areas as maps draw them: a walking area is the reached roads buffered by 15 m and has
-- thousands of vertices; /coverage draws every counting station's area and cuts the gap areas out
-- of the grids with them on every what-if. Simplified once, when the area is written, to about
-- 2 m (0.00002°), kept beside the exact one. The figures never use it: coverage comes from the
-- buildings' walks (facility_walk_reach, building_walk_link), not from these shapes.
ALTER TABLE facility_walk_area
  ADD COLUMN geom_drawn geometry(MultiPolygon, 4326)
  GENERATED ALWAYS AS (ST_Multi(ST_SimplifyPreserveTopology(geom, 0.00002))) STORED;
CREATE INDEX facility_walk_area_geom_drawn_idx ON facility_walk_area USING gist (geom_drawn);
