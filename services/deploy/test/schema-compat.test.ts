/**
 * make schema-compat in make test: the previous release's API on today's schema passes a
 * shopper's smoke checks, and the check fails when a contract step that release still needs
 * (renaming products.name) is seeded as one more migration.
 */
import t from 'tap';
import { schemaCompat } from '../src/schema-compat.js';

t.test("the previous release's API works on the newly migrated database", async (t) => {
  const r = await schemaCompat((s) => t.comment(s));
  t.ok(r.steps.length >= 7, 'every step ran');
  for (const s of r.steps) t.ok(s.ok, `previous API: ${s.name}`, { detail: s.detail });
});

t.test('a contract migration the previous release depends on is caught', async (t) => {
  process.env.EXTRA_MIGRATION_SQL = 'ALTER TABLE products RENAME COLUMN name TO title';
  t.teardown(() => {
    delete process.env.EXTRA_MIGRATION_SQL;
  });
  const r = await schemaCompat();
  t.ok(r.migrations.includes('29991231000000_seeded_fault'), 'the seeded migration was applied');
  const failed = r.steps.find((s) => !s.ok);
  t.ok(failed, 'a step failed', { steps: r.steps });
  t.equal(failed?.name, 'catalog', 'the catalog breaks first');
});
