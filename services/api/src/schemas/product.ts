import { type Static, Type } from 'typebox';
import { Instant, Nullable, PageLimit, Poisha, RowId, Slug } from './primitives.js';

/**
 * A product as staff see it: every field, inactive products included. The shopper's views below are
 * cut from it, so a new field is declared here once: also in ProductWrite if staff may set it, in
 * ProductDetail's omissions if shoppers must not see it, in ProductSummary's pick if cards show it.
 */
export const Product = Type.Object({
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
  updatedAt: Instant,
});
export type Product = Static<typeof Product>;

/** Stock as shoppers see it: a count that never goes below zero, and whether they can buy. */
const Availability = { stock: Type.Integer({ minimum: 0 }), inStock: Type.Boolean() };

/** The product page: everything but staff bookkeeping, with the category named. */
export const ProductDetail = Type.Object({
  ...Type.Omit(Product, ['category', 'active', 'updatedAt']).properties,
  ...Availability,
  category: Type.Object({ slug: Type.String(), name: Type.String() }),
});
export type ProductDetail = Static<typeof ProductDetail>;

/** A product card in a listing: the first image only, the category by slug. */
export const ProductSummary = Type.Object({
  ...Type.Pick(Product, ['id', 'slug', 'name', 'brand', 'category', 'pricePoisha', 'compareAtPoisha']).properties,
  ...Availability,
  featured: Product.properties.featured,
  image: Nullable(Type.String()),
});
export type ProductSummary = Static<typeof ProductSummary>;

const SearchText = Type.String({ minLength: 1, maxLength: 100 });

export const ProductSort = Type.Union([
  Type.Literal('relevance'),
  Type.Literal('price_asc'),
  Type.Literal('price_desc'),
  Type.Literal('newest'),
  Type.Literal('name_asc'),
]);
export type ProductSort = Static<typeof ProductSort>;

export const PRODUCTS_PER_PAGE = 24;

export const ProductQuery = Type.Object(
  {
    q: Type.Optional(SearchText),
    category: Type.Optional(Slug),
    brand: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 20 })),
    minPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
    maxPrice: Type.Optional(Type.Integer({ minimum: 0, maximum: 1e12 })),
    inStock: Type.Optional(Type.Boolean()),
    featured: Type.Optional(Type.Boolean()),
    discounted: Type.Optional(Type.Boolean()),
    sort: Type.Optional(ProductSort),
    limit: PageLimit(100, PRODUCTS_PER_PAGE),
    cursor: Type.Optional(Type.String({ maxLength: 1200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type ProductQuery = Static<typeof ProductQuery>;

export const ProductPage = Type.Object({ items: Type.Array(ProductSummary), nextCursor: Nullable(Type.String()) });
export type ProductPage = Static<typeof ProductPage>;

export const ProductSlug = Type.Object({ slug: Slug });
export const ProductId = Type.Object({ id: RowId });

export const STAFF_PRODUCTS_PER_PAGE = 50;

/** Staff page through every product by id. */
export const StaffProductQuery = Type.Object(
  {
    q: Type.Optional(SearchText),
    limit: PageLimit(100, STAFF_PRODUCTS_PER_PAGE),
    afterId: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
  },
  { additionalProperties: false },
);
export type StaffProductQuery = Static<typeof StaffProductQuery>;

export const StaffProductPage = Type.Object({ items: Type.Array(Product), nextAfterId: Nullable(Type.Integer()) });
export type StaffProductPage = Static<typeof StaffProductPage>;

/** What staff may set, with the limits every write must respect (stock moves by adjustments only). */
const ProductWrite = Type.Object({
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
});

const REQUIRED_ON_CREATE = ['sku', 'slug', 'name', 'brand', 'category', 'pricePoisha'] as const;

export const NewProduct = Type.Object(
  {
    ...Type.Pick(ProductWrite, REQUIRED_ON_CREATE).properties,
    ...Type.Partial(Type.Omit(ProductWrite, REQUIRED_ON_CREATE)).properties,
    initialStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type NewProduct = Static<typeof NewProduct>;

export const ProductChanges = Type.Partial(ProductWrite, { additionalProperties: false, minProperties: 1 });
export type ProductChanges = Static<typeof ProductChanges>;
