import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type CartOwner, getCart, mergeGuestCart, removeItem, setItem } from '../domain/cart.js';
import { type AccessClaims, requirePrincipal } from '../plugins/app/auth.js';
import { Cart, CartItemParams, CartMerge, CartQuantity, GuestCartHeader } from '../schemas/cart.js';

type CartRequest = { principal: AccessClaims | null; headers: { 'x-cart-id'?: string } };

const owner = ({ principal, headers }: CartRequest): CartOwner =>
  principal ? { userId: principal.sub } : { guestCartId: headers['x-cart-id'] };

/** Guests identify their cart with the X-Cart-Id header; signed-in users have one cart per account. */
const cartRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const common = { tags: ['cart'], headers: GuestCartHeader, response: { 200: Cart } };

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
        params: CartItemParams,
        body: CartQuantity,
      },
      links: {
        200: {
          cart: { operationId: 'getCart', parameters: { 'x-cart-id': '$response.body#/id' } },
          checkout: { operationId: 'checkout' },
        },
      },
    },
    async (request) => setItem(app.db, owner(request), request.params.productId, request.body.quantity),
  );

  app.delete(
    '/items/:productId',
    { config: { access: 'optional' }, schema: { ...common, summary: 'Remove a product from the cart', params: CartItemParams } },
    async (request) => removeItem(app.db, owner(request), request.params.productId),
  );

  app.post(
    '/merge',
    {
      config: { access: 'customer' },
      schema: {
        tags: ['cart'],
        summary: "Merge a guest cart into the signed-in user's cart",
        security: [{ bearer: [] }],
        body: CartMerge,
        response: { 200: Cart },
      },
    },
    async (request) => mergeGuestCart(app.db, requirePrincipal(request).sub, request.body.guestCartId),
  );
};

export default cartRoutes;
