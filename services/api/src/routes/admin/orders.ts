import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { changeStatus, listAllOrders } from '../../domain/orders.js';
import type { OrderStatus } from '../../generated/prisma/enums.js';
import { Uuid } from '../../http/schemas.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { OrderPage, OrderSchema, OrderStatusSchema } from '../order-schema.js';
import { adminDocs, staffOnly, UuidParam } from './shared.js';

export default async function orderRoutes(app: FastifyInstance) {
  app.get(
    '/orders',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'All orders, newest first, optionally by status',
        querystring: Type.Object(
          {
            status: Type.Optional(OrderStatusSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            cursor: Type.Optional(Uuid),
          },
          { additionalProperties: false },
        ),
        response: { 200: OrderPage },
      },
    },
    async (request) => listAllOrders(app.db, request.query as { status?: OrderStatus; limit: number; cursor?: string }),
  );

  app.patch(
    '/orders/:id/status',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Move an order along paid → processing → shipped → delivered, or cancel it (returns stock)',
        params: UuidParam,
        body: Type.Object(
          { status: OrderStatusSchema, note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: OrderSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const change = request.body as { status: OrderStatus; note?: string };
      const order = await changeStatus({ db: app.db, payments: app.payments }, id, change, requirePrincipal(request).sub);
      if (change.status === 'cancelled') app.businessMetrics.orders.inc({ status: 'cancelled' });
      return order;
    },
  );
}
