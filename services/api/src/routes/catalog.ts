import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getProduct, type ListQuery, listBrands, listCategories, listProducts } from '../domain/catalog.js';
import { notFound } from '../errors.js';
import { sendCachedJson } from '../http/compression.js';
import { Nullable, Poisha, Slug } from '../http/schemas.js';

const ProductSummary = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  brand: Type.String(),
  category: Type.String(),
  pricePoisha: Poisha,
  compareAtPoisha: Nullable(Poisha),
  stock: Type.Integer({ minimum: 0 }),
  inStock: Type.Boolean(),
  featured: Type.Boolean(),
  image: Nullable(Type.String()),
});

const ProductDetail = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  brand: Type.String(),
  description: Type.String(),
  specs: Type.Record(Type.String(), Type.String()),
  pricePoisha: Poisha,
  compareAtPoisha: Nullable(Poisha),
  stock: Type.Integer({ minimum: 0 }),
  inStock: Type.Boolean(),
  featured: Type.Boolean(),
  images: Type.Array(Type.String()),
  category: Type.Object({ slug: Type.String(), name: Type.String() }),
});

const ListQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    category: Type.Optional(Slug),
    brand: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 })),
    minPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
    maxPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
    inStock: Type.Optional(Type.Boolean()),
    featured: Type.Optional(Type.Boolean()),
    discounted: Type.Optional(Type.Boolean()),
    sort: Type.Optional(Type.Union(['relevance', 'price_asc', 'price_desc', 'newest', 'name_asc'].map((s) => Type.Literal(s)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 24 })),
    cursor: Type.Optional(Type.String({ maxLength: 1200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

export default async function catalogRoutes(app: FastifyInstance) {
  const cache = app.catalogCache;
  const publicRead = { access: 'public' as const };

  app.get(
    '/products',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'List and search products (keyset pagination)',
        operationId: 'listProducts',
        querystring: ListQuerySchema,
        response: { 200: Type.Object({ items: Type.Array(ProductSummary), nextCursor: Nullable(Type.String()) }) },
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
      const query = request.query as ListQuery;
      const key = `list:${JSON.stringify(query, Object.keys(query).sort())}`;
      return sendCachedJson(request, reply, await cache.get(key, () => app.reads.read((db) => listProducts(db, query))));
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
        params: Type.Object({ slug: Slug }),
        response: { 200: ProductDetail },
      },
    },
    async (request, reply) => {
      const { slug } = request.params as { slug: string };
      const body = await cache.get(`product:${slug}`, () => app.reads.read((db) => getProduct(db, slug)));
      if (body.raw.length === 4 && body.raw.toString() === 'null') throw notFound('product');
      return sendCachedJson(request, reply, body);
    },
  );

  app.get(
    '/categories',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'Category tree (flat, with parent slugs) and product counts',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ slug: Type.String(), name: Type.String(), parentSlug: Nullable(Type.String()), productCount: Type.Integer() }),
            ),
          }),
        },
      },
    },
    async (request, reply) =>
      sendCachedJson(request, reply, await cache.get('categories', async () => ({ items: await app.reads.read(listCategories) }))),
  );

  app.get(
    '/brands',
    {
      config: publicRead,
      schema: {
        tags: ['catalog'],
        summary: 'Brands with product counts, optionally within a category',
        querystring: Type.Object({ category: Type.Optional(Slug) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ brand: Type.String(), productCount: Type.Integer() })) }) },
      },
    },
    async (request, reply) => {
      const { category } = request.query as { category?: string };
      return sendCachedJson(
        request,
        reply,
        await cache.get(`brands:${category ?? ''}`, async () => ({ items: await app.reads.read((db) => listBrands(db, category)) })),
      );
    },
  );
}
