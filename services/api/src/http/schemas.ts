import { Type } from 'typebox';

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
