/** A small reader for the subset of schema.prisma we use, for the drift test. */
export interface PrismaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  attributes: string;
  relation: boolean;
}
export interface PrismaModel {
  name: string;
  table: string;
  fields: PrismaField[];
  blockAttributes: string[];
}

export function parsePrismaSchema(source: string) {
  const models: PrismaModel[] = [];
  const enums = new Map<string, string[]>();
  const blocks = source.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm);
  for (const [, kind, name, body] of blocks) {
    const lines = (body as string)
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter(Boolean);
    if (kind === 'enum') {
      enums.set(name as string, lines);
      continue;
    }
    const model: PrismaModel = { name: name as string, table: name as string, fields: [], blockAttributes: [] };
    for (const line of lines) {
      if (line.startsWith('@@')) {
        const map = line.match(/^@@map\("(\w+)"\)/);
        if (map) model.table = map[1] as string;
        else model.blockAttributes.push(line);
        continue;
      }
      const m = line.match(/^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/);
      if (!m) continue;
      const [, fieldName, type, list, optional, attributes] = m as unknown as string[];
      model.fields.push({
        name: fieldName as string,
        column: attributes?.match(/@map\("(\w+)"\)/)?.[1] ?? (fieldName as string),
        type: type as string,
        list: Boolean(list),
        optional: Boolean(optional),
        attributes: attributes ?? '',
        relation: false,
      });
    }
    models.push(model);
  }
  const modelNames = new Set(models.map((m) => m.name));
  for (const model of models) for (const f of model.fields) f.relation = modelNames.has(f.type);
  return { models, enums };
}
