import type { Db } from '../db/client.js';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Product } from '../generated/prisma/client.js';
import { productFields } from './catalog.js';

/** The fields a request may set; the route's schema has checked each one. */
export type ProductInput = Record<string, unknown> & { category: string; pricePoisha: number; compareAtPoisha?: number | null };

const withCategorySlug = { category: { select: { slug: true } } } as const;

function toAdminProduct(p: Product & { category: { slug: string } }) {
  return { ...productFields(p), category: p.category.slug, active: p.active, updatedAt: p.updatedAt.toISOString() };
}

/** Every product, inactive ones too, by id: staff find a product by name or SKU. */
export async function listAllProducts(db: Db, { q, limit, afterId }: { q?: string; limit: number; afterId?: number }) {
  const rows = await db.product.findMany({
    where: {
      ...(afterId ? { id: { gt: afterId } } : {}),
      ...(q ? { OR: [{ name: { contains: q, mode: 'insensitive' } }, { sku: { contains: q.toUpperCase() } }] } : {}),
    },
    include: withCategorySlug,
    orderBy: { id: 'asc' },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return { items: page.map(toAdminProduct), nextAfterId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** A product and, when it starts with stock, the audit entry that explains where that stock came from. */
export async function createProduct(db: Db, input: ProductInput & { initialStock?: number }, actorId: string) {
  const { category, initialStock = 0, ...fields } = input;
  assertPrices(fields.pricePoisha, fields.compareAtPoisha);
  const product = await db
    .$transaction(async (tx) => {
      const created = await tx.product.create({
        data: { ...fields, stock: initialStock, categoryId: await findCategoryId(db, category) } as never,
        include: withCategorySlug,
      });
      if (initialStock > 0) {
        await tx.stockAdjustment.create({
          data: { productId: created.id, delta: initialStock, resultingStock: initialStock, reason: 'initial stock', actorId },
        });
      }
      return created;
    })
    .catch(duplicateProduct);
  return toAdminProduct(product);
}

export async function updateProduct(db: Db, id: number, changes: Partial<ProductInput>) {
  const { category, ...fields } = changes;
  const current = await db.product.findUnique({ where: { id } });
  if (!current) throw notFound('product');
  assertPrices(
    fields.pricePoisha ?? current.pricePoisha,
    fields.compareAtPoisha === undefined ? current.compareAtPoisha : fields.compareAtPoisha,
  );
  const product = await db.product
    .update({
      where: { id },
      data: { ...fields, ...(category ? { categoryId: await findCategoryId(db, category) } : {}) } as never,
      include: withCategorySlug,
    })
    .catch(duplicateProduct);
  return toAdminProduct(product);
}

/** Retired, not deleted: past orders still name the product. */
export async function retireProduct(db: Db, id: number): Promise<void> {
  const { count } = await db.product.updateMany({ where: { id }, data: { active: false } });
  if (count === 0) throw notFound('product');
}

async function findCategoryId(db: Db, slug: string) {
  const category = await db.category.findUnique({ where: { slug }, select: { id: true } });
  if (!category) throw badRequest('UNKNOWN_CATEGORY', `no category "${slug}"`);
  return category.id;
}

/** The database refuses it too (CHECK compare_at_poisha > price_poisha); this says why in words. */
function assertPrices(price: number | bigint | undefined, compareAt: number | bigint | null | undefined) {
  if (price !== undefined && compareAt !== undefined && compareAt !== null && Number(compareAt) <= Number(price)) {
    throw badRequest('INVALID_COMPARE_AT_PRICE', 'compareAtPoisha must be higher than pricePoisha');
  }
}

function duplicateProduct(error: unknown): never {
  if (sqlState(error) === UNIQUE_VIOLATION || (error as { code?: string }).code === 'P2002') {
    throw conflict('DUPLICATE_PRODUCT', 'a product with this sku or slug already exists');
  }
  throw error;
}
