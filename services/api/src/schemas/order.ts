import { type Static, Type } from 'typebox';
import { Instant, Nullable, PageLimit, Poisha, Uuid } from './primitives.js';

export const OrderStatus = Type.Union([
  Type.Literal('pending_payment'),
  Type.Literal('paid'),
  Type.Literal('processing'),
  Type.Literal('shipped'),
  Type.Literal('delivered'),
  Type.Literal('cancelled'),
  Type.Literal('payment_failed'),
]);
export type OrderStatus = Static<typeof OrderStatus>;

export const Order = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  status: OrderStatus,
  totalPoisha: Poisha,
  paymentProvider: Type.String(),
  paymentReference: Nullable(Type.String()),
  failureCode: Nullable(Type.String()),
  shipping: Type.Object({ name: Type.String(), phone: Type.String(), address: Type.String(), city: Type.String() }),
  items: Type.Array(
    Type.Object({
      productId: Type.Integer(),
      name: Type.String(),
      unitPricePoisha: Poisha,
      quantity: Type.Integer(),
      lineTotalPoisha: Poisha,
    }),
  ),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Order = Static<typeof Order>;

/** Newest first; `nextCursor` is the last order's id, the next page starts below it. */
export const OrderPage = Type.Object({ items: Type.Array(Order), nextCursor: Nullable(Uuid) });
export type OrderPage = Static<typeof OrderPage>;

export const OrderId = Type.Object({ id: Uuid });

export const OWN_ORDERS_PER_PAGE = 20;
export const OwnOrderQuery = Type.Object(
  { limit: PageLimit(50, OWN_ORDERS_PER_PAGE), cursor: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type OwnOrderQuery = Static<typeof OwnOrderQuery>;

export const STAFF_ORDERS_PER_PAGE = 50;
export const StaffOrderQuery = Type.Object(
  { status: Type.Optional(OrderStatus), limit: PageLimit(100, STAFF_ORDERS_PER_PAGE), cursor: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type StaffOrderQuery = Static<typeof StaffOrderQuery>;

export const StatusChange = Type.Object(
  { status: OrderStatus, note: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type StatusChange = Static<typeof StatusChange>;
