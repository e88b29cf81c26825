/**
 * `@dhakacart/api/testing`: what other packages' tests need from the API, in one place — the
 * real API process and its environment, databases of their own, accounts, and the demo catalog's
 * shape — so no test reaches into this package's folders by relative path.
 */

export { LEAF_CATEGORIES } from '../src/seed/catalog-data.js';
export { generateCatalog } from '../src/seed/generate-catalog.js';
export { ensureUser } from '../src/seed/seed.js';
export { apiProcessEnv, freshDatabase } from './helpers/harness.js';
export { type ServerProcess, startServerProcess } from './helpers/server-process.js';
