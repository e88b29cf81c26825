/** `node dist/db/migrate-cli.js`: the Helm pre-upgrade hook and `make up` run this. Exit 1 fails the release. */
import { requireSecret } from '../config.js';
import { migrate } from './migrator.js';

try {
  const url = requireSecret('DATABASE_URL');
  const result = await migrate(url, (msg) => console.log(JSON.stringify({ level: 'info', msg })));
  console.log(
    JSON.stringify({ level: 'info', msg: 'migrations complete', applied: result.applied, alreadyApplied: result.alreadyApplied }),
  );
} catch (error) {
  console.error(JSON.stringify({ level: 'error', msg: 'migration failed', error: (error as Error).message }));
  process.exit(1);
}
