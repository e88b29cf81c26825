import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { cancelOwnOrder, findOrder, listOwnOrders } from '../domain/orders.js';
import { notFound } from '../errors.js';
import { Uuid } from '../http/schemas.js';
import { requirePrincipal } from '../plugins/app/auth.js';
import { OrderPage, OrderSchema } from './order-schema.js';

export default async function orderRoutes(app: FastifyInstance) {
  const customer = { access: 'customer' as const };
  const security = [{ bearer: [] }];

  app.get(
    '/',
    {
      config: customer,
      schema: {
        tags: ['orders'],
        summary: 'Your orders, newest first',
        security,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })), cursor: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: { 200: OrderPage },
      },
    },
    async (request) => {
      return listOwnOrders(app.db, requirePrincipal(request).sub, request.query as { limit: number; cursor?: string });
    },
  );

  app.get(
    '/:id',
    {
      config: customer,
      schema: {
        tags: ['orders'],
        summary: 'One of your orders',
        operationId: 'getOrder',
        security,
        params: Type.Object({ id: Uuid }),
        response: { 200: OrderSchema },
      },
    },
    async (request) => {
      // Someone else's order is "not found", not "forbidden": ids must not be probeable.
      const order = await findOrder(app.db, (request.params as { id: string }).id, requirePrincipal(request).sub);
      if (!order) throw notFound('order');
      return order;
    },
  );

  app.post(
    '/:id/cancel',
    {
      config: customer,
      schema: {
        tags: ['orders'],
        summary: 'Cancel one of your orders before it ships; its stock is returned and the payment refunded',
        operationId: 'cancelOrder',
        security,
        params: Type.Object({ id: Uuid }),
        response: { 200: OrderSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const cancelled = await cancelOwnOrder({ db: app.db, payments: app.payments }, id, requirePrincipal(request).sub);
      app.businessMetrics.orders.inc({ status: 'cancelled' });
      return cancelled;
    },
  );
}
