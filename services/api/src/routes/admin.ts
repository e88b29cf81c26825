import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { productFields } from '../domain/catalog.js';
import { listOrders, STAFF_TRANSITIONS, transition } from '../domain/orders.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Product } from '../generated/prisma/client.js';
import type { OrderStatus, Role } from '../generated/prisma/enums.js';
import { Nullable, Poisha, Slug, Uuid } from '../http/schemas.js';
import { requirePrincipal } from '../plugins/app/auth.js';
import { OrderPage, OrderSchema, OrderStatusSchema } from './order-schema.js';

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
const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const UuidParam = Type.Object({ id: Uuid });
const RoleSchema = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
const AdminUser = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
});
const StockAdjustment = Type.Object({
  id: Type.Integer(),
  delta: Type.Integer(),
  resultingStock: Type.Integer(),
  reason: Type.String(),
  actorId: Uuid,
  createdAt: Type.String({ format: 'date-time' }),
});

type ProductRow = Product & { category: { slug: string } };
function toAdminProduct(p: ProductRow) {
  return { ...productFields(p), category: p.category.slug, active: p.active, updatedAt: p.updatedAt.toISOString() };
}

/** Staff run the shop floor (products, stock, orders); only admins change who is staff. */
export default async function adminRoutes(app: FastifyInstance) {
  const staff = { access: 'staff' as const };
  const admin = { access: 'admin' as const };
  const security = [{ bearer: [] }];
  const tags = ['admin'];

  async function categoryId(slug: string) {
    const category = await app.db.category.findUnique({ where: { slug }, select: { id: true } });
    if (!category) throw badRequest('UNKNOWN_CATEGORY', `no category "${slug}"`);
    return category.id;
  }

  function assertPrices(price: number | bigint | undefined, compareAt: number | bigint | null | undefined) {
    if (price !== undefined && compareAt !== undefined && compareAt !== null && Number(compareAt) <= Number(price)) {
      throw badRequest('INVALID_COMPARE_AT_PRICE', 'compareAtPoisha must be higher than pricePoisha');
    }
  }

  function uniqueConflict(error: unknown): never {
    if (sqlState(error) === UNIQUE_VIOLATION || (error as { code?: string }).code === 'P2002') {
      throw conflict('DUPLICATE_PRODUCT', 'a product with this sku or slug already exists');
    }
    throw error;
  }

  app.get(
    '/products',
    {
      config: staff,
      schema: {
        tags,
        security,
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
    async (request) => {
      const { q, limit, afterId } = request.query as { q?: string; limit: number; afterId?: number };
      const rows = await app.db.product.findMany({
        where: {
          ...(afterId ? { id: { gt: afterId } } : {}),
          ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { sku: { contains: q.toUpperCase() } }] } : {}),
        },
        include: { category: { select: { slug: true } } },
        orderBy: { id: 'asc' },
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return { items: page.map(toAdminProduct), nextAfterId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
  );

  app.post(
    '/products',
    { config: staff, schema: { tags, security, summary: 'Create a product', body: CreateProduct, response: { 201: AdminProduct } } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown> & {
        category: string;
        pricePoisha: number;
        compareAtPoisha?: number | null;
        initialStock?: number;
      };
      assertPrices(body.pricePoisha, body.compareAtPoisha);
      const actorId = requirePrincipal(request).sub;
      const { category, initialStock = 0, ...fields } = body;
      const product = await app.db
        .$transaction(async (tx) => {
          const created = await tx.product.create({
            data: { ...fields, stock: initialStock, categoryId: await categoryId(category) } as never,
            include: { category: { select: { slug: true } } },
          });
          if (initialStock > 0) {
            await tx.stockAdjustment.create({
              data: { productId: created.id, delta: initialStock, resultingStock: initialStock, reason: 'initial stock', actorId },
            });
          }
          return created;
        })
        .catch(uniqueConflict);
      await app.catalogCache.invalidate();
      return reply.status(201).send(toAdminProduct(product));
    },
  );

  app.patch(
    '/products/:id',
    {
      config: staff,
      schema: {
        tags,
        security,
        summary: 'Change product fields (stock changes go through stock adjustments)',
        params: IdParam,
        body: UpdateProduct,
        response: { 200: AdminProduct },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { category, ...fields } = request.body as Record<string, unknown> & { category?: string };
      const current = await app.db.product.findUnique({ where: { id } });
      if (!current) throw notFound('product');
      assertPrices(
        (fields.pricePoisha as number | undefined) ?? current.pricePoisha,
        fields.compareAtPoisha === undefined ? current.compareAtPoisha : (fields.compareAtPoisha as number | null),
      );
      const product = await app.db.product
        .update({
          where: { id },
          data: { ...fields, ...(category ? { categoryId: await categoryId(category) } : {}) } as never,
          include: { category: { select: { slug: true } } },
        })
        .catch(uniqueConflict);
      await app.catalogCache.invalidate();
      return toAdminProduct(product);
    },
  );

  app.delete(
    '/products/:id',
    {
      config: admin,
      schema: {
        tags,
        security,
        summary: 'Retire a product (kept for order history, hidden from the shop)',
        params: IdParam,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number };
      const { count } = await app.db.product.updateMany({ where: { id }, data: { active: false } });
      if (count === 0) throw notFound('product');
      await app.catalogCache.invalidate();
      return reply.status(204).send();
    },
  );

  app.post(
    '/products/:id/stock-adjustments',
    {
      config: staff,
      schema: {
        tags,
        security,
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
      const { id } = request.params as { id: number };
      const { delta, setTo, reason } = request.body as { delta?: number; setTo?: number; reason: string };
      if ((delta === undefined) === (setTo === undefined)) throw badRequest('DELTA_OR_SET_TO', 'give exactly one of delta or setTo');
      if (delta === 0) throw badRequest('DELTA_OR_SET_TO', 'delta must not be zero');
      const actorId = requirePrincipal(request).sub;
      const adjustment = await app.db.$transaction(async (tx) => {
        // The row lock orders this against concurrent checkouts; the CHECK (stock >= 0) is the backstop.
        const [row] = await tx.$queryRaw<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${id} FOR UPDATE`;
        if (!row) throw notFound('product');
        const change = setTo !== undefined ? setTo - row.stock : (delta as number);
        const resultingStock = row.stock + change;
        if (resultingStock < 0) throw conflict('NEGATIVE_STOCK', `stock is ${row.stock}; it cannot go below zero`, { stock: row.stock });
        await tx.product.update({ where: { id }, data: { stock: resultingStock } });
        return tx.stockAdjustment.create({ data: { productId: id, delta: change, resultingStock, reason, actorId } });
      });
      await app.catalogCache.invalidate();
      request.log.info(
        { event: 'stock_adjusted', productId: id, delta: adjustment.delta, resultingStock: adjustment.resultingStock },
        'stock adjusted',
      );
      return reply.status(201).send({ ...adjustment, createdAt: adjustment.createdAt.toISOString() });
    },
  );

  app.get(
    '/products/:id/stock-adjustments',
    {
      config: staff,
      schema: {
        tags,
        security,
        summary: 'Stock audit trail of a product, newest first',
        params: IdParam,
        response: { 200: Type.Object({ items: Type.Array(StockAdjustment) }) },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const rows = await app.db.stockAdjustment.findMany({ where: { productId: id }, orderBy: { id: 'desc' }, take: 200 });
      return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  );

  app.get(
    '/orders',
    {
      config: staff,
      schema: {
        tags,
        security,
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
    async (request) => {
      const { status, limit, cursor } = request.query as { status?: OrderStatus; limit: number; cursor?: string };
      return listOrders(app.db, status ? { status } : {}, limit, cursor);
    },
  );

  app.patch(
    '/orders/:id/status',
    {
      config: staff,
      schema: {
        tags,
        security,
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
      const { status, note } = request.body as { status: OrderStatus; note?: string };
      const allowedFrom = (Object.keys(STAFF_TRANSITIONS) as OrderStatus[]).filter((from) => STAFF_TRANSITIONS[from].includes(status));
      if (allowedFrom.length === 0) throw conflict('INVALID_STATUS_TRANSITION', `staff cannot set an order to ${status}`);
      const order = await transition(app.db, id, allowedFrom, status, requirePrincipal(request).sub, note ?? null);
      if (status === 'cancelled') {
        if (order.paymentReference) await app.payments.refund(order.paymentReference, order.totalPoisha);
        app.businessMetrics.orders.inc({ status: 'cancelled' });
      }
      return order;
    },
  );

  app.get(
    '/users',
    {
      config: admin,
      schema: {
        tags,
        security,
        summary: 'Users, oldest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            role: Type.Optional(RoleSchema),
            email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AdminUser) }) },
      },
    },
    async (request) => {
      const { limit, role, email } = request.query as { limit: number; role?: Role; email?: string };
      const users = await app.db.user.findMany({
        where: { ...(role ? { role } : {}), ...(email ? { email: { contains: email.toLowerCase() } } : {}) },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
      return { items: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString() })) };
    },
  );

  app.patch(
    '/users/:id/role',
    {
      config: admin,
      schema: {
        tags,
        security,
        summary: "Change a user's role (signs the user out everywhere)",
        params: UuidParam,
        body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
        response: { 200: AdminUser },
      },
    },
    async (request) => {
      const actorId = requirePrincipal(request).sub;
      const { id } = request.params as { id: string };
      const { role } = request.body as { role: Role };
      if (id === actorId) throw conflict('CANNOT_CHANGE_OWN_ROLE', 'ask another admin to change your role');
      const user = await app.db.$transaction(async (tx) => {
        const current = await tx.user.findUnique({ where: { id } });
        if (!current) throw notFound('user');
        if (current.role === role) return current;
        await tx.roleChange.create({ data: { userId: id, fromRole: current.role, toRole: role, actorId } });
        return tx.user.update({ where: { id }, data: { role } });
      });
      await app.refreshTokens.revokeAllForUser(id);
      request.log.info({ event: 'role_changed', targetUserId: id, role }, 'role changed');
      return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
    },
  );
}
