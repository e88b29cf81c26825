import pg from 'pg';
import t from 'tap';
import { generateCatalog } from '../src/seed/generate-catalog.js';
import { DEMO_IMAGE_FINISHES, demoImagePath, demoImageSrcSet, isDemoImagePath } from '../src/seed/product-images.js';
import { seedCatalog } from '../src/seed/seed.js';
import { freshDatabase } from './helpers/harness.js';

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

t.test('every product shows its category’s demo photos, first in the finish of its colour', async (t) => {
  const { products } = generateCatalog();
  const wrong = products.filter((p) => {
    const ofCategory = DEMO_IMAGE_FINISHES.map((f) => demoImagePath(p.categorySlug, f));
    return (
      p.images.length < 1 ||
      p.images.length > DEMO_IMAGE_FINISHES.length ||
      new Set(p.images).size !== p.images.length ||
      !p.images.every((path) => ofCategory.includes(path) && isDemoImagePath(path) && demoImageSrcSet(path))
    );
  });
  t.same(
    wrong.slice(0, 3).map((p) => [p.slug, p.images]),
    [],
    'each has 1 to 4 different photos of its own category, in the current set, with a srcset',
  );
  const firstFinish = (colour: string) =>
    new Set(products.filter((p) => p.specs.Colour === colour).map((p) => p.images[0]?.match(/-([a-z]+)-\d+w\.webp$/)?.[1]));
  t.same([...firstFinish('Blue')], ['blue'], 'a blue product is shown blue first');
  t.same([...firstFinish('Black')], ['graphite'], 'a black one graphite');
  t.same([...firstFinish('White')], ['silver'], 'a white one silver');
  t.same([...firstFinish('Red')], ['red'], 'a red one red');
  const uncoloured = new Set(products.filter((p) => !p.specs.Colour).map((p) => p.images[0]?.match(/-([a-z]+)-\d+w\.webp$/)?.[1]));
  t.equal(uncoloured.size, DEMO_IMAGE_FINISHES.length, 'products without a colour are spread over every finish');
  t.ok(products.filter((p) => p.images.length > 1).length > products.length / 2, 'most products have more than one photo');
});

t.test('a re-seed brings demo photos up to date and never touches photos an admin set', async (t) => {
  const url = await freshDatabase(t);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());
  const { products } = generateCatalog();
  const [firstSeed, olderSet, adminOwn, adminMixed, emptied, current] = products;
  if (!firstSeed || !olderSet || !adminOwn || !adminMixed || !emptied || !current) throw new Error('catalog too small');
  const set = (slug: string, images: string[]) => client.query('UPDATE products SET images = $2 WHERE slug = $1', [slug, images]);
  // As databases seeded by earlier releases hold them.
  await set(firstSeed.slug, [`/images/products/${firstSeed.slug}-1.webp`, `/images/products/${firstSeed.slug}-2.webp`]);
  await set(olderSet.slug, [demoImagePath(olderSet.categorySlug, 'red', 640, 'deadbeef')]);
  // As an admin may have set them.
  await set(adminOwn.slug, ['/images/products/studio-shot.webp']);
  await set(adminMixed.slug, [demoImagePath(adminMixed.categorySlug, 'blue', 640, 'deadbeef'), '/uploads/own-photo.webp']);
  await set(emptied.slug, []);

  const result = await seedCatalog(url);
  t.equal(result.productsInserted, 0, 'no product added twice');
  t.equal(result.photosRefreshed, 2, 'two products had stale demo photos');
  const images = async (slug: string) =>
    (await client.query<{ images: string[] }>('SELECT images FROM products WHERE slug = $1', [slug])).rows[0]?.images;
  t.same(await images(firstSeed.slug), firstSeed.images, 'the first seeds’ never-served paths become the demo photos');
  t.same(await images(olderSet.slug), olderSet.images, 'an older demo set becomes the current one');
  t.same(await images(adminOwn.slug), ['/images/products/studio-shot.webp'], 'an admin’s own photo stays');
  t.same(
    await images(adminMixed.slug),
    [demoImagePath(adminMixed.categorySlug, 'blue', 640, 'deadbeef'), '/uploads/own-photo.webp'],
    'so does a list an admin added to',
  );
  t.same(await images(emptied.slug), [], 'and a list an admin emptied');
  t.same(await images(current.slug), current.images, 'current demo photos are left as they are');
  t.equal((await seedCatalog(url)).photosRefreshed, 0, 'a second re-seed changes nothing');
});
