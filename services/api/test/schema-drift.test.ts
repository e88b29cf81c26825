import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { migrate } from '../src/db/migrator.js';
import { freshDatabase } from './helpers/harness.js';
import { parsePrismaSchema } from './helpers/prisma-schema.js';

/**
 * The SQL migrations are what the database runs; schema.prisma is what the
 * client is generated from. This test applies the migrations to an empty
 * database and checks that every model, field, type, nullability, default,
 * key, unique constraint, index, relation and enum in schema.prisma exists as
 * declared, and that the database has nothing the schema does not know of
 * (except the documented SQL-only search column).
 */
const SQL_ONLY_COLUMNS = new Set(['products.search_vector']);
const SQL_ONLY_TABLES = new Set(['schema_migrations']);

const schema = parsePrismaSchema(readFileSync(join(import.meta.dirname, '..', 'prisma', 'schema.prisma'), 'utf8'));

function expectedType(field: { type: string; attributes: string; list: boolean }, enums: Map<string, string[]>) {
  if (enums.has(field.type)) return field.type;
  if (field.list) return `_${field.type === 'String' ? 'text' : field.type.toLowerCase()}`;
  if (field.type === 'String') return field.attributes.includes('@db.Uuid') ? 'uuid' : 'text';
  return { Int: 'int4', BigInt: 'int8', Boolean: 'bool', DateTime: 'timestamptz', Json: 'jsonb' }[field.type] ?? `?${field.type}`;
}

const fieldList = (attr: string) => (attr.match(/\[([^\]]+)\]/)?.[1] ?? '').split(',').map((s) => s.trim());

t.test('the migrated database matches schema.prisma', async (t) => {
  const url = await freshDatabase(t, { empty: true });
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end());

  const columns = (
    await client.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
      column_default: string | null;
      datetime_precision: number | null;
      is_generated: string;
    }>(
      `SELECT table_name, column_name, udt_name, is_nullable, column_default, datetime_precision, is_generated
       FROM information_schema.columns WHERE table_schema = 'public'`,
    )
  ).rows;
  const constraints = (
    await client.query<{ table_name: string; kind: string; columns: string[]; ref_table: string | null }>(
      `SELECT rel.relname AS table_name, con.contype AS kind,
              array(SELECT att.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.n ORDER BY k.o)::text[] AS columns,
              ref.relname AS ref_table
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid LEFT JOIN pg_class ref ON ref.oid = con.confrelid
       JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = 'public'`,
    )
  ).rows;
  const indexes = (
    await client.query<{ table_name: string; columns: string[] }>(
      `SELECT t.relname AS table_name,
              array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o)::text[] AS columns
       FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public'`,
    )
  ).rows;
  const enumRows = (
    await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    )
  ).rows;

  for (const [name, labels] of schema.enums) {
    t.same(enumRows.find((e) => e.name === name)?.labels, labels, `enum ${name} values`);
  }
  t.equal(enumRows.length, schema.enums.size, 'no enum in the database that the schema lacks');

  const tables = new Set(columns.map((c) => c.table_name));
  const modelTables = new Set(schema.models.map((m) => m.table));
  for (const table of tables) {
    if (!SQL_ONLY_TABLES.has(table)) t.ok(modelTables.has(table), `table ${table} is modelled in schema.prisma`);
  }

  for (const model of schema.models) {
    t.ok(tables.has(model.table), `table ${model.table} exists for model ${model.name}`);
    const scalar = model.fields.filter((f) => !f.relation);
    const dbColumns = columns.filter((c) => c.table_name === model.table);
    for (const col of dbColumns) {
      const known = scalar.some((f) => f.column === col.column_name) || SQL_ONLY_COLUMNS.has(`${model.table}.${col.column_name}`);
      t.ok(known, `${model.table}.${col.column_name} is modelled`);
    }
    for (const f of scalar) {
      const col = dbColumns.find((c) => c.column_name === f.column);
      if (!t.ok(col, `${model.table}.${f.column} exists`) || !col) continue;
      t.equal(col.udt_name, expectedType(f, schema.enums), `${model.table}.${f.column} type`);
      t.equal(col.is_nullable === 'YES', f.optional, `${model.table}.${f.column} nullability`);
      if (f.attributes.includes('@default(')) t.not(col.column_default, null, `${model.table}.${f.column} has a default`);
      else if (!f.attributes.includes('@updatedAt')) t.equal(col.column_default, null, `${model.table}.${f.column} has no default`);
      const precision = f.attributes.match(/@db\.Timestamptz\((\d)\)/)?.[1];
      if (precision) t.equal(col.datetime_precision, Number(precision), `${model.table}.${f.column} precision`);
    }

    const has = (kind: string, cols: string[]) =>
      constraints.some((c) => c.table_name === model.table && c.kind === kind && c.columns.join() === cols.join());
    const columnOf = (field: string) => scalar.find((f) => f.name === field)?.column ?? field;
    const idField = scalar.filter((f) => /@id\b/.test(f.attributes)).map((f) => f.column);
    const compositeId = model.blockAttributes.find((a) => a.startsWith('@@id'));
    const pk = compositeId ? fieldList(compositeId).map(columnOf) : idField;
    t.ok(has('p', pk), `${model.table} primary key (${pk})`);
    for (const f of scalar.filter((f) => /@unique\b/.test(f.attributes))) t.ok(has('u', [f.column]), `${model.table}.${f.column} unique`);
    for (const attr of model.blockAttributes.filter((a) => a.startsWith('@@unique'))) {
      const cols = fieldList(attr).map(columnOf);
      t.ok(has('u', cols), `${model.table} unique (${cols})`);
    }
    for (const attr of model.blockAttributes.filter((a) => a.startsWith('@@index'))) {
      const cols = fieldList(attr).map(columnOf);
      t.ok(
        indexes.some((i) => i.table_name === model.table && i.columns.join() === cols.join()),
        `${model.table} index (${cols})`,
      );
    }
    for (const rel of model.fields.filter((f) => f.relation && f.attributes.includes('fields:'))) {
      const cols = (rel.attributes.match(/fields:\s*\[([^\]]+)\]/)?.[1] ?? '').split(',').map((s) => columnOf(s.trim()));
      const target = schema.models.find((m) => m.name === rel.type)?.table;
      t.ok(
        constraints.some(
          (c) => c.table_name === model.table && c.kind === 'f' && c.columns.join() === cols.join() && c.ref_table === target,
        ),
        `${model.table}(${cols}) references ${target}`,
      );
    }
  }
});
