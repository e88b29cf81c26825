import { type Static, Type } from 'typebox';
import { Nullable, Poisha, RowId, Uuid } from './primitives.js';

export const MAX_QUANTITY_PER_ITEM = 20;

export const Cart = Type.Object({
  id: Nullable(Uuid),
  items: Type.Array(
    Type.Object({
      productId: Type.Integer(),
      slug: Type.String(),
      name: Type.String(),
      image: Nullable(Type.String()),
      unitPricePoisha: Poisha,
      quantity: Type.Integer({ minimum: 1 }),
      lineTotalPoisha: Poisha,
      stock: Type.Integer({ minimum: 0 }),
      available: Type.Boolean(),
    }),
  ),
  itemCount: Type.Integer({ minimum: 0 }),
  totalPoisha: Poisha,
});
export type Cart = Static<typeof Cart>;

/** Guests name their cart in this header; signed-in users have one cart per account. */
export const GuestCartHeader = Type.Object({ 'x-cart-id': Type.Optional(Uuid) });
export const CartItemParams = Type.Object({ productId: RowId });
export const CartQuantity = Type.Object(
  { quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY_PER_ITEM }) },
  { additionalProperties: false },
);
export const CartMerge = Type.Object({ guestCartId: Uuid }, { additionalProperties: false });
