import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createProduct, listAllProducts, retireProduct, updateProduct } from '../../domain/products.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { NewProduct, Product, ProductChanges, ProductId, StaffProductPage, StaffProductQuery } from '../../schemas/product.js';
import { noContent } from '../replies.js';
import { adminDocs, adminOnly, staffOnly } from './shared.js';

/** Every product write empties the catalog cache, so shoppers see it at once. */
const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/products',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'All products, including inactive ones, by id',
        querystring: StaffProductQuery,
        response: { 200: StaffProductPage },
      },
    },
    async (request) => listAllProducts(app.db, request.query),
  );

  app.post(
    '/products',
    { config: staffOnly, schema: { ...adminDocs, summary: 'Create a product', body: NewProduct, response: { 201: Product } } },
    async (request, reply) => {
      const product = await createProduct(app.db, request.body, requirePrincipal(request).sub);
      await app.catalogCache.invalidate();
      return reply.status(201).send(product);
    },
  );

  app.patch(
    '/products/:id',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'Change product fields (stock changes go through stock adjustments)',
        params: ProductId,
        body: ProductChanges,
        response: { 200: Product },
      },
    },
    async (request) => {
      const product = await updateProduct(app.db, request.params.id, request.body);
      await app.catalogCache.invalidate();
      return product;
    },
  );

  app.delete(
    '/products/:id',
    {
      config: adminOnly,
      schema: {
        ...adminDocs,
        summary: 'Retire a product (kept for order history, hidden from the shop)',
        params: ProductId,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await retireProduct(app.db, request.params.id);
      await app.catalogCache.invalidate();
      return noContent(reply);
    },
  );
};

export default productRoutes;
