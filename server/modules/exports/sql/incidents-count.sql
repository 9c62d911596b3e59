-- How many incidents a filter selects ($1..$7 as incident_filtered takes them): checked against
-- the export's cap before anything is written.
SELECT count(*)::int AS count FROM incident_filtered($1, $2, $3, $4, $5, $6, $7);
