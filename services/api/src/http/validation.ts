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

/**
 * PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate cannot be
 * encoded as UTF-8: either would fail deep in the database as a 500. Refuse
 * them at the door, in every part of the request, as bad input.
 */
export function findUnsafeText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed() ? path || '/' : null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const bad = findUnsafeText(key, `${path}/${key}`) ?? findUnsafeText(inner, `${path}/${key}`);
      if (bad) return bad;
    }
  }
  return null;
}
