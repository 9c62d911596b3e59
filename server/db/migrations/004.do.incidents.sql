-- Incidents (事件) and the closed loop 上报 → 受理/立案 → 派遣 → 处置 → 核查 → 结案 (+ 退回).

CREATE TABLE incident_category (
  code            text PRIMARY KEY,
  parent_code     text REFERENCES incident_category (code),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  -- Handling deadline from report to closure; set on top-level categories.
  deadline_hours  integer CHECK (deadline_hours > 0),
  CHECK ((parent_code IS NULL) = (deadline_hours IS NOT NULL))
);

INSERT INTO incident_category (code, parent_code, name_zh, name_en, deadline_hours) VALUES
  ('dispute', NULL, '矛盾纠纷', 'Dispute', 168),
  ('safety_hazard', NULL, '安全隐患', 'Safety hazard', 48),
  ('public_order', NULL, '治安', 'Public order', 24),
  ('sanitation', NULL, '环境卫生', 'Sanitation', 72),
  ('street_order', NULL, '市容秩序', 'Street order', 72),
  ('livelihood', NULL, '民生诉求', 'Livelihood request', 120);

INSERT INTO incident_category (code, parent_code, name_zh, name_en) VALUES
  ('neighbour', 'dispute', '邻里纠纷', 'Neighbour dispute'),
  ('family', 'dispute', '家庭纠纷', 'Family dispute'),
  ('property', 'dispute', '物业纠纷', 'Property-management dispute'),
  ('labour', 'dispute', '劳资纠纷', 'Labour dispute'),
  ('fire', 'safety_hazard', '消防隐患', 'Fire hazard'),
  ('gas', 'safety_hazard', '燃气隐患', 'Gas hazard'),
  ('building', 'safety_hazard', '房屋安全', 'Building safety'),
  ('traffic', 'safety_hazard', '交通安全', 'Traffic safety'),
  ('theft', 'public_order', '盗窃', 'Theft'),
  ('noise', 'public_order', '噪声扰民', 'Noise'),
  ('gathering', 'public_order', '聚集滋事', 'Gathering'),
  ('garbage', 'sanitation', '垃圾堆放', 'Garbage'),
  ('sewage', 'sanitation', '污水外溢', 'Sewage'),
  ('pests', 'sanitation', '病媒生物', 'Pests'),
  ('street_vendor', 'street_order', '占道经营', 'Street vending'),
  ('illegal_parking', 'street_order', '违章停车', 'Illegal parking'),
  ('illegal_construction', 'street_order', '违法建设', 'Illegal construction'),
  ('heating', 'livelihood', '供暖', 'Heating'),
  ('water_supply', 'livelihood', '供水', 'Water supply'),
  ('elderly_care', 'livelihood', '养老服务', 'Elderly care'),
  ('employment', 'livelihood', '就业', 'Employment');

CREATE TABLE incident (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The key of the record in the system it came from (e.g. a 12345 hotline ticket number);
  -- re-importing the same record never creates a duplicate.
  external_id     text UNIQUE,
  category        text NOT NULL REFERENCES incident_category (code),
  sub_category    text REFERENCES incident_category (code),
  source          text NOT NULL CHECK (source IN ('grid_worker', 'hotline_12345', 'public', 'video', 'higher_level')),
  status          text NOT NULL DEFAULT 'reported' CHECK (status IN
                    ('reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned')),
  occurred_at     timestamptz,
  reported_at     timestamptz NOT NULL DEFAULT now(),
  due_at          timestamptz NOT NULL,
  closed_at       timestamptz,
  geom            geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  grid_id         bigint REFERENCES grid (id),
  community_code  text REFERENCES admin_area (code),
  description     text NOT NULL DEFAULT '',
  reported_by     bigint,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK (closed_at IS NULL OR closed_at >= reported_at),
  CHECK (occurred_at IS NULL OR occurred_at <= reported_at)
);
CREATE INDEX incident_geom_idx ON incident USING gist (geom);
CREATE INDEX incident_reported_at_idx ON incident (reported_at);
CREATE INDEX incident_grid_idx ON incident (grid_id);
CREATE INDEX incident_status_idx ON incident (status);

-- The reporter's personal data is kept apart from the incident's public fields, so that a
-- query for the map can never select it by accident.
CREATE TABLE incident_reporter (
  incident_id  bigint PRIMARY KEY REFERENCES incident (id) ON DELETE CASCADE,
  name         text,
  phone        text,
  id_number    text
);

-- Every transition of the closed loop: who, when, from which state to which, and why.
CREATE TABLE incident_event (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id  bigint NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
  from_status  text,
  to_status    text NOT NULL,
  actor_user_id bigint,
  at           timestamptz NOT NULL DEFAULT now(),
  note         text NOT NULL DEFAULT ''
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id);
