/**
 * The shop's database for the backup tests: the API's own migrations
 * (src/db/migrator.ts) and demo catalog (src/seed), and orders written the way
 * checkout writes them (reserve stock, the order, its items and its first
 * event in one statement; src/domain/checkout.ts), one at a time like shoppers
 * or in batches to make WAL quickly.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { migrate } from '../../../src/db/migrator.js';
import { ensureUser, seedCatalog } from '../../../src/seed/seed.js';

export interface PlacedOrder {
  id: string;
  number: number;
  totalPoisha: string;
  /** When COMMIT returned: the order is acknowledged to the shopper from here on. */
  acknowledgedAt: number;
}

export async function prepareShop(url: string) {
  await migrate(url);
  await seedCatalog(url);
  return ensureUser(url, { email: 'restore-drill@dhakacart.local', password: randomUUID(), name: 'Restore Drill', role: 'customer' });
}

const ORDER_SQL = `
  WITH wanted AS (
    SELECT id, 1 + (random() * 2)::int AS quantity FROM products
     WHERE active AND stock >= 3 ORDER BY random() LIMIT 2
  ), reserved AS (
    UPDATE products p SET stock = p.stock - w.quantity, updated_at = now()
      FROM wanted w WHERE p.id = w.id AND p.stock >= w.quantity
    RETURNING p.id, p.name, p.price_poisha, w.quantity
  ), o AS (
    INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider,
                        shipping_name, shipping_phone, shipping_address, shipping_city)
    SELECT $1::uuid, 'pending_payment', (SELECT sum(price_poisha * quantity) FROM reserved), $2, 'restore-drill', 'bkash',
           'Restore Drill', '+8801700000000', 'House 1, Road 2, Dhanmondi', 'Dhaka'
    RETURNING id, number, total_poisha
  ), items AS (
    INSERT INTO order_items (order_id, product_id, name, unit_price_poisha, quantity)
    SELECT o.id, r.id, r.name, r.price_poisha, r.quantity FROM o, reserved r
  ), event AS (
    INSERT INTO order_events (order_id, to_status) SELECT id, 'pending_payment' FROM o
  )
  SELECT id::text AS id, number, total_poisha::text AS total FROM o`;

/** One shopper's checkout, committed (autocommit): acknowledged when this resolves. */
export async function placeOrder(client: pg.Client, userId: string): Promise<PlacedOrder> {
  const { rows } = await client.query<{ id: string; number: number; total: string }>(ORDER_SQL, [userId, randomUUID()]);
  const r = rows[0];
  if (!r) throw new Error('no order was placed (out of stock?)');
  return { id: r.id, number: r.number, totalPoisha: r.total, acknowledgedAt: Date.now() };
}

/**
 * Busy-hour traffic in one statement: `count` paid orders of one line each over
 * the whole catalog, their items and events, stock taken (and restocked where
 * it would run out). Makes WAL fast enough to measure replay with.
 */
export async function placeOrders(client: pg.Client, userId: string, count: number, seed: number) {
  await client.query(
    `WITH ps AS (SELECT array_agg(id ORDER BY id) AS ids FROM products WHERE active),
     b AS (
       SELECT gen_random_uuid() AS oid, p.id AS pid, p.name, p.price_poisha, 1 + g % 3 AS qty
         FROM generate_series(1, $2::int) g CROSS JOIN ps
         JOIN products p ON p.id = ps.ids[1 + (g * 7919 + $3::int) % cardinality(ps.ids)]
     ), o AS (
       INSERT INTO orders (id, user_id, status, total_poisha, idempotency_key, request_hash, payment_provider,
                           shipping_name, shipping_phone, shipping_address, shipping_city)
       SELECT oid, $1::uuid, 'paid', price_poisha * qty, oid::text, 'restore-drill', 'bkash',
              'Restore Drill', '+8801700000000', 'House 1, Road 2, Dhanmondi', 'Dhaka' FROM b
     ), i AS (
       INSERT INTO order_items (order_id, product_id, name, unit_price_poisha, quantity)
       SELECT oid, pid, name, price_poisha, qty FROM b
     ), e AS (
       INSERT INTO order_events (order_id, to_status) SELECT oid, 'paid' FROM b
     )
     UPDATE products p SET stock = CASE WHEN p.stock >= s.q THEN p.stock - s.q ELSE p.stock + 100 END, updated_at = now()
       FROM (SELECT pid, sum(qty) AS q FROM b GROUP BY pid) s WHERE p.id = s.pid`,
    [userId, count, seed],
  );
}

/** Bytes of WAL written so far (pg_current_wal_lsn as a number). */
export async function walPosition(client: pg.Client): Promise<bigint> {
  const { rows } = await client.query<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS b`);
  return BigInt(rows[0]?.b ?? '0');
}

/** Row counts of every table (what a restore to this moment must reproduce). */
export async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const tables = await client.query<{ name: string }>(
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}
