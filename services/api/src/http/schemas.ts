import { type TSchema, Type } from 'typebox';

/** The error body every 4xx/5xx carries: `code` is stable and machine-readable, `message` is for people. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      requestId: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const Poisha = Type.Integer({ minimum: 0, description: 'amount in poisha (1 BDT = 100 poisha)' });
export const Uuid = Type.String({ format: 'uuid' });
export const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 1, maxLength: 160 });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
