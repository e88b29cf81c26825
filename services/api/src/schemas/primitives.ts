import { type TSchema, Type } from 'typebox';

export const Poisha = Type.Integer({ minimum: 0, description: 'amount in poisha (1 BDT = 100 poisha)' });
export const Uuid = Type.String({ format: 'uuid' });
export const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 1, maxLength: 160 });
export const Instant = Type.String({ format: 'date-time' });
/** A PostgreSQL integer primary key: anything larger would fail in the database instead of at validation. */
export const RowId = Type.Integer({ minimum: 1, maximum: 2147483647 });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * A page size, `fallback` when the client gives none. Ajv fills the default in, but the static
 * type stays optional (the document must not call it required), so readers default to the same constant.
 */
export const PageLimit = (maximum: number, fallback: number) => Type.Optional(Type.Integer({ minimum: 1, maximum, default: fallback }));
