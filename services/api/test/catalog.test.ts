import t from 'tap';
import { harness } from './helpers/harness.js';

t.test('catalog', async (t) => {
  const h = await harness(t);
  const get = async (url: string) => {
    const res = await h.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  t.test('the seeded catalog is large and realistic', async (t) => {
    const { n } = await h.one<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE active');
    t.ok(n >= 2000, `${n} products`);
    const categories = await get('/v1/categories');
    t.equal(categories.status, 200);
    t.ok(categories.body.items.length >= 20);
    const top = categories.body.items.filter((c: { parentSlug: string | null }) => c.parentSlug === null);
    const sum = top.reduce((s: number, c: { productCount: number }) => s + c.productCount, 0);
    t.equal(sum, n, 'top-level category counts add up to every product');
  });

  t.test('keyset pagination walks every product exactly once, for every sort order', async (t) => {
    const { n } = await h.one<{ n: number }>(
      "SELECT count(*)::int AS n FROM products p JOIN categories c ON c.id = p.category_id WHERE p.active AND c.slug = 'smartphones'",
    );
    for (const sort of ['price_asc', 'price_desc', 'newest', 'name_asc']) {
      const seen: number[] = [];
      let cursor: string | null = null;
      let previous: { pricePoisha: number; name: string } | null = null;
      let ordered = true;
      do {
        const page = await get(`/v1/products?category=smartphones&sort=${sort}&limit=37${cursor ? `&cursor=${cursor}` : ''}`);
        t.equal(page.status, 200);
        for (const item of page.body.items) {
          if (previous && sort === 'price_asc' && item.pricePoisha < previous.pricePoisha) ordered = false;
          if (previous && sort === 'price_desc' && item.pricePoisha > previous.pricePoisha) ordered = false;
          if (previous && sort === 'name_asc' && item.name < previous.name) ordered = false;
          previous = item;
          seen.push(item.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      t.equal(seen.length, n, `${sort}: every smartphone listed`);
      t.equal(new Set(seen).size, n, `${sort}: none listed twice`);
      t.ok(ordered, `${sort}: in order across pages`);
    }
  });

  t.test('filters combine: brand, price range, in stock, category tree', async (t) => {
    const res = await get(
      '/v1/products?category=mobiles-tablets&brand=Samsung&brand=Xiaomi&minPrice=1000000&maxPrice=5000000&inStock=true&limit=100',
    );
    t.equal(res.status, 200);
    t.ok(res.body.items.length > 0);
    for (const p of res.body.items) {
      t.ok(['Samsung', 'Xiaomi'].includes(p.brand), `${p.name}: brand`);
      t.ok(p.pricePoisha >= 1000000 && p.pricePoisha <= 5000000, `${p.name}: price`);
      t.ok(p.inStock && p.stock > 0, `${p.name}: in stock`);
    }
    const { n } = await h.one<{ n: number }>(
      `SELECT count(*)::int AS n FROM products p JOIN categories c ON c.id = p.category_id
       WHERE p.active AND p.brand IN ('Samsung','Xiaomi') AND p.price_poisha BETWEEN 1000000 AND 5000000 AND p.stock > 0
       AND (c.slug = 'mobiles-tablets' OR c.parent_id = (SELECT id FROM categories WHERE slug = 'mobiles-tablets'))`,
    );
    t.equal(res.body.items.length, Math.min(n, 100), 'same rows as a direct SQL query');
  });

  t.test('full-text search finds by words, trigram search forgives typos', async (t) => {
    const exact = await get('/v1/products?q=galaxy&limit=10');
    t.ok(exact.body.items.length > 0, 'galaxy found');
    t.ok(
      exact.body.items.every((p: { name: string }) => /galaxy/i.test(p.name)),
      'all results are Galaxy',
    );
    const typo = await get('/v1/products?q=samsng%20galaxy&limit=10');
    t.ok(typo.body.items.length > 0, '"samsng galaxy" still finds products');
    t.match(typo.body.items[0].name, /Samsung Galaxy/i, 'best match first');
    const oneWord = await get('/v1/products?q=samsng&limit=5');
    t.ok(oneWord.body.items.length > 0, 'a single misspelt word ("samsng") finds products');
    t.ok(
      oneWord.body.items.every((p: { brand: string }) => p.brand === 'Samsung'),
      'and they are Samsung products',
    );
    const iphone = await get('/v1/products?q=iphon&limit=5');
    t.match(iphone.body.items[0]?.name, /iPhone/, '"iphon" finds iPhones');
    const nothing = await get('/v1/products?q=zzqqxxjj');
    t.same(nothing.body.items, []);
    const paged = await get('/v1/products?q=laptop&limit=5');
    if (paged.body.nextCursor) {
      const next = await get(`/v1/products?q=laptop&limit=5&cursor=${paged.body.nextCursor}`);
      const ids = new Set(paged.body.items.map((p: { id: number }) => p.id));
      t.notOk(
        next.body.items.some((p: { id: number }) => ids.has(p.id)),
        'relevance pages do not overlap',
      );
    }
  });

  t.test('product detail, and 404 for unknown or retired products', async (t) => {
    const [row] = await h.sql<{ slug: string; price_poisha: string }>('SELECT slug, price_poisha FROM products ORDER BY id LIMIT 1');
    const res = await get(`/v1/products/${row?.slug}`);
    t.equal(res.status, 200);
    t.equal(res.body.pricePoisha, Number(row?.price_poisha));
    t.type(res.body.specs, 'object');
    t.ok(res.body.images.length >= 1);
    const missing = await get('/v1/products/no-such-product');
    t.equal(missing.status, 404);
    t.equal(missing.body.error.code, 'NOT_FOUND');
  });

  t.test('bad query parameters are 400s with codes', async (t) => {
    t.equal((await get('/v1/products?limit=1000')).body.error.code, 'VALIDATION_FAILED');
    t.equal((await get('/v1/products?sort=relevance')).body.error.code, 'SORT_NEEDS_QUERY');
    t.equal((await get('/v1/products?minPrice=10&maxPrice=5')).body.error.code, 'INVALID_PRICE_RANGE');
    t.equal((await get('/v1/products?cursor=bm90LWpzb24')).body.error.code, 'INVALID_CURSOR');
    t.equal((await get('/v1/products?unknown=1')).body.error.code, 'VALIDATION_FAILED');
  });

  t.test('brands are listed with counts', async (t) => {
    const res = await get('/v1/brands?category=smartphones');
    t.ok(res.body.items.length >= 5);
    t.ok(res.body.items.every((b: { productCount: number }) => b.productCount > 0));
  });
});
