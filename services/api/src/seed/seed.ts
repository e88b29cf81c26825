import pg from 'pg';
import { hashPassword } from '../domain/passwords.js';
import { generateCatalog, type SeedProduct } from './generate-catalog.js';
import { isDemoImagePath } from './product-images.js';

export interface SeedResult {
  categories: number;
  productsInserted: number;
  productsTotal: number;
  /** Existing products whose demo photos were replaced by the current ones. */
  photosRefreshed: number;
}

/** What the first seeds stored: /images/products/<slug>-<n>.webp, named after the product and never served. */
function isFirstSeedImagePath(slug: string, path: string) {
  const prefix = `/images/products/${slug}-`;
  return path.startsWith(prefix) && /^[1-9]\d*\.webp$/.test(path.slice(prefix.length));
}

/**
 * Products already in the database keep everything a re-seed would set, except demo photos: a product
 * whose photos are all demo photos (of an earlier set, or the first seeds' paths) gets the current ones,
 * so a database kept across upgrades (`make up` keeps .data/) shows pictures too. Photos an admin set,
 * even one among demo photos, and an emptied list stay as they are; so does a row changed meanwhile.
 */
async function refreshDemoPhotos(client: pg.Client, products: SeedProduct[]): Promise<number> {
  const wanted = new Map(products.map((p) => [p.slug, p.images]));
  const { rows } = await client.query<{ slug: string; images: string[] }>(
    'SELECT slug, images FROM products WHERE slug = ANY($1::text[])',
    [[...wanted.keys()]],
  );
  const stale = rows.filter((row) => {
    const images = wanted.get(row.slug) ?? [];
    return (
      row.images.length > 0 &&
      row.images.every((path) => isDemoImagePath(path) || isFirstSeedImagePath(row.slug, path)) &&
      JSON.stringify(row.images) !== JSON.stringify(images)
    );
  });
  if (stale.length === 0) return 0;
  const updated = await client.query(
    `UPDATE products p
     SET images = ARRAY(SELECT jsonb_array_elements_text(u.images::jsonb)), updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[]) AS u(slug, images, was)
     WHERE p.slug = u.slug AND p.images = ARRAY(SELECT jsonb_array_elements_text(u.was::jsonb))`,
    [stale.map((r) => r.slug), stale.map((r) => JSON.stringify(wanted.get(r.slug))), stale.map((r) => JSON.stringify(r.images))],
  );
  return updated.rowCount ?? 0;
}

/**
 * Loads the generated Dhaka electronics catalog. Idempotent: existing
 * categories and products (matched by slug and sku) are left as they are, so a
 * re-seed never resets stock the shop has sold or staff have adjusted; only
 * their demo photos are brought up to date (refreshDemoPhotos).
 */
export async function seedCatalog(databaseUrl: string): Promise<SeedResult> {
  const { categories, products } = generateCatalog();
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'dhakacart-seed' });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Parents first so each child can look its parent up by slug.
    const ordered = [...categories.filter((c) => c.parentSlug === null), ...categories.filter((c) => c.parentSlug !== null)];
    for (const c of ordered) {
      await client.query(
        `INSERT INTO categories (slug, name, parent_id)
         VALUES ($1, $2, (SELECT id FROM categories WHERE slug = $3)) ON CONFLICT (slug) DO NOTHING`,
        [c.slug, c.name, c.parentSlug],
      );
    }
    const column = <K extends keyof (typeof products)[number]>(key: K) => products.map((p) => p[key]);
    const inserted = await client.query(
      `INSERT INTO products (sku, slug, name, brand, category_id, description, specs, price_poisha, compare_at_poisha, stock, images, featured, created_at)
       SELECT p.sku, p.slug, p.name, p.brand, c.id, p.description, p.specs::jsonb, p.price, p.compare_at, p.stock,
              ARRAY(SELECT jsonb_array_elements_text(p.images::jsonb)), p.featured,
              now() - make_interval(mins => p.ord)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                   $9::bigint[], $10::int[], $11::text[], $12::bool[], $13::int[])
            AS p(sku, slug, name, brand, category, description, specs, price, compare_at, stock, images, featured, ord)
       JOIN categories c ON c.slug = p.category
       ON CONFLICT DO NOTHING`,
      [
        column('sku'),
        column('slug'),
        column('name'),
        column('brand'),
        column('categorySlug'),
        column('description'),
        products.map((p) => JSON.stringify(p.specs)),
        column('pricePoisha'),
        column('compareAtPoisha'),
        column('stock'),
        products.map((p) => JSON.stringify(p.images)),
        column('featured'),
        // Distinct creation times make "newest" a stable, meaningful order.
        products.map((_, i) => products.length - i),
      ],
    );
    const photosRefreshed = await refreshDemoPhotos(client, products);
    await client.query('COMMIT');
    const total = await client.query<{ n: string }>('SELECT count(*) AS n FROM products');
    return {
      categories: categories.length,
      productsInserted: inserted.rowCount ?? 0,
      productsTotal: Number(total.rows[0]?.n),
      photosRefreshed,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Creates (or promotes) an account with the given role; for first-time setup and tests. */
export async function ensureUser(
  databaseUrl: string,
  user: { email: string; password: string; name: string; role: 'customer' | 'staff' | 'admin' },
) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, name, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (email) DO UPDATE SET role = EXCLUDED.role RETURNING id`,
      [user.email.toLowerCase(), await hashPassword(user.password), user.name, user.role],
    );
    return rows[0]?.id as string;
  } finally {
    await client.end();
  }
}
