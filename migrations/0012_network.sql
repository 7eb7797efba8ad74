-- The walking road network of each district for the 15-minute service circle (issue 6 §3): one
-- row per district, the network in the compact binary of src/supply/network.ts (encodeNetwork,
-- format version in its header). Written by `yiyang network import` (an administrator, as the
-- owner role), read by the application. Streets and paths are public map data, not personal
-- data: no row-level security (contrast people.* and entitlements.*).
CREATE SCHEMA IF NOT EXISTS supply;
GRANT USAGE ON SCHEMA supply TO yiyang_app;

CREATE TABLE supply.road_network (
  district_code text PRIMARY KEY,
  source        text NOT NULL CHECK (source IN ('osm', 'geojson', 'synthetic')),
  node_count    int,
  edge_count    int,
  data          bytea NOT NULL,
  imported_at   timestamptz NOT NULL,
  imported_by   text
);

GRANT SELECT ON supply.road_network TO yiyang_app;
