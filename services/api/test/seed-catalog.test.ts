import t from 'tap';
import { generateCatalog } from '../src/seed/generate-catalog.js';

t.test('the demo catalog is deterministic, large, and consistent', async (t) => {
  const a = generateCatalog();
  t.same(generateCatalog(), a, 'same seed, same catalog');
  t.notSame(
    generateCatalog(7).products.map((p) => p.stock),
    a.products.map((p) => p.stock),
    'another seed differs',
  );
  const { categories, products } = a;
  t.ok(products.length >= 2000, `${products.length} products`);
  t.equal(new Set(products.map((p) => p.sku)).size, products.length, 'unique SKUs');
  t.equal(new Set(products.map((p) => p.slug)).size, products.length, 'unique slugs');
  const slugs = new Set(categories.map((c) => c.slug));
  const parents = new Set(categories.map((c) => c.parentSlug).filter(Boolean));
  t.ok(categories.filter((c) => c.parentSlug === null).length >= 6, 'at least 6 top-level categories');
  t.ok(categories.filter((c) => c.parentSlug !== null).length >= 20, 'at least 20 leaf categories');
  t.ok(
    [...parents].every((p) => slugs.has(p as string)),
    'every parent exists',
  );
  const leaves = new Set(categories.filter((c) => !parents.has(c.slug)).map((c) => c.slug));
  t.ok(
    products.every((p) => leaves.has(p.categorySlug)),
    'products sit in leaf categories',
  );
  t.ok(
    products.every((p) => Number.isInteger(p.pricePoisha) && p.pricePoisha > 0),
    'prices are positive integer poisha',
  );
  t.ok(
    products.every((p) => p.compareAtPoisha === null || p.compareAtPoisha > p.pricePoisha),
    'a discount is below the old price',
  );
  t.ok(
    products.every((p) => Number.isInteger(p.stock) && p.stock >= 0 && p.stock <= 200),
    'stock in range',
  );
  t.ok(
    products.some((p) => p.stock === 0),
    'some sold out',
  );
  t.ok(
    products.some((p) => p.featured),
    'some featured',
  );
  t.ok(
    products.every((p) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(p.slug)),
    'url-safe slugs',
  );
  t.ok(
    products.every((p) => /^[A-Z0-9][A-Z0-9-]{1,39}$/.test(p.sku)),
    'SKUs fit the admin API pattern',
  );
  t.ok(new Set(products.map((p) => p.brand)).size >= 25, 'at least 25 brands');
  t.ok(
    products.every((p) => p.name.startsWith(p.brand)),
    'names start with the brand (searchable)',
  );
  const phone = products.find((p) => p.name.startsWith('Samsung Galaxy S25 Ultra'));
  const budget = products.find((p) => p.name.startsWith('Samsung Galaxy A06'));
  t.ok(phone && budget && phone.pricePoisha > budget.pricePoisha * 5, 'a flagship costs far more than a budget phone');
});
