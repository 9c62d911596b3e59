-- The rows of one import, as parsed and checked one by one in the server (coordinates already
-- in WGS84, times as instants, each row's key: its ticket number or a stable content hash),
-- loaded with COPY. Everything after this is set-based SQL over the whole file. The table lives
-- only as long as the import's transaction.
CREATE TEMP TABLE incident_import (
  row            integer NOT NULL,
  external_id    text NOT NULL,
  category       text NOT NULL,
  sub_category   text,
  source         text NOT NULL,
  description    text NOT NULL,
  lon            float8 NOT NULL,
  lat            float8 NOT NULL,
  reported_at    timestamptz NOT NULL,
  occurred_at    timestamptz,
  reporter_name  text,
  reporter_phone text,
  reporter_id    text
) ON COMMIT DROP;
