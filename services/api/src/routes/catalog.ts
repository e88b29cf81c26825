import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getProduct, listBrands, listCategories, listProducts } from '../domain/catalog.js';
import { notFound } from '../errors.js';
import { sendCachedJson } from '../http/compression.js';
import { BrandList, BrandQuery, CategoryList } from '../schemas/category.js';
import { ProductDetail, ProductPage, ProductQuery, ProductSlug } from '../schemas/product.js';

const catalogRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = app.catalogCache;
  const publicRead = { access: 'public' as const };
  const freshness = { maxAgeSeconds: app.config.CATALOG_CDN_MAX_AGE_SECONDS, staleSeconds: app.config.CATALOG_CDN_STALE_SECONDS };

  app.get(
    '/products',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'List and search products (keyset pagination)',
        operationId: 'listProducts',
        querystring: ProductQuery,
        response: { 200: ProductPage },
      },
      // OpenAPI links: how a client (and the fuzzer's stateful phase) goes from one answer to the next call.
      links: {
        200: {
          nextPage: {
            operationId: 'listProducts',
            description:
              'The next page: the same query with cursor=nextCursor (a cursor only works with the sort and filters it came from)',
            parameters: { cursor: '$response.body#/nextCursor' },
          },
          firstProduct: { operationId: 'getProduct', parameters: { slug: '$response.body#/items/0/slug' } },
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const key = `list:${JSON.stringify(query, Object.keys(query).sort())}`;
      return sendCachedJson(request, reply, await cache.get(key, () => app.reads.read((db) => listProducts(db, query))), freshness);
    },
  );

  app.get(
    '/products/:slug',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'Product detail',
        operationId: 'getProduct',
        params: ProductSlug,
        response: { 200: ProductDetail },
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const body = await cache.get(`product:${slug}`, () => app.reads.read((db) => getProduct(db, slug)));
      if (body.raw.length === 4 && body.raw.toString() === 'null') throw notFound('product');
      return sendCachedJson(request, reply, body, freshness);
    },
  );

  app.get(
    '/categories',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'Category tree (flat, with parent slugs) and product counts',
        response: { 200: CategoryList },
      },
    },
    async (request, reply) =>
      sendCachedJson(
        request,
        reply,
        await cache.get('categories', async () => ({ items: await app.reads.read(listCategories) })),
        freshness,
      ),
  );

  app.get(
    '/brands',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'Brands with product counts, optionally within a category',
        querystring: BrandQuery,
        response: { 200: BrandList },
      },
    },
    async (request, reply) => {
      const { category } = request.query;
      return sendCachedJson(
        request,
        reply,
        await cache.get(`brands:${category ?? ''}`, async () => ({ items: await app.reads.read((db) => listBrands(db, category)) })),
        freshness,
      );
    },
  );
};

export default catalogRoutes;
