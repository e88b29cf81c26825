import { createHash } from 'node:crypto';
import { Value } from 'typebox/value';
import type { Db } from '../db/client.js';
import { badRequest } from '../errors.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Brand, Category } from '../schemas/category.js';
import {
  PRODUCTS_PER_PAGE,
  ProductDetail,
  type ProductPage,
  type ProductQuery,
  type ProductSort,
  type ProductSummary,
} from '../schemas/product.js';
import { toProduct, withNumberPrices } from './products.js';

type CursorValue = number | string;
/** What a cursor carries: the sort and filters it was made for, the last row's sort key and id. */
interface Cursor {
  s: ProductSort;
  f: string;
  v: CursorValue;
  id: number;
}

const MAX_PRODUCT_ID = 2_147_483_647; // products.id is a PostgreSQL integer
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL = /^\d{1,6}(\.\d{1,6})?$/;

/** Whether `v` is a sort key this sort can have produced: the database never sees anything else. */
const VALID_SORT_KEY: Record<ProductSort, (v: unknown) => boolean> = {
  relevance: (v) => typeof v === 'string' && DECIMAL.test(v),
  price_asc: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 1e12,
  price_desc: (v) => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 1e12,
  newest: (v) => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  name_asc: (v) => typeof v === 'string' && v.length <= 200 && !v.includes('\u0000') && v.isWellFormed(),
};

/** The filters and sort a cursor is bound to (the page size may change between pages). */
function cursorScope(query: ProductQuery, q: string | undefined, sort: ProductSort): string {
  const scope = [
    q ?? '',
    query.category ?? '',
    [...(query.brand ?? [])].sort(),
    query.minPrice ?? null,
    query.maxPrice ?? null,
    query.inStock ?? false,
    query.featured ?? false,
    query.discounted ?? false,
    sort,
  ];
  return createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 16);
}

/**
 * Keyset pagination: the cursor carries the last row's sort key and id, so
 * page 500 costs what page 1 costs and concurrent inserts never shift rows
 * between pages (OFFSET does both wrong). A cursor is untrusted input: it is
 * only accepted with the sort and filters it was made for, and every field is
 * checked before it reaches SQL, so a stale or tampered one is a 400, never a
 * database error.
 */
function decodeCursor(cursor: string | undefined, sort: ProductSort, scope: string): Cursor | null {
  if (!cursor) return null;
  let parsed: Partial<Cursor>;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('cursor is not valid; start again without it');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length !== 4) {
    throw invalidCursor('cursor is not valid; start again without it');
  }
  if (parsed.s !== sort || parsed.f !== scope) {
    throw invalidCursor('this cursor belongs to another sort or filter; start again from the first page');
  }
  const { id, v } = parsed;
  if (!Number.isSafeInteger(id) || (id as number) < 1 || (id as number) > MAX_PRODUCT_ID || !VALID_SORT_KEY[sort](v)) {
    throw invalidCursor('cursor is not valid; start again without it');
  }
  return parsed as Cursor;
}

const invalidCursor = (message: string) => badRequest('INVALID_CURSOR', message);
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

/** A product card as the query returns it: prices still bigint, and the key the page is sorted by. */
type CardRow = Omit<ProductSummary, 'pricePoisha' | 'compareAtPoisha'> & {
  pricePoisha: bigint;
  compareAtPoisha: bigint | null;
  sort_key: CursorValue | Date | null;
};

/** Ids of a category and its direct children (the tree is two levels deep). */
const categoryAndChildren = (slug: string) => Prisma.sql`
  SELECT id FROM categories WHERE slug = ${slug}
  UNION SELECT id FROM categories WHERE parent_id = (SELECT id FROM categories WHERE slug = ${slug})`;

export async function listProducts(db: Db, query: ProductQuery): Promise<ProductPage> {
  const limit = query.limit ?? PRODUCTS_PER_PAGE;
  const q = query.q?.trim().toLowerCase();
  const sort: ProductSort = query.sort ?? (q ? 'relevance' : 'newest');
  if (sort === 'relevance' && !q) throw badRequest('SORT_NEEDS_QUERY', 'sort=relevance needs a search query (q)');
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
    throw badRequest('INVALID_PRICE_RANGE', 'minPrice must not exceed maxPrice');
  }
  const scope = cursorScope(query, q, sort);
  const cursor = decodeCursor(query.cursor, sort, scope);

  const where: Prisma.Sql[] = [Prisma.sql`p.active`];
  // Full-text match for words, trigram word similarity for typos ("samsng", "iphon"). The 0.45
  // threshold (pg_trgm's default for <% is 0.6) lets a one-word query with one missing letter match;
  // over a few thousand products the scan costs a few milliseconds and results are cached.
  if (q) where.push(Prisma.sql`(p.search_vector @@ websearch_to_tsquery('simple', ${q}) OR word_similarity(${q}, lower(p.name)) >= 0.45)`);
  if (query.category) {
    where.push(Prisma.sql`c.id IN (${categoryAndChildren(query.category)})`);
  }
  if (query.brand?.length) where.push(Prisma.sql`p.brand IN (${Prisma.join(query.brand)})`);
  if (query.minPrice !== undefined) where.push(Prisma.sql`p.price_poisha >= ${query.minPrice}`);
  if (query.maxPrice !== undefined) where.push(Prisma.sql`p.price_poisha <= ${query.maxPrice}`);
  if (query.inStock) where.push(Prisma.sql`p.stock > 0`);
  if (query.featured) where.push(Prisma.sql`p.featured`);
  if (query.discounted) where.push(Prisma.sql`p.compare_at_poisha IS NOT NULL`);

  const score = q
    ? Prisma.sql`round((ts_rank(p.search_vector, websearch_to_tsquery('simple', ${q})) + word_similarity(${q}, lower(p.name)))::numeric, 6)`
    : Prisma.sql`0`;
  const order: Record<ProductSort, { key: Prisma.Sql; dir: 'ASC' | 'DESC'; cast: string }> = {
    relevance: { key: score, dir: 'DESC', cast: 'numeric' },
    price_asc: { key: Prisma.sql`p.price_poisha`, dir: 'ASC', cast: 'bigint' },
    price_desc: { key: Prisma.sql`p.price_poisha`, dir: 'DESC', cast: 'bigint' },
    newest: { key: Prisma.sql`p.created_at`, dir: 'DESC', cast: 'timestamptz' },
    name_asc: { key: Prisma.sql`p.name COLLATE "C"`, dir: 'ASC', cast: 'text' },
  };
  const { key, dir, cast } = order[sort];
  if (cursor) {
    const value = Prisma.sql`CAST(${cursor.v} AS ${Prisma.raw(cast)})`;
    // Ties on the sort key are broken by id, always ascending within a tie... except DESC sorts, which use id DESC.
    where.push(
      dir === 'ASC'
        ? Prisma.sql`(${key}, p.id) > (${value}, ${cursor.id})`
        : sort === 'relevance'
          ? Prisma.sql`(${key} < ${value} OR (${key} = ${value} AND p.id > ${cursor.id}))`
          : Prisma.sql`(${key}, p.id) < (${value}, ${cursor.id})`,
    );
  }
  const idOrder = dir === 'DESC' && sort !== 'relevance' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await db.$queryRaw<CardRow[]>`
    SELECT p.id, p.slug, p.name, p.brand, c.slug AS category, p.price_poisha AS "pricePoisha", p.compare_at_poisha AS "compareAtPoisha",
           p.stock, p.stock > 0 AS "inStock", p.featured, p.images[1] AS image, ${key} AS sort_key
    FROM products p JOIN categories c ON c.id = p.category_id
    WHERE ${Prisma.join(where, ' AND ')}
    ORDER BY ${key} ${Prisma.raw(dir)}, p.id ${idOrder}
    LIMIT ${limit + 1}`;

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({
          s: sort,
          f: scope,
          v:
            last.sort_key instanceof Date
              ? last.sort_key.toISOString()
              : typeof last.sort_key === 'bigint'
                ? Number(last.sort_key)
                : String(last.sort_key ?? ''),
          id: last.id,
        })
      : null;
  return { items: page.map(({ sort_key, ...card }) => withNumberPrices(card)), nextCursor };
}

/** The product page: what staff see, less their bookkeeping, with the category named. */
export async function getProduct(db: Db, slug: string): Promise<ProductDetail | null> {
  const row = await db.product.findFirst({ where: { slug, active: true }, include: { category: true } });
  if (!row) return null;
  const { category, ...product } = toProduct(row);
  const detail: ProductDetail = { ...product, inStock: row.stock > 0, category: { slug: row.category.slug, name: row.category.name } };
  // The catalog cache sends this as it is, past the response serialiser: only what ProductDetail declares reaches shoppers.
  Value.Clean(ProductDetail, detail);
  return detail;
}

export async function listCategories(db: Db): Promise<Category[]> {
  const rows = await db.$queryRaw<{ slug: string; name: string; parent_slug: string | null; product_count: bigint }[]>`
    SELECT c.slug, c.name, parent.slug AS parent_slug,
           (SELECT count(*) FROM products p WHERE p.active AND (p.category_id = c.id
              OR p.category_id IN (SELECT id FROM categories child WHERE child.parent_id = c.id))) AS product_count
    FROM categories c LEFT JOIN categories parent ON parent.id = c.parent_id
    ORDER BY parent.slug NULLS FIRST, c.name`;
  return rows.map((r) => ({ slug: r.slug, name: r.name, parentSlug: r.parent_slug, productCount: Number(r.product_count) }));
}

export async function listBrands(db: Db, category?: string): Promise<Brand[]> {
  const filter = category ? Prisma.sql`AND p.category_id IN (${categoryAndChildren(category)})` : Prisma.empty;
  const rows = await db.$queryRaw<{ brand: string; n: bigint }[]>`
    SELECT p.brand, count(*) AS n FROM products p WHERE p.active ${filter} GROUP BY p.brand ORDER BY p.brand`;
  return rows.map((r) => ({ brand: r.brand, productCount: Number(r.n) }));
}
