import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Bodies are validated strictly: wrong types and unknown fields are refused,
 * never coerced or silently dropped. Query strings, params and headers arrive
 * as text, so only they are coerced (and `?brand=a&brand=b` becomes an array).
 */
function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>;

/** Deeper than any body the API accepts (checkout is 3 levels): more is an attack or a bug. */
export const MAX_JSON_DEPTH = 32;

export type UnsafeInput = { problem: 'text' | 'depth'; at: string };

/**
 * PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate cannot be
 * encoded as UTF-8: either would fail deep in the database as a 500. Refuse
 * them at the door, in every part of the request, as bad input. The walk is
 * iterative and stops at MAX_JSON_DEPTH, so a small body nested thousands of
 * levels deep is refused instead of overflowing the stack.
 */
export function findUnsafeInput(root: unknown): UnsafeInput | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000') || !value.isWellFormed()) return { problem: 'text', at: path || '/' };
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { problem: 'depth', at: path || '/' };
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000') || !key.isWellFormed()) return { problem: 'text', at: `${path}/${key}` };
      stack.push({ value: inner, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return null;
}
