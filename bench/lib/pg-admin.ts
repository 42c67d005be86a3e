import { readFileSync } from 'node:fs';
import { Client } from 'pg';

/** The local PostgreSQL server the benchmarks run against (databases named bench_* only). */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/';

const BENCH_NAME = /^bench_[a-z0-9_]{1,50}$/;

export function databaseUrl(name: string): string {
  checkName(name);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function checkName(name: string): void {
  if (!BENCH_NAME.test(name))
    throw new Error(`benchmark databases are named bench_<lower-case letters, digits, _>; got ${name}`);
}

export async function withAdmin<T>(work: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString(), application_name: 'helpline-bench-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function databaseExists(name: string): Promise<boolean> {
  checkName(name);
  return withAdmin(
    async (client) => (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
  );
}

export async function dropDatabase(name: string): Promise<void> {
  checkName(name);
  await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
}

/** Drops and creates the database (optionally as a copy of a template database). */
export async function freshDatabase(name: string, template?: string): Promise<string> {
  checkName(name);
  if (template) checkName(template);
  await withAdmin(async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  });
  return databaseUrl(name);
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (client) => (await client.query<{ v: string }>('select version() as v')).rows[0]!.v);
}

export async function serverSettings(names: readonly string[]): Promise<Record<string, string>> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [names],
    );
    return Object.fromEntries(rows.map((row) => [row.name, row.unit ? `${row.setting} (${row.unit})` : row.setting]));
  });
}

/** The PostgreSQL backends serving one database and application name (to read their CPU time from /proc). */
export async function backendPids(database: string, applicationName: string): Promise<number[]> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and application_name = $2',
      [database, applicationName],
    );
    return rows.map((row) => row.pid);
  });
}

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used, from /proc; 0 when it is gone or unreadable. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export function cpuSecondsOf(pids: readonly number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processCpuSeconds(pid)]));
}

/**
 * CPU seconds the backends used since `before`: those read then and still alive, plus those that connected
 * since (`pidsNow`, counted whole). A backend that exited in between is left out (its last seconds are lost).
 */
export function cpuDelta(before: Map<number, number>, pidsNow: readonly number[]): number {
  let total = 0;
  for (const pid of new Set([...before.keys(), ...pidsNow])) {
    const now = processCpuSeconds(pid);
    if (now === 0) continue;
    total += now - (before.get(pid) ?? 0);
  }
  return total;
}
