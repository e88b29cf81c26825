-- DhakaCart initial schema. Applied by src/db/migrator.ts in one transaction.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TYPE "Role" AS ENUM ('customer', 'staff', 'admin');
CREATE TYPE "OrderStatus" AS ENUM ('pending_payment', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'payment_failed');

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
  password_hash text NOT NULL,
  name          text NOT NULL,
  role          "Role" NOT NULL DEFAULT 'customer',
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE login_throttle (
  email_key        text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  window_starts_at timestamptz(3) NOT NULL DEFAULT now(),
  locked_until     timestamptz(3)
);

CREATE TABLE refresh_tokens (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id  uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz(3) NOT NULL,
  used_at    timestamptz(3),
  revoked_at timestamptz(3),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

CREATE TABLE categories (
  id        serial PRIMARY KEY,
  slug      text NOT NULL UNIQUE,
  name      text NOT NULL,
  parent_id integer REFERENCES categories(id)
);

CREATE TABLE products (
  id                serial PRIMARY KEY,
  sku               text NOT NULL UNIQUE,
  slug              text NOT NULL UNIQUE,
  name              text NOT NULL,
  brand             text NOT NULL,
  category_id       integer NOT NULL REFERENCES categories(id),
  description       text NOT NULL DEFAULT '',
  specs             jsonb NOT NULL DEFAULT '{}',
  price_poisha      bigint NOT NULL CHECK (price_poisha > 0),
  compare_at_poisha bigint CHECK (compare_at_poisha IS NULL OR compare_at_poisha > price_poisha),
  -- The last line of defence against overselling: checkout's conditional UPDATE is the first.
  stock             integer NOT NULL DEFAULT 0 CHECK (stock >= 0),
  images            text[] NOT NULL DEFAULT '{}',
  featured          boolean NOT NULL DEFAULT false,
  active            boolean NOT NULL DEFAULT true,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  -- 'simple' config: product names are brand and model codes, not English prose to stem.
  search_vector     tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(brand, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(description, '')), 'C')
  ) STORED
);
CREATE INDEX products_category_id_price_poisha_id_idx ON products (category_id, price_poisha, id);
CREATE INDEX products_price_poisha_id_idx ON products (price_poisha, id);
CREATE INDEX products_created_at_id_idx ON products (created_at, id);
CREATE INDEX products_brand_idx ON products (brand);
CREATE INDEX products_search_vector_idx ON products USING gin (search_vector);
CREATE INDEX products_name_trgm_idx ON products USING gin (lower(name) gin_trgm_ops);

CREATE TABLE carts (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
  cart_id    uuid NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
  product_id integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  quantity   integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (cart_id, product_id)
);

CREATE TABLE orders (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number            serial NOT NULL UNIQUE,
  user_id           uuid NOT NULL REFERENCES users(id),
  status            "OrderStatus" NOT NULL,
  total_poisha      bigint NOT NULL CHECK (total_poisha >= 0),
  idempotency_key   text NOT NULL,
  request_hash      text NOT NULL,
  payment_provider  text NOT NULL,
  payment_reference text,
  failure_code      text,
  shipping_name     text NOT NULL,
  shipping_phone    text NOT NULL,
  shipping_address  text NOT NULL,
  shipping_city     text NOT NULL,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  updated_at        timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at);

CREATE TABLE order_items (
  order_id          uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id        integer NOT NULL REFERENCES products(id),
  name              text NOT NULL,
  unit_price_poisha bigint NOT NULL,
  quantity          integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
);

CREATE TABLE order_events (
  id          serial PRIMARY KEY,
  order_id    uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  from_status "OrderStatus",
  to_status   "OrderStatus" NOT NULL,
  actor_id    uuid REFERENCES users(id),
  note        text,
  created_at  timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_id_idx ON order_events (order_id);

CREATE TABLE stock_adjustments (
  id              serial PRIMARY KEY,
  product_id      integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  delta           integer NOT NULL,
  resulting_stock integer NOT NULL,
  reason          text NOT NULL,
  actor_id        uuid NOT NULL REFERENCES users(id),
  created_at      timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX stock_adjustments_product_id_created_at_idx ON stock_adjustments (product_id, created_at);

CREATE TABLE role_changes (
  id         serial PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  from_role  "Role" NOT NULL,
  to_role    "Role" NOT NULL,
  actor_id   uuid NOT NULL REFERENCES users(id),
  created_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX role_changes_user_id_idx ON role_changes (user_id);
