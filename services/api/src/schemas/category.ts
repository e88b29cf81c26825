import { type Static, Type } from 'typebox';
import { Nullable, Slug } from './primitives.js';

/** The category tree, flat: each category names its parent and counts the active products in it and its children. */
export const CategoryList = Type.Object({
  items: Type.Array(
    Type.Object({ slug: Type.String(), name: Type.String(), parentSlug: Nullable(Type.String()), productCount: Type.Integer() }),
  ),
});
export type Category = Static<typeof CategoryList>['items'][number];

export const BrandQuery = Type.Object({ category: Type.Optional(Slug) }, { additionalProperties: false });

export const BrandList = Type.Object({ items: Type.Array(Type.Object({ brand: Type.String(), productCount: Type.Integer() })) });
export type Brand = Static<typeof BrandList>['items'][number];
