import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { adjustStock, stockHistory } from '../../domain/stock.js';
import { Uuid } from '../../http/schemas.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { adminDocs, IdParam, staffOnly } from './shared.js';

const StockAdjustment = Type.Object({
  id: Type.Integer(),
  delta: Type.Integer(),
  resultingStock: Type.Integer(),
  reason: Type.String(),
  actorId: Uuid,
  createdAt: Type.String({ format: 'date-time' }),
});

export default async function stockRoutes(app: FastifyInstance) {
  app.post(
    '/products/:id/stock-adjustments',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Change stock by a delta or to an absolute count; recorded in the audit trail',
        params: IdParam,
        body: Type.Object(
          {
            delta: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
            setTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            reason: Type.String({ minLength: 3, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: StockAdjustment },
      },
    },
    async (request, reply) => {
      const { id: productId } = request.params as { id: number };
      const change = request.body as { delta?: number; setTo?: number; reason: string };
      const adjustment = await adjustStock(app.db, productId, change, requirePrincipal(request).sub);
      await app.catalogCache.invalidate();
      request.log.info(
        { event: 'stock_adjusted', productId, delta: adjustment.delta, resultingStock: adjustment.resultingStock },
        'stock adjusted',
      );
      return reply.status(201).send(adjustment);
    },
  );

  app.get(
    '/products/:id/stock-adjustments',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Stock audit trail of a product, newest first',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(StockAdjustment) }) },
      },
    },
    async (request) => stockHistory(app.db, (request.params as { id: number }).id),
  );
}
