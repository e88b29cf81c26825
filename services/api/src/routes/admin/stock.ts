import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { adjustStock, stockHistory } from '../../domain/stock.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { ProductId } from '../../schemas/product.js';
import { StockAdjustment, StockChange, StockHistory } from '../../schemas/stock.js';
import { adminDocs, staffOnly } from './shared.js';

const stockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/products/:id/stock-adjustments',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Change stock by a delta or to an absolute count; recorded in the audit trail',
        params: ProductId,
        body: StockChange,
        response: { 201: StockAdjustment },
      },
    },
    async (request, reply) => {
      const productId = request.params.id;
      const adjustment = await adjustStock(app.db, productId, request.body, requirePrincipal(request).sub);
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
      schema: { ...adminDocs, summary: 'Stock audit trail of a product, newest first', params: ProductId, response: { 200: StockHistory } },
    },
    async (request) => stockHistory(app.db, request.params.id),
  );
};

export default stockRoutes;
