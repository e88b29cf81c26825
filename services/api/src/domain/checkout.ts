import type { Db } from '../db/client.js';
import { RETRYABLE, sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { AppError, badRequest, conflict } from '../errors.js';
import { findOrder, type OrderView, requestHash, transition } from './orders.js';
import { type PaymentGateway, type PaymentProviderName, PaymentTimeoutError, type SandboxOutcome } from './payments.js';

export interface CheckoutInput {
  shipping: { name: string; phone: string; address: string; city: string };
  payment: { provider: PaymentProviderName; sandboxOutcome?: SandboxOutcome };
}

export type CheckoutOutcome =
  | { kind: 'paid'; order: OrderView; replayed: boolean }
  | { kind: 'failed'; order: OrderView; code: string; replayed: boolean }
  | { kind: 'in_progress'; order: OrderView };

export interface CheckoutDeps {
  db: Db;
  payments: PaymentGateway;
  paymentTimeoutMs: number;
  onFailure: (reason: string) => void;
}

class DuplicateIdempotencyKey extends Error {}

/**
 * Checkout in three steps, so no database lock is held while the payment
 * provider thinks:
 *  1. one transaction reserves stock with a conditional decrement (never below
 *     zero, under any concurrency) and records the order as pending_payment;
 *  2. the provider is charged, with a deadline;
 *  3. the order becomes paid (cart emptied) or payment_failed (stock returned).
 * The Idempotency-Key is unique per user in the orders table: a retry finds
 * the first attempt's order and gets its result, and two concurrent requests
 * with one key serialise on the unique index, so one key is one order.
 * An order left pending by a crash is expired by expireStalePendingOrders.
 */
export async function checkout(deps: CheckoutDeps, userId: string, idempotencyKey: string, input: CheckoutInput): Promise<CheckoutOutcome> {
  const { db } = deps;
  const hash = requestHash(input);
  const existing = await replay(db, userId, idempotencyKey, hash);
  if (existing) return existing;

  const lines = await db.$queryRaw<{ product_id: number; quantity: number }[]>`
    SELECT ci.product_id, ci.quantity FROM cart_items ci JOIN carts c ON c.id = ci.cart_id
    WHERE c.user_id = ${userId}::uuid ORDER BY ci.product_id`;
  if (lines.length === 0) {
    deps.onFailure('cart_empty');
    throw badRequest('CART_EMPTY', 'your cart is empty');
  }

  let orderId: string;
  try {
    orderId = await withRetry(() => reserve(db, userId, idempotencyKey, hash, input, lines));
  } catch (error) {
    if (error instanceof DuplicateIdempotencyKey) {
      const raced = await replay(db, userId, idempotencyKey, hash);
      if (raced) return raced;
    }
    if (error instanceof AppError && error.code === 'OUT_OF_STOCK') deps.onFailure('out_of_stock');
    throw error;
  }

  const pending = (await findOrder(db, orderId)) as OrderView;
  let result: Awaited<ReturnType<PaymentGateway['charge']>>;
  try {
    result = await deps.payments.charge(
      { orderId, amountPoisha: pending.totalPoisha, provider: input.payment.provider, sandboxOutcome: input.payment.sandboxOutcome },
      deps.paymentTimeoutMs,
    );
  } catch (error) {
    const code = error instanceof PaymentTimeoutError ? 'PAYMENT_TIMEOUT' : 'PAYMENT_UNAVAILABLE';
    deps.onFailure(code.toLowerCase());
    const order = await transition(db, orderId, ['pending_payment'], 'payment_failed', null, (error as Error).message, {
      failureCode: code,
    });
    return { kind: 'failed', order, code, replayed: false };
  }
  if (result.status === 'declined') {
    deps.onFailure('payment_declined');
    const order = await transition(db, orderId, ['pending_payment'], 'payment_failed', null, result.reason, {
      failureCode: 'PAYMENT_DECLINED',
    });
    return { kind: 'failed', order, code: 'PAYMENT_DECLINED', replayed: false };
  }

  const confirmed = await db.$queryRaw<{ id: string }[]>`
    WITH paid AS (
      UPDATE orders SET status = 'paid', payment_reference = ${result.reference}, updated_at = now()
      WHERE id = ${orderId}::uuid AND status = 'pending_payment' RETURNING id, user_id
    ), event AS (
      INSERT INTO order_events (order_id, from_status, to_status, note)
      SELECT id, 'pending_payment', 'paid', ${result.reference} FROM paid
    ), emptied AS (
      DELETE FROM cart_items ci USING carts c, paid, order_items oi
      WHERE c.user_id = paid.user_id AND ci.cart_id = c.id AND oi.order_id = paid.id AND oi.product_id = ci.product_id
    )
    SELECT id FROM paid`;
  if (confirmed.length === 0) {
    // Expired while the provider was slow: the stock went back, so give the money back too.
    await deps.payments.refund(result.reference, pending.totalPoisha);
    deps.onFailure('payment_expired');
    return { kind: 'failed', order: (await findOrder(db, orderId)) as OrderView, code: 'PAYMENT_EXPIRED', replayed: false };
  }
  return { kind: 'paid', order: (await findOrder(db, orderId)) as OrderView, replayed: false };
}

async function replay(db: Db, userId: string, key: string, hash: string): Promise<CheckoutOutcome | null> {
  const order = await db.order.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey: key } },
    select: { id: true, requestHash: true },
  });
  if (!order) return null;
  if (order.requestHash !== hash) {
    throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different checkout; use a new key');
  }
  const view = (await findOrder(db, order.id)) as OrderView;
  if (view.status === 'pending_payment') return { kind: 'in_progress', order: view };
  if (view.status === 'payment_failed') return { kind: 'failed', order: view, code: view.failureCode ?? 'PAYMENT_FAILED', replayed: true };
  return { kind: 'paid', order: view, replayed: true };
}

async function reserve(
  db: Db,
  userId: string,
  key: string,
  hash: string,
  input: CheckoutInput,
  lines: { product_id: number; quantity: number }[],
): Promise<string> {
  const ids = lines.map((l) => l.product_id);
  const quantities = lines.map((l) => l.quantity);
  return db.$transaction(async (tx) => {
    const reserved = await tx.$queryRaw<{ id: number; name: string; price_poisha: bigint; quantity: number }[]>`
      UPDATE products p SET stock = p.stock - c.quantity, updated_at = now()
      FROM unnest(${ids}::int[], ${quantities}::int[]) AS c(id, quantity)
      WHERE p.id = c.id AND p.active AND p.stock >= c.quantity
      RETURNING p.id, p.name, p.price_poisha, c.quantity`;
    if (reserved.length < lines.length) {
      const got = new Set(reserved.map((r) => r.id));
      const short = await tx.product.findMany({
        where: { id: { in: ids.filter((id) => !got.has(id)) } },
        select: { id: true, stock: true, active: true },
      });
      throw conflict(
        'OUT_OF_STOCK',
        'some items in your cart are no longer available in the quantity you chose',
        short.map((p) => ({ productId: p.id, available: p.active ? p.stock : 0, requested: quantities[ids.indexOf(p.id)] })),
      );
    }
    const total = reserved.reduce((sum, r) => sum + Number(r.price_poisha) * r.quantity, 0);
    try {
      const [order] = await tx.$queryRaw<{ id: string }[]>`
        WITH o AS (
          INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider,
                              shipping_name, shipping_phone, shipping_address, shipping_city)
          VALUES (${userId}::uuid, 'pending_payment', ${total}, ${key}, ${hash}, ${input.payment.provider},
                  ${input.shipping.name}, ${input.shipping.phone}, ${input.shipping.address}, ${input.shipping.city})
          RETURNING id
        ), items AS (
          INSERT INTO order_items (order_id, product_id, name, unit_price_poisha, quantity)
          SELECT o.id, r.id, r.name, r.price, r.quantity FROM o,
            unnest(${reserved.map((r) => r.id)}::int[], ${reserved.map((r) => r.name)}::text[],
                   ${reserved.map((r) => Number(r.price_poisha))}::bigint[], ${reserved.map((r) => r.quantity)}::int[])
              AS r(id, name, price, quantity)
        ), event AS (
          INSERT INTO order_events (order_id, to_status) SELECT id, 'pending_payment' FROM o
        )
        SELECT id FROM o`;
      return (order as { id: string }).id;
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new DuplicateIdempotencyKey();
      throw error;
    }
  });
}

async function withRetry<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      const state = sqlState(error);
      if (i >= tries || !state || !RETRYABLE.has(state)) throw error;
    }
  }
}
