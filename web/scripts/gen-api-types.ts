/**
 * `npm run gen:api-types -w web`: src/api-types.gen.ts from the API's real OpenAPI document, so the
 * storefront's types cannot drift from the API. The document is what the real app serves at
 * /openapi.json (@fastify/swagger builds it from the route schemas when the app boots), read with
 * app.inject as the API's own tests do; booting makes no query, so no database has to run.
 * web/test/api-types.test.ts runs the same generation and fails when the committed file is stale.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { createApp } from '../../services/api/src/app.ts';
import { loadConfig } from '../../services/api/src/config.ts';

const webRoot = join(import.meta.dirname, '..');
const repoRoot = join(webRoot, '..');
export const generatedFile = join(webRoot, 'src', 'api-types.gen.ts');

const HEADER = `/**
 * The API's request and response types, generated from its OpenAPI document (GET /openapi.json).
 * Do not edit: change the route schemas in services/api, then run \`npm run gen:api-types -w web\`.
 */
`;

/** The document the API serves, from the real app booted in this process. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'gen-api-types-only-never-signs-a-token',
    // Required by the config; the pool connects on the first query and the document needs none.
    DATABASE_URL: 'postgresql://gen-api-types@127.0.0.1:1/unused',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  const app = await createApp(config);
  try {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}: ${res.body}`);
    return res.json() as OpenAPI3;
  } finally {
    await app.close();
  }
}

/** Formatted the way `biome check` wants it, so the committed file passes the linter unchanged. */
function format(source: string): Promise<string> {
  const biome = join(repoRoot, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [biome, 'format', `--stdin-file-path=${relative(repoRoot, generatedFile)}`],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`biome format failed: ${stderr || error.message}`)) : resolve(stdout)),
    );
    child.stdin?.end(source);
  });
}

/** The text src/api-types.gen.ts must hold for the API as it is now. */
export async function generateApiTypes(): Promise<string> {
  const ast = await openapiTS(await openApiDocument(), { silent: true });
  return format(HEADER + astToString(ast));
}

// Run as a script (not imported by the test): write the file.
if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  writeFileSync(generatedFile, await generateApiTypes());
  console.log(`wrote ${relative(process.cwd(), generatedFile)}`);
}
