import pg from 'pg';
import { hashPassword } from '../domain/passwords.js';
import { generateCatalog } from './generate-catalog.js';

export interface SeedResult {
  categories: number;
  productsInserted: number;
  productsTotal: number;
}

/**
 * Loads the generated Dhaka electronics catalog. Idempotent: existing
 * categories and products (matched by slug and sku) are left as they are, so a
 * re-seed never resets stock the shop has sold or staff have adjusted.
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
    await client.query('COMMIT');
    const total = await client.query<{ n: string }>('SELECT count(*) AS n FROM products');
    return { categories: categories.length, productsInserted: inserted.rowCount ?? 0, productsTotal: Number(total.rows[0]?.n) };
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
