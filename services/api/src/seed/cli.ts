/**
 * `node dist/seed/cli.js`: load the demo catalog (idempotent). With
 * SEED_ADMIN_EMAIL and SEED_ADMIN_PASSWORD(_FILE) it also creates that admin.
 */
import { readSecret, requireSecret } from '../config.js';
import { ensureUser, seedCatalog } from './seed.js';

try {
  const url = requireSecret('DATABASE_URL');
  const result = await seedCatalog(url);
  console.log(JSON.stringify({ level: 'info', msg: 'catalog seeded', ...result }));
  const email = process.env.SEED_ADMIN_EMAIL;
  const password = readSecret('SEED_ADMIN_PASSWORD');
  if (email && password) {
    await ensureUser(url, { email, password, name: 'Shop Admin', role: 'admin' });
    console.log(JSON.stringify({ level: 'info', msg: 'admin account ready', email }));
  }
} catch (error) {
  console.error(JSON.stringify({ level: 'error', msg: 'seed failed', error: (error as Error).message }));
  process.exit(1);
}
