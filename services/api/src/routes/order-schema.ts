import { Type } from 'typebox';
import { Nullable, Poisha, Uuid } from '../http/schemas.js';

export const OrderStatusSchema = Type.Union(
  ['pending_payment', 'paid', 'processing', 'shipped', 'delivered', 'cancelled', 'payment_failed'].map((s) => Type.Literal(s)),
);

export const OrderSchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  status: OrderStatusSchema,
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
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const OrderPage = Type.Object({ items: Type.Array(OrderSchema), nextCursor: Nullable(Uuid) });
