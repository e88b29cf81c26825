import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { changeStatus, listAllOrders } from '../../domain/orders.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { Order, OrderId, OrderPage, StaffOrderQuery, StatusChange } from '../../schemas/order.js';
import { adminDocs, staffOnly } from './shared.js';

const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/orders',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'All orders, newest first, optionally by status',
        querystring: StaffOrderQuery,
        response: { 200: OrderPage },
      },
    },
    async (request) => listAllOrders(app.db, request.query),
  );

  app.patch(
    '/orders/:id/status',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Move an order along paid → processing → shipped → delivered, or cancel it (returns stock)',
        params: OrderId,
        body: StatusChange,
        response: { 200: Order },
      },
    },
    async (request) => {
      const order = await changeStatus(
        { db: app.db, payments: app.payments },
        request.params.id,
        request.body,
        requirePrincipal(request).sub,
      );
      if (request.body.status === 'cancelled') app.businessMetrics.orders.inc({ status: 'cancelled' });
      return order;
    },
  );
};

export default orderRoutes;
