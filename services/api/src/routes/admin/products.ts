import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { createProduct, listAllProducts, type ProductInput, retireProduct, updateProduct } from '../../domain/products.js';
import { Nullable, Poisha, Slug } from '../../http/schemas.js';
import { requirePrincipal } from '../../plugins/app/auth.js';
import { adminDocs, adminOnly, IdParam, staffOnly } from './shared.js';

const AdminProduct = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  brand: Type.String(),
  category: Type.String(),
  description: Type.String(),
  specs: Type.Record(Type.String(), Type.String()),
  pricePoisha: Poisha,
  compareAtPoisha: Nullable(Poisha),
  stock: Type.Integer(),
  images: Type.Array(Type.String()),
  featured: Type.Boolean(),
  active: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const ProductFields = {
  sku: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' }),
  slug: Slug,
  name: Type.String({ minLength: 2, maxLength: 200 }),
  brand: Type.String({ minLength: 1, maxLength: 60 }),
  category: Slug,
  description: Type.String({ maxLength: 4000 }),
  specs: Type.Record(Type.String({ minLength: 1, maxLength: 60 }), Type.String({ maxLength: 300 }), { maxProperties: 50 }),
  pricePoisha: Type.Integer({ minimum: 1, maximum: 1e11 }),
  compareAtPoisha: Nullable(Type.Integer({ minimum: 1, maximum: 1e11 })),
  images: Type.Array(Type.String({ pattern: '^/[A-Za-z0-9/._-]+$', maxLength: 300 }), { maxItems: 10 }),
  featured: Type.Boolean(),
  active: Type.Boolean(),
};

const CreateProduct = Type.Object(
  {
    sku: ProductFields.sku,
    slug: ProductFields.slug,
    name: ProductFields.name,
    brand: ProductFields.brand,
    category: ProductFields.category,
    pricePoisha: ProductFields.pricePoisha,
    description: Type.Optional(ProductFields.description),
    specs: Type.Optional(ProductFields.specs),
    compareAtPoisha: Type.Optional(ProductFields.compareAtPoisha),
    images: Type.Optional(ProductFields.images),
    featured: Type.Optional(ProductFields.featured),
    active: Type.Optional(ProductFields.active),
    initialStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

const UpdateProduct = Type.Partial(Type.Object(ProductFields), { additionalProperties: false, minProperties: 1 });

/** Every product write empties the catalog cache, so shoppers see it at once. */
export default async function productRoutes(app: FastifyInstance) {
  app.get(
    '/products',
    {
      config: staffOnly,
      schema: {
        ...adminDocs,
        summary: 'All products, including inactive ones, by id',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            afterId: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AdminProduct), nextAfterId: Nullable(Type.Integer()) }) },
      },
    },
    async (request) => listAllProducts(app.db, request.query as { q?: string; limit: number; afterId?: number }),
  );

  app.post(
    '/products',
    { config: staffOnly, schema: { ...adminDocs, summary: 'Create a product', body: CreateProduct, response: { 201: AdminProduct } } },
    async (request, reply) => {
      const input = request.body as ProductInput & { initialStock?: number };
      const product = await createProduct(app.db, input, requirePrincipal(request).sub);
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
        params: IdParam,
        body: UpdateProduct,
        response: { 200: AdminProduct },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const product = await updateProduct(app.db, id, request.body as Partial<ProductInput>);
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
        params: IdParam,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await retireProduct(app.db, (request.params as { id: number }).id);
      await app.catalogCache.invalidate();
      return reply.status(204).send();
    },
  );
}
