import { sql } from 'kysely';
import type { AnyProjection, ProjectionTransaction, TableNames } from './projection';
import { mappedTable, RETIRED_SUFFIX, schemasOf, shadowTables, splitQualified } from './table-names';

/** Creates the schemas a mapping names (for replays into a schema of their own). */
export async function ensureSchemas(trx: ProjectionTransaction, tables: TableNames): Promise<void> {
  for (const schema of schemasOf(tables)) await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
}

export async function dropTables(trx: ProjectionTransaction, names: Iterable<string>): Promise<void> {
  for (const name of names) await sql`drop table if exists ${sql.table(name)}`.execute(trx);
}

/** Drops whatever is under the names, then lets the projection create its tables there. */
export async function recreateTables(
  trx: ProjectionTransaction,
  projection: AnyProjection,
  tables: TableNames,
): Promise<void> {
  await ensureSchemas(trx, tables);
  await dropTables(trx, Object.values(tables));
  await projection.createTables(trx, tables);
}

/** The names in the mapping under which a table (or view) already exists. */
export async function existingTables(trx: ProjectionTransaction, tables: TableNames): Promise<string[]> {
  const existing: string[] = [];
  for (const name of Object.values(tables)) {
    const { schema, table } = splitQualified(name);
    const qualified = schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
    const { rows } = await sql<{ found: string | null }>`select to_regclass(${qualified}::text)::text as found`.execute(
      trx,
    );
    if (rows[0]?.found) existing.push(name);
  }
  return existing;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Puts the shadow tables in place of the live ones, inside the caller's transaction: rename live → retired,
 * shadow → live, drop retired, then give the shadow's indexes, constraints and sequences the live names so the
 * next rebuild can create its shadow again. Tables the projection no longer declares are dropped.
 *
 * On a server, each rename takes an ACCESS EXCLUSIVE lock: a query already running finishes first, new ones
 * wait for the commit and then resolve the name again, to the new table.
 */
export async function swapInShadowTables(
  trx: ProjectionTransaction,
  projection: AnyProjection,
  previouslyOwned: readonly string[],
): Promise<void> {
  const shadow = shadowTables(projection);
  for (const base of projection.tables) {
    const live = splitQualified(base);
    const retired = { schema: live.schema, table: `${live.table}${RETIRED_SUFFIX}` };
    const shadowName = mappedTable(shadow, base);
    const shadowTable = splitQualified(shadowName).table;
    await sql`alter table if exists ${sql.table(base)} rename to ${sql.id(retired.table)}`.execute(trx);
    await sql`alter table ${sql.table(shadowName)} rename to ${sql.id(live.table)}`.execute(trx);
    await sql`drop table if exists ${sql.table(retired.schema ? `${retired.schema}.${retired.table}` : retired.table)}`.execute(
      trx,
    );
    await renameDerivedObjects(trx, live.schema, live.table, shadowTable);
  }
  const declared = new Set<string>(projection.tables);
  await dropTables(
    trx,
    previouslyOwned.filter((name) => !declared.has(name)),
  );
}

async function renameDerivedObjects(
  trx: ProjectionTransaction,
  schema: string | undefined,
  table: string,
  shadowTable: string,
): Promise<void> {
  const rename = (name: string) => name.replace(shadowTable, table);
  const target = sql`(select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relname = ${table} and n.nspname = coalesce(${schema ?? null}::text, current_schema()))`;
  const qualify = (name: string) => (schema ? sql.id(schema, name) : sql.id(name));

  // Renaming a constraint backed by an index (primary key, unique) renames the index with it.
  const constraints = await sql<{ conname: string }>`select conname from pg_constraint
    where conrelid = ${target} and strpos(conname, ${shadowTable}) > 0`.execute(trx);
  for (const { conname } of constraints.rows) {
    await sql`alter table ${qualify(table)} rename constraint ${sql.id(conname)} to ${sql.id(rename(conname))}`.execute(
      trx,
    );
  }
  const indexes = await sql<{
    relname: string;
  }>`select ic.relname from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where i.indrelid = ${target} and strpos(ic.relname, ${shadowTable}) > 0`.execute(trx);
  for (const { relname } of indexes.rows) {
    await sql`alter index ${qualify(relname)} rename to ${sql.id(rename(relname))}`.execute(trx);
  }
  const sequences = await sql<{ relname: string }>`select s.relname from pg_depend d join pg_class s on s.oid = d.objid
    where d.refobjid = ${target} and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
      and s.relkind = 'S' and strpos(s.relname, ${shadowTable}) > 0`.execute(trx);
  for (const { relname } of sequences.rows) {
    await sql`alter sequence ${qualify(relname)} rename to ${sql.id(rename(relname))}`.execute(trx);
  }
}

/** The tables of a mapping that are UNLOGGED (PostgreSQL empties those after a crash). */
export async function unloggedTables(trx: ProjectionTransaction, tables: TableNames): Promise<string[]> {
  const unlogged: string[] = [];
  for (const name of Object.values(tables)) {
    const { rows } = await sql<{ persistence: string | null }>`select relpersistence::text as persistence
      from pg_class where oid = to_regclass(${qualifiedText(name)}::text)`.execute(trx);
    if (rows[0]?.persistence === 'u') unlogged.push(name);
  }
  return unlogged;
}

/**
 * Turns tables (with their indexes) UNLOGGED or back. Writes to an unlogged table skip the WAL, which is most of
 * what filling a shadow costs the server; turning it logged writes the table to the WAL once, in one pass.
 */
export async function setLogged(trx: ProjectionTransaction, names: Iterable<string>, logged: boolean): Promise<void> {
  for (const name of names)
    await sql`alter table ${sql.table(name)} ${sql.raw(logged ? 'set logged' : 'set unlogged')}`.execute(trx);
}

function qualifiedText(name: string): string {
  const { schema, table } = splitQualified(name);
  return schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(table)}` : quoteIdentifier(table);
}
