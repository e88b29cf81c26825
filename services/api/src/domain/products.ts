import { Value } from 'typebox/value';
import type { Db } from '../db/client.js';
import { sqlState, UNIQUE_VIOLATION } from '../db/errors.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Product as ProductRow } from '../generated/prisma/client.js';
import {
  type NewProduct,
  Product,
  type ProductChanges,
  STAFF_PRODUCTS_PER_PAGE,
  type StaffProductPage,
  type StaffProductQuery,
} from '../schemas/product.js';

type Prices<T> = Omit<T, 'pricePoisha' | 'compareAtPoisha'> & { pricePoisha: number; compareAtPoisha: number | null };

/** Prices are bigint poisha in the database and JSON numbers in the API: every price fits one exactly. */
export function withNumberPrices<T extends { pricePoisha: bigint; compareAtPoisha: bigint | null }>(row: T): Prices<T> {
  return {
    ...row,
    pricePoisha: Number(row.pricePoisha),
    compareAtPoisha: row.compareAtPoisha === null ? null : Number(row.compareAtPoisha),
  };
}

const withCategorySlug = { category: { select: { slug: true } } } as const;

/** A products row as the API shows it: the fields Product declares, named as their columns are. */
export function toProduct({ category, ...row }: ProductRow & { category: { slug: string } }): Product {
  const product: Product = withNumberPrices({
    ...row,
    specs: (row.specs ?? {}) as Record<string, string>,
    updatedAt: row.updatedAt.toISOString(),
    category: category.slug,
  });
  // Columns Product does not declare (category_id, created_at, any added for internal use) stay in the database.
  Value.Clean(Product, product);
  return product;
}

/** Every product, inactive ones too, by id: staff find a product by name or SKU. */
export async function listAllProducts(db: Db, query: StaffProductQuery): Promise<StaffProductPage> {
  const { q, limit = STAFF_PRODUCTS_PER_PAGE, afterId } = query;
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
  return { items: page.map(toProduct), nextAfterId: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** A product and, when it starts with stock, the audit entry that explains where that stock came from. */
export async function createProduct(db: Db, input: NewProduct, actorId: string): Promise<Product> {
  const { category, initialStock = 0, ...fields } = input;
  assertPrices(fields.pricePoisha, fields.compareAtPoisha);
  const product = await db
    .$transaction(async (tx) => {
      const created = await tx.product.create({
        data: { ...fields, stock: initialStock, categoryId: await findCategoryId(db, category) },
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
  return toProduct(product);
}

export async function updateProduct(db: Db, id: number, changes: ProductChanges): Promise<Product> {
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
      data: { ...fields, ...(category ? { categoryId: await findCategoryId(db, category) } : {}) },
      include: withCategorySlug,
    })
    .catch(duplicateProduct);
  return toProduct(product);
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
