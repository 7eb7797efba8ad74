-- Community meals (老年助餐, issue 8 §7): the menu a meal point (a supply facility of a meals type:
-- 社区长者食堂, 老年助餐点, 晚晴餐厅) publishes per day and meal, and the orders of older people —
-- dine-in (堂食) or delivered (送餐上门), one meal each — with the price, the subsidy and what the
-- person pays, all in fen and each figure explained. The daily capacity is the facility's
-- meal_capacity in the supply registry; an order takes the day's menu rows FOR UPDATE before it
-- counts, so concurrent orders cannot overbook (src/care/store/meals.ts).
--
-- Scope: a menu belongs to the point's region. An order concerns the point and the person, who
-- may live in another district, so its rows are visible in either region (as waitlist.offer).
-- A delivery address and contact phone are stored encrypted, with a masked copy for staff lists.
CREATE SCHEMA IF NOT EXISTS care;
GRANT USAGE ON SCHEMA care TO yiyang_app;

CREATE TABLE care.meal_menu (
  id               uuid PRIMARY KEY,
  facility_id      uuid NOT NULL,                -- supply.facility (read through the supply module)
  region_code      text NOT NULL,                -- the point's street (or district)
  district_code    text NOT NULL,
  meal_date        date NOT NULL,
  meal             text NOT NULL CHECK (meal IN ('breakfast', 'lunch', 'dinner')),
  dishes           jsonb NOT NULL,               -- [{name, note}]
  price_fen        integer NOT NULL CHECK (price_fen >= 0),
  delivery         boolean NOT NULL,             -- 送餐上门 offered for this meal
  delivery_fee_fen integer NOT NULL DEFAULT 0 CHECK (delivery_fee_fen >= 0),
  note             text,
  published_by     uuid,
  published_role   text NOT NULL,
  published_at     timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE UNIQUE INDEX meal_menu_day_uq ON care.meal_menu (facility_id, meal_date, meal);
CREATE INDEX meal_menu_date_idx ON care.meal_menu (meal_date, district_code);

CREATE TABLE care.meal_order (
  id                      uuid PRIMARY KEY,
  menu_id                 uuid NOT NULL REFERENCES care.meal_menu (id),
  facility_id             uuid NOT NULL,
  region_code             text NOT NULL,        -- the point's
  district_code           text NOT NULL,        -- the point's (daily counts per district)
  person_id               uuid NOT NULL,
  person_region_code      text NOT NULL,        -- the person's when ordering
  person_district_code    text NOT NULL,
  meal_date               date NOT NULL,
  meal                    text NOT NULL CHECK (meal IN ('breakfast', 'lunch', 'dinner')),
  mode                    text NOT NULL CHECK (mode IN ('dine_in', 'delivery')),
  quantity                integer NOT NULL DEFAULT 1 CHECK (quantity = 1),
  status                  text NOT NULL CHECK (status IN ('ordered', 'served', 'delivered', 'cancelled')),
  meal_fen                integer NOT NULL CHECK (meal_fen >= 0),
  delivery_fee_fen        integer NOT NULL CHECK (delivery_fee_fen >= 0),
  price_fen               integer NOT NULL,
  subsidy_fen             integer NOT NULL CHECK (subsidy_fen >= 0),
  pays_fen                integer NOT NULL CHECK (pays_fen >= 0),
  subsidy_group           text,                 -- the subsidy table row that applied (policy/care/meals.json)
  figures                 jsonb NOT NULL,       -- [{figure, fen, text, parameters}]: each figure explained
  parameter_version       text NOT NULL,
  delivery_address_enc    text,
  delivery_address_masked text,
  contact_phone_enc       text,
  contact_phone_masked    text,
  note                    text,
  ordered_by              uuid,
  ordered_role            text NOT NULL,
  relation                text NOT NULL,        -- 本人 / 家属 / 代办
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  cancelled_at            timestamptz,
  cancelled_by            uuid,
  cancel_reason           text,
  served_at               timestamptz,
  served_by               uuid,
  CHECK (price_fen = meal_fen + delivery_fee_fen),
  CHECK (pays_fen = price_fen - subsidy_fen),
  CHECK (mode = 'dine_in' OR delivery_address_enc IS NOT NULL)
);
-- One meal per person, day and meal (a cancelled order does not count).
CREATE UNIQUE INDEX meal_order_person_uq ON care.meal_order (person_id, meal_date, meal) WHERE status <> 'cancelled';
CREATE INDEX meal_order_point_idx ON care.meal_order (facility_id, meal_date, status);
CREATE INDEX meal_order_district_idx ON care.meal_order (district_code, meal_date);
CREATE INDEX meal_order_person_idx ON care.meal_order (person_id, meal_date);

ALTER TABLE care.meal_menu ENABLE ROW LEVEL SECURITY;
ALTER TABLE care.meal_order ENABLE ROW LEVEL SECURITY;
CREATE POLICY meal_menu_scope ON care.meal_menu USING (people.in_scope(region_code)) WITH CHECK (people.in_scope(region_code));
CREATE POLICY meal_order_scope ON care.meal_order USING (people.in_scope(region_code) OR people.in_scope(person_region_code))
  WITH CHECK (people.in_scope(region_code) OR people.in_scope(person_region_code));
GRANT SELECT, INSERT, UPDATE ON care.meal_menu, care.meal_order TO yiyang_app;
