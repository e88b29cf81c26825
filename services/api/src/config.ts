import { readFileSync } from 'node:fs';
import { type Static, type TObject, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The one config loader. Everything comes from the environment, validated once
 * at boot; each secret may instead come from a file named by `<NAME>_FILE`
 * (Kubernetes secret mounts), never from code.
 */
const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')], {
    default: 'production',
  }),
  HOST: Type.String({ default: '0.0.0.0' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_REPLICA_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 3000 }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  REDIS_KEY_PREFIX: Type.String({ default: 'dc:' }),
  JWT_SECRET: Type.String({ minLength: 32 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, maximum: 3600, default: 900 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 14 }),
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 10 }),
  DEVICE_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 400, default: 90 }),
  CORS_ORIGINS: Type.String({ default: '' }),
  // Which proxies' X-Forwarded-For to believe: false, true (all: only behind an ingress that
  // rewrites the header), a hop count (1 = the ingress in front of us), or their addresses/CIDRs.
  TRUST_PROXY: Type.String({
    pattern: '^(true|false|[0-9]|[0-9a-fA-F.:/]+(,[ ]*[0-9a-fA-F.:/]+)*)$',
    default: 'false',
  }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, maximum: 10485760, default: 65536 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 15000 }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 600 }),
  LOGIN_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 10 }),
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_LOCKOUT_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  CACHE_LOCAL_TTL_MS: Type.Integer({ minimum: 0, default: 1000 }),
  CACHE_REDIS_TTL_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  // How long a CDN may reuse public catalog answers, and serve them stale while revalidating
  // (stock on cards may then be that old; browsers always revalidate).
  CATALOG_CDN_MAX_AGE_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 15 }),
  CATALOG_CDN_STALE_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 45 }),
  PAYMENT_TIMEOUT_MS: Type.Integer({ minimum: 10, default: 8000 }),
  PENDING_ORDER_EXPIRY_MINUTES: Type.Integer({ minimum: 1, default: 15 }),
  SHUTDOWN_DELAY_MS: Type.Integer({ minimum: 0, default: 5000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 1000, default: 25000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, default: 1000 }),
  DOCS_ENABLED: Type.Boolean({ default: true }),
});

export type Config = Static<typeof ConfigSchema>;

const SECRET_CAPABLE = ['DATABASE_URL', 'DATABASE_REPLICA_URL', 'REDIS_URL', 'JWT_SECRET'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `NAME` or the contents of the file named by `NAME_FILE`; also used alone by the migrate and seed CLIs. */
export function readSecret(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env[`${name}_FILE`];
  if (!file) return env[name] || undefined;
  if (env[name]) throw new ConfigError(`set either ${name} or ${name}_FILE, not both`);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`${name}_FILE: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
}

export function requireSecret(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = readSecret(name, env);
  if (!value) throw new ConfigError(`${name} (or ${name}_FILE) is required`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadEnv(ConfigSchema, env, SECRET_CAPABLE);
}

/**
 * The loader itself, for the server's schema and the jobs' (src/ops): the schema's
 * keys from the environment, `secretCapable` ones also from `<NAME>_FILE`,
 * converted, defaulted and validated; errors name the variable, never the value.
 */
export function loadEnv<S extends TObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
  secretCapable: readonly string[] = [],
): Static<S> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  for (const key of secretCapable) {
    const value = readSecret(key, env);
    if (value !== undefined) raw[key] = value;
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, raw));
  const errors = [...Value.Errors(schema, withDefaults)];
  if (errors.length > 0) {
    // Name the variable and the rule, never the value: it may be a secret.
    const lines = errors.map((e) => {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties;
      if (missing) return missing.map((name) => `  ${name}: required (or ${name}_FILE where supported)`).join('\n');
      return `  ${e.instancePath.replace(/^\//, '')}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  return withDefaults as Static<S>;
}

/** TRUST_PROXY as Fastify's `trustProxy` takes it: a boolean, the nearest N hops, or a list of addresses. */
export function trustProxy(config: Config): boolean | string[] | ((address: string, hop: number) => boolean) {
  const value = config.TRUST_PROXY.trim();
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^[0-9]$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((a) => a.trim());
}

export function corsOrigins(config: Config): string[] {
  return config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
