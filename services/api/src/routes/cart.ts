import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type CartOwner, getCart, MAX_QUANTITY_PER_ITEM, mergeGuestCart, removeItem, setItem } from '../domain/cart.js';
import { Nullable, Poisha, Uuid } from '../http/schemas.js';
import { requirePrincipal } from '../plugins/app/auth.js';

export const CartSchema = Type.Object({
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

const GuestHeader = Type.Object({ 'x-cart-id': Type.Optional(Uuid) });
const ProductParam = Type.Object({ productId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

function owner(request: FastifyRequest): CartOwner {
  if (request.principal) return { userId: request.principal.sub };
  return { guestCartId: (request.headers as { 'x-cart-id'?: string })['x-cart-id'] };
}

/** Guests identify their cart with the X-Cart-Id header; signed-in users have one cart per account. */
export default async function cartRoutes(app: FastifyInstance) {
  const common = { tags: ['cart'], headers: GuestHeader, response: { 200: CartSchema } };

  app.get(
    '/',
    { config: { access: 'optional' }, schema: { ...common, summary: 'The current cart', operationId: 'getCart' } },
    async (request) => getCart(app.db, owner(request)),
  );

  app.put(
    '/items/:productId',
    {
      config: { access: 'optional' },
      schema: {
        ...common,
        summary: 'Set the quantity of a product in the cart (creates a guest cart when needed)',
        operationId: 'setCartItem',
        params: ProductParam,
        body: Type.Object({ quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY_PER_ITEM }) }, { additionalProperties: false }),
      },
      links: {
        200: {
          cart: { operationId: 'getCart', parameters: { 'x-cart-id': '$response.body#/id' } },
          checkout: { operationId: 'checkout' },
        },
      },
    },
    async (request) => {
      const { productId } = request.params as { productId: number };
      const { quantity } = request.body as { quantity: number };
      return setItem(app.db, owner(request), productId, quantity);
    },
  );

  app.delete(
    '/items/:productId',
    { config: { access: 'optional' }, schema: { ...common, summary: 'Remove a product from the cart', params: ProductParam } },
    async (request) => removeItem(app.db, owner(request), (request.params as { productId: number }).productId),
  );

  app.post(
    '/merge',
    {
      config: { access: 'customer' },
      schema: {
        tags: ['cart'],
        summary: "Merge a guest cart into the signed-in user's cart",
        security: [{ bearer: [] }],
        body: Type.Object({ guestCartId: Uuid }, { additionalProperties: false }),
        response: { 200: CartSchema },
      },
    },
    async (request) => mergeGuestCart(app.db, requirePrincipal(request).sub, (request.body as { guestCartId: string }).guestCartId),
  );
}
