import { randomUUID } from 'node:crypto';
import type { Harness } from './harness.js';

export const SHIPPING = { name: 'Karim Uddin', phone: '01712345678', address: 'House 12, Road 5, Dhanmondi', city: 'Dhaka' };

/** A product of the test's own with a known stock, so tests do not depend on seed data. */
export async function makeProduct(h: Harness, stock: number, pricePoisha = 150_000) {
  const sku = `T-${randomUUID().slice(0, 8).toUpperCase()}`;
  const [row] = await h.sql<{ id: number; slug: string }>(
    `INSERT INTO products (sku, slug, name, brand, category_id, price_poisha, stock, images)
     VALUES ($1, lower($1), 'Test Power Bank ' || $1, 'Anker', (SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1), $2, $3, '{/images/x.webp}')
     RETURNING id, slug`,
    [sku, pricePoisha, stock],
  );
  return row as { id: number; slug: string };
}

export async function addToCart(h: Harness, auth: Record<string, string>, productId: number, quantity = 1) {
  const res = await h.app.inject({ method: 'PUT', url: `/v1/cart/items/${productId}`, headers: auth, payload: { quantity } });
  if (res.statusCode !== 200) throw new Error(`add to cart: ${res.statusCode} ${res.body}`);
  return res.json();
}

export function checkout(h: Harness, auth: Record<string, string>, key: string = randomUUID(), payment: object = { provider: 'bkash' }) {
  return h.app.inject({
    method: 'POST',
    url: '/v1/checkout',
    headers: { ...auth, 'idempotency-key': key },
    payload: { shipping: SHIPPING, payment },
  });
}

export async function stockOf(h: Harness, productId: number) {
  const [row] = await h.sql<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [productId]);
  return row?.stock;
}
