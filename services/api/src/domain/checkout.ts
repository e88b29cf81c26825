import type { Db } from '../db/client.js';
import { RETRYABLE, sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { AppError, badRequest, conflict } from '../errors.js';
import type { CheckoutRequest } from '../schemas/checkout.js';
import type { Order } from '../schemas/order.js';
import { findOrder, requestFingerprint, transition } from './orders.js';
import { type PaymentGateway, PaymentTimeoutError } from './payments.js';

export type CheckoutOutcome =
  | { kind: 'paid'; order: Order; replayed: boolean }
  | { kind: 'failed'; order: Order; code: string; replayed: boolean }
  | { kind: 'in_progress'; order: Order };

export interface CheckoutDeps {
  db: Db;
  payments: PaymentGateway;
  paymentTimeoutMs: number;
  onFailure: (reason: string) => void;
}

/**
 * Checkout in three steps, so no database lock is held while the payment
 * provider thinks:
 *  1. one statement reserves stock with a conditional decrement (never below
 *     zero, under any concurrency) and records the order as pending_payment;
 *  2. the provider is charged, with a deadline;
 *  3. the order becomes paid (cart emptied) or payment_failed (stock returned).
 * The Idempotency-Key is unique per user in the orders table: a retry finds
 * the first attempt's order and gets its result, and two concurrent requests
 * with one key serialise on the unique index, so one key is one order.
 * An order left pending by a crash is expired by expireStalePendingOrders.
 */
export async function checkout(
  deps: CheckoutDeps,
  userId: string,
  idempotencyKey: string,
  input: CheckoutRequest,
): Promise<CheckoutOutcome> {
  const { db } = deps;
  const hash = requestFingerprint.of(input);
  // The hot path is raw SQL, four round trips in all: replay check + cart, reserve, (payment), confirm.
  const [state] = await db.$queryRaw<{ existing: { id: string; hash: string } | null; lines: CartLine[] | null }[]>`
    SELECT (SELECT json_build_object('id', id, 'hash', request_hash) FROM orders
             WHERE user_id = ${userId}::uuid AND idempotency_key = ${idempotencyKey}) AS existing,
           (SELECT json_agg(json_build_object('productId', ci.product_id, 'quantity', ci.quantity) ORDER BY ci.product_id)
              FROM cart_items ci JOIN carts c ON c.id = ci.cart_id WHERE c.user_id = ${userId}::uuid) AS lines`;
  if (state?.existing) return replay(deps, state.existing, input);
  const lines = state?.lines ?? [];
  if (lines.length === 0) {
    deps.onFailure('cart_empty');
    throw badRequest('CART_EMPTY', 'your cart is empty');
  }

  let pending: Order;
  try {
    pending = await withRetry(() => reserve(db, userId, idempotencyKey, hash, input, lines));
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) {
      // A concurrent request with the same key committed first: answer as its retry.
      const existing = await db.order.findUnique({
        where: { userId_idempotencyKey: { userId, idempotencyKey } },
        select: { id: true, requestHash: true },
      });
      if (existing) return replay(deps, { id: existing.id, hash: existing.requestHash }, input);
    }
    if (sqlState(error) === OUT_OF_STOCK_STATE) {
      deps.onFailure('out_of_stock');
      throw await outOfStock(db, lines);
    }
    throw error;
  }

  return settle(deps, pending, input);
}

/**
 * Charge the order and record the outcome. The provider's charge is idempotent per order id (as
 * real gateways' idempotency keys are), so a retry that resumes an order whose first attempt
 * died between the charge and the confirmation gets the same payment, never a second one.
 */
async function settle(deps: CheckoutDeps, pending: Order, input: CheckoutRequest): Promise<CheckoutOutcome> {
  const { db } = deps;
  let result: Awaited<ReturnType<PaymentGateway['charge']>>;
  try {
    result = await deps.payments.charge(
      {
        orderId: pending.id,
        amountPoisha: pending.totalPoisha,
        provider: input.payment.provider,
        sandboxOutcome: input.payment.sandboxOutcome,
      },
      deps.paymentTimeoutMs,
    );
  } catch (error) {
    const code = error instanceof PaymentTimeoutError ? 'PAYMENT_TIMEOUT' : 'PAYMENT_UNAVAILABLE';
    deps.onFailure(code.toLowerCase());
    const order = await transition(db, pending.id, ['pending_payment'], 'payment_failed', null, (error as Error).message, {
      failureCode: code,
    });
    return { kind: 'failed', order, code, replayed: false };
  }
  if (result.status === 'declined') {
    deps.onFailure('payment_declined');
    const order = await transition(db, pending.id, ['pending_payment'], 'payment_failed', null, result.reason, {
      failureCode: 'PAYMENT_DECLINED',
    });
    return { kind: 'failed', order, code: 'PAYMENT_DECLINED', replayed: false };
  }

  const confirmed = await db.$queryRaw<{ updated_at: Date }[]>`
    WITH paid AS (
      UPDATE orders SET status = 'paid', payment_reference = ${result.reference}, updated_at = now()
      WHERE id = ${pending.id}::uuid AND status = 'pending_payment' RETURNING id, user_id, updated_at
    ), event AS (
      INSERT INTO order_events (order_id, from_status, to_status, note)
      SELECT id, 'pending_payment', 'paid', ${result.reference} FROM paid
    ), emptied AS (
      DELETE FROM cart_items ci USING carts c, paid
      WHERE c.user_id = paid.user_id AND ci.cart_id = c.id AND ci.product_id = ANY(${pending.items.map((i) => i.productId)}::int[])
    )
    SELECT updated_at FROM paid`;
  const paidAt = confirmed[0]?.updated_at;
  if (!paidAt) {
    const current = (await findOrder(db, pending.id)) as Order;
    // A concurrent retry that resumed the same order confirmed it with this same payment.
    if (current.status === 'paid' && current.paymentReference === result.reference) return { kind: 'paid', order: current, replayed: true };
    // Expired while the provider was slow: the stock went back, so give the money back too.
    await deps.payments.refund(result.reference, pending.totalPoisha);
    deps.onFailure('payment_expired');
    return { kind: 'failed', order: current, code: 'PAYMENT_EXPIRED', replayed: false };
  }
  return {
    kind: 'paid',
    order: { ...pending, status: 'paid', paymentReference: result.reference, updatedAt: paidAt.toISOString() },
    replayed: false,
  };
}

interface CartLine {
  productId: number;
  quantity: number;
}

/** How long past the payment deadline a pending order's first attempt is taken for dead. */
const RESUME_MARGIN_MS = 5_000;

/** SQLSTATE raised by dhakacart_out_of_stock() (migration 20261125010000_checkout_reserve). */
const OUT_OF_STOCK_STATE = 'DC409';

async function outOfStock(db: Db, lines: CartLine[]) {
  const rows = await db.product.findMany({
    where: { id: { in: lines.map((l) => l.productId) } },
    select: { id: true, stock: true, active: true },
  });
  const short = lines
    .map((l) => {
      const p = rows.find((r) => r.id === l.productId);
      return { productId: l.productId, available: p?.active ? p.stock : 0, requested: l.quantity };
    })
    .filter((l) => l.available < l.requested);
  return conflict('OUT_OF_STOCK', 'some items in your cart are no longer available in the quantity you chose', short);
}

async function replay(deps: CheckoutDeps, existing: { id: string; hash: string }, input: CheckoutRequest): Promise<CheckoutOutcome> {
  const { db } = deps;
  if (!requestFingerprint.matches(existing.hash, input)) {
    throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different checkout; use a new key');
  }
  const view = (await findOrder(db, existing.id)) as Order;
  if (view.status === 'pending_payment') {
    // Still pending after the first attempt must have finished with the provider (its deadline
    // plus a margin): that attempt died between reserving and confirming (a pod killed, a pool
    // timeout, a lost connection). Resume it instead of leaving the stock held and, worse, a
    // captured payment without an order.
    const ageMs = Date.now() - new Date(view.createdAt).getTime();
    if (ageMs < deps.paymentTimeoutMs + RESUME_MARGIN_MS) return { kind: 'in_progress', order: view };
    const settled = await settle(deps, view, input);
    return { ...settled, replayed: true } as CheckoutOutcome;
  }
  if (view.status === 'payment_failed') return { kind: 'failed', order: view, code: view.failureCode ?? 'PAYMENT_FAILED', replayed: true };
  return { kind: 'paid', order: view, replayed: true };
}

/**
 * One statement: decrement every line's stock only where enough is left, and create the order,
 * its items and its first event only if every line was reserved; otherwise dhakacart_out_of_stock()
 * aborts the statement and PostgreSQL undoes the decrements it made. Atomic without a transaction block.
 */
async function reserve(db: Db, userId: string, key: string, hash: string, input: CheckoutRequest, lines: CartLine[]): Promise<Order> {
  const [row] = await db.$queryRaw<
    {
      id: string;
      number: number;
      created_at: Date;
      total_poisha: bigint;
      items: { productId: number; name: string; unitPricePoisha: number; quantity: number }[];
    }[]
  >`
    WITH wanted AS (
      SELECT * FROM unnest(${lines.map((l) => l.productId)}::int[], ${lines.map((l) => l.quantity)}::int[]) AS w(id, quantity)
    ), reserved AS (
      UPDATE products p SET stock = p.stock - w.quantity, updated_at = now()
      FROM wanted w WHERE p.id = w.id AND p.active AND p.stock >= w.quantity
      RETURNING p.id, p.name, p.price_poisha, w.quantity
    ), complete AS (
      SELECT (SELECT count(*) FROM reserved) = (SELECT count(*) FROM wanted) AS ok
    ), o AS (
      INSERT INTO orders (user_id, status, total_poisha, idempotency_key, request_hash, payment_provider,
                          shipping_name, shipping_phone, shipping_address, shipping_city)
      SELECT ${userId}::uuid, 'pending_payment', (SELECT sum(price_poisha * quantity) FROM reserved), ${key}, ${hash},
             ${input.payment.provider}, ${input.shipping.name}, ${input.shipping.phone}, ${input.shipping.address}, ${input.shipping.city}
      FROM complete WHERE complete.ok
      RETURNING id, number, created_at, total_poisha
    ), items AS (
      INSERT INTO order_items (order_id, product_id, name, unit_price_poisha, quantity)
      SELECT o.id, r.id, r.name, r.price_poisha, r.quantity FROM o, reserved r
    ), event AS (
      INSERT INTO order_events (order_id, to_status) SELECT id, 'pending_payment' FROM o
    )
    SELECT CASE WHEN complete.ok THEN o.id ELSE dhakacart_out_of_stock() END AS id, o.number, o.created_at, o.total_poisha,
           (SELECT json_agg(json_build_object('productId', r.id, 'name', r.name, 'unitPricePoisha', r.price_poisha, 'quantity', r.quantity) ORDER BY r.id)
              FROM reserved r) AS items
    FROM complete LEFT JOIN o ON true`;
  const order = row as NonNullable<typeof row>;
  const created = order.created_at.toISOString();
  return {
    id: order.id,
    number: order.number,
    status: 'pending_payment',
    totalPoisha: Number(order.total_poisha),
    paymentProvider: input.payment.provider,
    paymentReference: null,
    failureCode: null,
    shipping: { ...input.shipping },
    items: order.items.map((i) => ({
      ...i,
      unitPricePoisha: Number(i.unitPricePoisha),
      lineTotalPoisha: Number(i.unitPricePoisha) * i.quantity,
    })),
    createdAt: created,
    updatedAt: created,
  };
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
