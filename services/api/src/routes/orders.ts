import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelOwnOrder, findOrder, listOwnOrders } from '../domain/orders.js';
import { notFound } from '../errors.js';
import { requirePrincipal } from '../plugins/app/auth.js';
import { Order, OrderId, OrderPage, OwnOrderQuery } from '../schemas/order.js';

const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
        querystring: OwnOrderQuery,
        response: { 200: OrderPage },
      },
    },
    async (request) => listOwnOrders(app.db, requirePrincipal(request).sub, request.query),
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
        params: OrderId,
        response: { 200: Order },
      },
    },
    async (request) => {
      // Someone else's order is "not found", not "forbidden": ids must not be probeable.
      const order = await findOrder(app.db, request.params.id, requirePrincipal(request).sub);
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
        params: OrderId,
        response: { 200: Order },
      },
    },
    async (request) => {
      const cancelled = await cancelOwnOrder({ db: app.db, payments: app.payments }, request.params.id, requirePrincipal(request).sub);
      app.businessMetrics.orders.inc({ status: 'cancelled' });
      return cancelled;
    },
  );
};

export default orderRoutes;
