import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ensureUser } from '../src/seed/seed.js';
import { apiProcessEnv, freshDatabase } from './helpers/harness.js';
import { startServerProcess } from './helpers/server-process.js';

/**
 * Schemathesis generates requests from our own OpenAPI document, valid and
 * invalid, as an admin (so every route is reachable), against the real server
 * process; its stateful phase follows the document's links (a page's nextCursor
 * into the next list call, a cart into checkout, an order into its cancel, a
 * session into refresh and logout) and mutates what it carries over. Pass = no 5xx, and every response matches the status codes, content
 * types and schemas the document promises; invalid input is always rejected.
 */
const schemathesis = join(import.meta.dirname, '..', '..', '..', '.cache', 'venv', 'bin', 'schemathesis');
const budgetSeconds = Number(process.env.FUZZ_SECONDS ?? 150);

t.test('fuzzing the whole API from its OpenAPI document', async (t) => {
  t.ok(existsSync(schemathesis), `schemathesis installed by \`make setup\` at ${schemathesis}`);
  if (!existsSync(schemathesis)) return;
  const databaseUrl = await freshDatabase(t);
  const password = randomBytes(12).toString('hex');
  await ensureUser(databaseUrl, { email: 'fuzz-admin@example.test', password, name: 'Fuzz', role: 'admin' });
  const server = await startServerProcess(t, {
    ...(await apiProcessEnv(t, databaseUrl)),
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
    PAYMENT_TIMEOUT_MS: '100',
    // Correctness, not capacity: on a busy CI machine load shedding would answer 503 by design.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
  });
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'fuzz-admin@example.test', password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };

  const args = [
    'run',
    `${server.url}/openapi.json`,
    '--url',
    server.url,
    '--header',
    `Authorization: Bearer ${accessToken}`,
    '--checks',
    'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection',
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-time',
    String(budgetSeconds),
    '--workers',
    '2',
    '--seed',
    '2026',
    '--suppress-health-check',
    'all',
    '--no-color',
  ];
  // Schemathesis keeps a crash cache in its working directory: a throwaway one keeps
  // runs independent of each other (the seed makes them repeatable) and the repo clean.
  const cwd = mkdtempSync(join(tmpdir(), 'dc-fuzz-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const child = spawn(schemathesis, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (process.env.FUZZ_VERBOSE) console.log(output);
  const summary = output.split('\n').slice(-40).join('\n');
  t.equal(code, 0, `schemathesis found no failures\n${code === 0 ? summary.split('\n').slice(-8).join('\n') : output.slice(-12_000)}`);
  t.match(output, /(\d+) passed/, 'operations were exercised');
  const serverErrors = server.logs.filter((l) => l.msg === 'request failed');
  t.equal(serverErrors.length, 0, `no 5xx in the server log: ${JSON.stringify(serverErrors.slice(0, 5))}`);
});
