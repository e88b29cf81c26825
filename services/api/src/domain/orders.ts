import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { AppError, conflict, notFound } from '../errors.js';
import {
  type Order,
  type OrderPage,
  type OrderStatus,
  OWN_ORDERS_PER_PAGE,
  type OwnOrderQuery,
  STAFF_ORDERS_PER_PAGE,
  type StaffOrderQuery,
  type StatusChange,
} from '../schemas/order.js';
import type { PaymentGateway } from './payments.js';

/** Which status a staff member may move an order to from each status. */
const STAFF_TRANSITIONS: Record<OrderStatus, OrderStatus[]> = {
  pending_payment: ['cancelled'],
  paid: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
  payment_failed: [],
};
/** A customer may cancel until the parcel leaves the warehouse. */
const CUSTOMER_CANCELLABLE: OrderStatus[] = ['paid', 'processing'];
/** Orders in these states hold stock; leaving them returns it. */
const HOLDS_STOCK: OrderStatus[] = ['pending_payment', 'paid', 'processing', 'shipped', 'delivered'];

/** JSON with every object's keys sorted: the same request, however a client orders its keys. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The fingerprint an Idempotency-Key is bound to, and whether a retry matches it.
 * Stored: the hash of the canonical body. Also accepted: the hash of the body as
 * sent, which releases before canonical hashing stored, so a retry of a checkout
 * made by the previous release during a rolling deploy still replays.
 */
export const requestFingerprint = {
  of: (body: unknown) => sha256Hex(canonicalJson(body)),
  matches: (stored: string, body: unknown) => stored === sha256Hex(canonicalJson(body)) || stored === sha256Hex(JSON.stringify(body)),
};

const orderInclude = { items: { orderBy: { productId: 'asc' as const } } };

export async function findOrder(db: Db, id: string, userId?: string): Promise<Order | null> {
  const order = await db.order.findFirst({ where: { id, ...(userId ? { userId } : {}) }, include: orderInclude });
  return order ? toView(order) : null;
}

type OrderWithItems = NonNullable<Awaited<ReturnType<Db['order']['findFirst']>>> & {
  items: { productId: number; name: string; unitPricePoisha: bigint; quantity: number }[];
};

function toView(o: OrderWithItems): Order {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    totalPoisha: Number(o.totalPoisha),
    paymentProvider: o.paymentProvider,
    paymentReference: o.paymentReference,
    failureCode: o.failureCode,
    shipping: { name: o.shippingName, phone: o.shippingPhone, address: o.shippingAddress, city: o.shippingCity },
    items: o.items.map((i) => ({
      productId: i.productId,
      name: i.name,
      unitPricePoisha: Number(i.unitPricePoisha),
      quantity: i.quantity,
      lineTotalPoisha: Number(i.unitPricePoisha) * i.quantity,
    })),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export function listOwnOrders(db: Db, userId: string, { limit = OWN_ORDERS_PER_PAGE, cursor }: OwnOrderQuery): Promise<OrderPage> {
  return pageOfOrders(db, { userId }, limit, cursor);
}

export function listAllOrders(db: Db, { status, limit = STAFF_ORDERS_PER_PAGE, cursor }: StaffOrderQuery): Promise<OrderPage> {
  return pageOfOrders(db, status ? { status } : {}, limit, cursor);
}

async function pageOfOrders(db: Db, where: { userId?: string; status?: OrderStatus }, limit: number, before?: string): Promise<OrderPage> {
  const beforeOrder = before ? await db.order.findUnique({ where: { id: before }, select: { number: true } }) : null;
  if (before && !beforeOrder) throw new AppError(400, 'INVALID_CURSOR', 'cursor order not found');
  const rows = await db.order.findMany({
    where: { ...where, ...(beforeOrder ? { number: { lt: beforeOrder.number } } : {}) },
    include: orderInclude,
    orderBy: { number: 'desc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { items: page.map(toView), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

type OrderDeps = { db: Db; payments: PaymentGateway };

/** Staff move an order along its life; a cancellation also returns the stock and the money. */
export async function changeStatus(
  { db, payments }: OrderDeps,
  orderId: string,
  { status, note }: StatusChange,
  actorId: string,
): Promise<Order> {
  const allowedFrom = (Object.keys(STAFF_TRANSITIONS) as OrderStatus[]).filter((from) => STAFF_TRANSITIONS[from].includes(status));
  if (allowedFrom.length === 0) throw conflict('INVALID_STATUS_TRANSITION', `staff cannot set an order to ${status}`);
  const order = await transition(db, orderId, allowedFrom, status, actorId, note ?? null);
  if (status === 'cancelled') await refundIfPaid(payments, order);
  return order;
}

/** Someone else's order is "not found", not "forbidden": ids must not be probeable. */
export async function cancelOwnOrder({ db, payments }: OrderDeps, orderId: string, userId: string): Promise<Order> {
  if (!(await findOrder(db, orderId, userId))) throw notFound('order');
  const cancelled = await transition(db, orderId, CUSTOMER_CANCELLABLE, 'cancelled', userId, 'cancelled by customer');
  await refundIfPaid(payments, cancelled);
  return cancelled;
}

async function refundIfPaid(payments: PaymentGateway, order: Order) {
  if (order.paymentReference) await payments.refund(order.paymentReference, order.totalPoisha);
}

/**
 * Moves an order from one of `from` to `to` exactly once: the conditional
 * UPDATE makes two racing cancellations return the stock once, not twice.
 */
export async function transition(
  db: Db,
  orderId: string,
  from: OrderStatus[],
  to: OrderStatus,
  actorId: string | null,
  note: string | null,
  extra: { failureCode?: string; paymentReference?: string } = {},
): Promise<Order> {
  await db.$transaction(async (tx) => {
    const updated = await tx.$queryRaw<{ from_status: OrderStatus }[]>`
      UPDATE orders o SET status = ${to}::"OrderStatus", updated_at = now(),
        failure_code = COALESCE(${extra.failureCode ?? null}, o.failure_code),
        payment_reference = COALESCE(${extra.paymentReference ?? null}, o.payment_reference)
      FROM (SELECT id, status AS from_status FROM orders WHERE id = ${orderId}::uuid FOR UPDATE) prev
      WHERE o.id = prev.id AND prev.from_status::text = ANY(${from}::text[])
      RETURNING prev.from_status`;
    const previous = updated[0]?.from_status;
    if (!previous) {
      const current = await tx.order.findUnique({ where: { id: orderId }, select: { status: true } });
      if (!current) throw notFound('order');
      throw conflict('INVALID_STATUS_TRANSITION', `an order that is ${current.status} cannot become ${to}`, { status: current.status });
    }
    if (HOLDS_STOCK.includes(previous) && !HOLDS_STOCK.includes(to)) {
      await tx.$executeRaw`
        UPDATE products p SET stock = p.stock + i.quantity, updated_at = now()
        FROM order_items i WHERE i.order_id = ${orderId}::uuid AND p.id = i.product_id`;
    }
    await tx.orderEvent.create({ data: { orderId, fromStatus: previous, toStatus: to, actorId, note } });
  });
  return (await findOrder(db, orderId)) as Order;
}

/** Orders stuck in pending_payment (the pod died mid-payment) give their stock back. */
/**
 * Orders left pending (a checkout abandoned between reserving and confirming, and never retried)
 * return their stock, and whatever the provider may have captured for them goes back.
 */
export async function expireStalePendingOrders(db: Db, payments: PaymentGateway, olderThanMinutes: number): Promise<number> {
  const stale = await db.$queryRaw<{ id: string; payment_provider: string; total_poisha: bigint }[]>`
    SELECT id, payment_provider, total_poisha FROM orders
    WHERE status = 'pending_payment' AND created_at < now() - make_interval(mins => ${olderThanMinutes})
    ORDER BY created_at LIMIT 100`;
  let expired = 0;
  for (const { id, payment_provider, total_poisha } of stale) {
    try {
      await transition(db, id, ['pending_payment'], 'payment_failed', null, 'payment not confirmed in time', {
        failureCode: 'PAYMENT_EXPIRED',
      });
      await payments.release({ orderId: id, provider: payment_provider, amountPoisha: Number(total_poisha) });
      expired++;
    } catch (error) {
      if (!(error instanceof AppError)) throw error; // another pod got there first
    }
  }
  return expired;
}
