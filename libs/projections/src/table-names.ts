import type { AnyProjection, TableNames } from './projection';
import { ProjectionDefinitionError } from './projection.errors';

export const SHADOW_SUFFIX = '__rebuild';
export const RETIRED_SUFFIX = '__retired';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const PROJECTION_NAME = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
/** PostgreSQL truncates identifiers at 63 bytes; leave room for the shadow and retired suffixes. */
const MAX_BASE_LENGTH = 50;
const MAX_IDENTIFIER_LENGTH = 63;

export interface QualifiedName {
  readonly schema?: string;
  readonly table: string;
}

export function splitQualified(name: string): QualifiedName {
  const dot = name.indexOf('.');
  return dot < 0 ? { table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

export function joinQualified({ schema, table }: QualifiedName): string {
  return schema ? `${schema}.${table}` : table;
}

/** The mapping a projection's tables get under `rename(base table)`, keeping any schema of the base name. */
export function mapTables(projection: AnyProjection, rename: (name: QualifiedName) => QualifiedName): TableNames {
  const mapping: Record<string, string> = {};
  for (const base of projection.tables) {
    const mapped = rename(splitQualified(base));
    assertIdentifier(mapped.table, `table name ${joinQualified(mapped)}`, MAX_IDENTIFIER_LENGTH);
    if (mapped.schema !== undefined)
      assertIdentifier(mapped.schema, `schema name ${mapped.schema}`, MAX_IDENTIFIER_LENGTH);
    mapping[base] = joinQualified(mapped);
  }
  return Object.freeze(mapping);
}

/** The mapped name of a base table; every base table a projection declares is in its mappings. */
export function mappedTable(tables: TableNames, base: string): string {
  const name = tables[base];
  if (name === undefined) throw new ProjectionDefinitionError(undefined, `table ${base} has no mapped name`);
  return name;
}

/** The tables the application queries. */
export function liveTables(projection: AnyProjection): TableNames {
  return mapTables(projection, (name) => name);
}

/** Where a rebuild writes before the swap: `<table>__rebuild` beside the live table. */
export function shadowTables(projection: AnyProjection): TableNames {
  return mapTables(projection, ({ schema, table }) => ({ schema, table: `${table}${SHADOW_SUFFIX}` }));
}

/** The same tables in another schema, e.g. for an as-of replay that must leave the live tables alone. */
export function tablesInSchema(projection: AnyProjection, schema: string): TableNames {
  return mapTables(projection, ({ table }) => ({ schema, table }));
}

/** The schemas named in a mapping (to create before a replay). */
export function schemasOf(tables: TableNames): string[] {
  return [
    ...new Set(
      Object.values(tables)
        .map((name) => splitQualified(name).schema)
        .filter((schema): schema is string => !!schema),
    ),
  ];
}

/** An index (or constraint) name derived from the mapped table, so a shadow copy gets its own. */
export function indexName(tableName: string, suffix: string): string {
  const name = `${splitQualified(tableName).table}_${suffix}`;
  assertIdentifier(name, `index name ${name}`, MAX_IDENTIFIER_LENGTH);
  return name;
}

export function validateProjection(projection: AnyProjection): void {
  if (!PROJECTION_NAME.test(projection.name)) {
    throw new ProjectionDefinitionError(projection.name, 'name must be lower-case letters, digits, "_", "-" or "."');
  }
  if (!Number.isSafeInteger(projection.version) || projection.version < 1) {
    throw new ProjectionDefinitionError(projection.name, 'version must be a positive integer');
  }
  if (projection.handles.length === 0) throw new ProjectionDefinitionError(projection.name, 'handles no event type');
  if (projection.tables.length === 0) throw new ProjectionDefinitionError(projection.name, 'owns no table');
  const seen = new Set<string>();
  for (const base of projection.tables) {
    const { schema, table } = splitQualified(base);
    if (
      !IDENTIFIER.test(table) ||
      table.length > MAX_BASE_LENGTH ||
      (schema !== undefined && !IDENTIFIER.test(schema))
    ) {
      throw new ProjectionDefinitionError(
        projection.name,
        `table ${base} must be a lower-case identifier of at most ${MAX_BASE_LENGTH} characters`,
      );
    }
    if (table.endsWith(SHADOW_SUFFIX) || table.endsWith(RETIRED_SUFFIX)) {
      throw new ProjectionDefinitionError(
        projection.name,
        `table ${base} must not end with ${SHADOW_SUFFIX} or ${RETIRED_SUFFIX}`,
      );
    }
    if (seen.has(base)) throw new ProjectionDefinitionError(projection.name, `table ${base} is listed twice`);
    seen.add(base);
  }
}

function assertIdentifier(name: string, what: string, maxLength: number): void {
  if (!IDENTIFIER.test(name) || name.length > maxLength)
    throw new ProjectionDefinitionError(undefined, `${what} is not a valid identifier`);
}
