import { type Static, Type } from 'typebox';

export const DatabaseCheck = Type.Object({
  database: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  migrations: Type.Union([Type.Literal('ok'), Type.Literal('pending'), Type.Literal('unknown')]),
});
export type DatabaseCheck = Static<typeof DatabaseCheck>;

export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('degraded'), Type.Literal('not_ready')]),
  checks: Type.Object({
    ...DatabaseCheck.properties,
    redis: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('disabled')]),
    shuttingDown: Type.Boolean(),
  }),
});
