import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface CapturedStatement {
  readonly text: string;
  readonly values: unknown[];
  /** From sending to the result, in ms (set when the statement completes). */
  ms?: number;
}

type QueryFn = (...args: unknown[]) => unknown;

let installed = false;
let statementCount = 0;
let recording: CapturedStatement[] | undefined;

/**
 * Counts (and, while `record` runs, records) every statement any pg Client in this process sends: the number
 * of round trips an operation costs is the first thing that limits it on a local server.
 */
export function countStatements(): void {
  if (installed) return;
  installed = true;
  const prototype = Client.prototype as unknown as { query: QueryFn };
  const original = prototype.query;
  prototype.query = function patchedQuery(this: unknown, ...args: unknown[]) {
    statementCount++;
    let captured: CapturedStatement | undefined;
    if (recording) {
      const [config, values] = args;
      if (typeof config === 'string') captured = { text: config, values: Array.isArray(values) ? values : [] };
      else if (config && typeof config === 'object' && 'text' in config) {
        const withText = config as { text: string; values?: unknown[] };
        captured = { text: withText.text, values: Array.isArray(values) ? values : (withText.values ?? []) };
      }
      if (captured) recording.push(captured);
    }
    const started = performance.now();
    const result = original.apply(this, args);
    if (captured && result instanceof Promise) {
      const statement = captured;
      result.then(
        () => (statement.ms = performance.now() - started),
        () => (statement.ms = performance.now() - started),
      );
    }
    return result;
  };
}

export function statementsSent(): number {
  return statementCount;
}

export async function record<T>(work: () => Promise<T>): Promise<{ result: T; statements: CapturedStatement[] }> {
  countStatements();
  const statements: CapturedStatement[] = [];
  recording = statements;
  try {
    return { result: await work(), statements };
  } finally {
    recording = undefined;
  }
}

export interface ExplainedStatement {
  readonly text: string;
  readonly executionMs: number;
  readonly walBytes: number;
  readonly walRecords: number;
  /** Full-page images: the first change to a page after a checkpoint writes the whole page to the WAL. */
  readonly walFullPages: number;
  readonly plan: string;
}

const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Runs the statements again under EXPLAIN (ANALYZE, BUFFERS, WAL) in one transaction that is rolled back,
 * with `replace` applied to their parameters (a new stream id) and every UUID parameter renewed (event ids are
 * unique), and `rewriteText` to their text (for libraries that inline values). Transaction control statements are
 * skipped; others run as they are.
 */
export async function explainStatements(
  connectionString: string,
  statements: readonly CapturedStatement[],
  replace: (value: unknown) => unknown = (v) => v,
  rewriteText: (text: string) => string = (text) => text,
): Promise<ExplainedStatement[]> {
  const client = new Client({ connectionString, application_name: 'helpline-bench-explain' });
  await client.connect();
  const explained: ExplainedStatement[] = [];
  try {
    // Every UUID the statements carry (event ids, also inside a JSON parameter; stream ids) gets a fresh one, the
    // same one wherever it appears, so the statements run again without colliding with the rows they wrote.
    const fresh = new Map<string, string>();
    const freshIds = (text: string) =>
      text.replace(UUID_ANYWHERE, (id) => {
        let replacement = fresh.get(id);
        if (!replacement) fresh.set(id, (replacement = randomUUID()));
        return replacement;
      });
    await client.query('begin');
    for (const statement of statements) {
      if (/^\s*(begin|commit|rollback|savepoint|release)/i.test(statement.text)) continue;
      const values = statement.values.map((value) => {
        const replaced = replace(value);
        return typeof replaced === 'string' ? freshIds(replaced) : replaced;
      });
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, buffers, wal, format text) ${freshIds(rewriteText(statement.text))}`,
        values,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      const execution = /Execution Time: ([\d.]+) ms/.exec(plan);
      let walBytes = 0;
      let walRecords = 0;
      let walFullPages = 0;
      // The top node's WAL line covers its children; take the first one.
      const wal = /WAL: records=(\d+)(?: fpi=(\d+))? bytes=(\d+)/.exec(plan);
      if (wal) {
        walRecords = Number(wal[1]);
        walFullPages = Number(wal[2] ?? 0);
        walBytes = Number(wal[3]);
      }
      explained.push({
        text: statement.text.replace(/\s+/g, ' ').trim(),
        executionMs: execution ? Number(execution[1]) : Number.NaN,
        walBytes,
        walRecords,
        walFullPages,
        plan,
      });
    }
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
  return explained;
}

/** EXPLAIN (ANALYZE, BUFFERS) of one read-only statement. */
export async function explainQuery(
  connectionString: string,
  text: string,
  values: readonly unknown[] = [],
): Promise<{ executionMs: number; plan: string }> {
  const client = new Client({ connectionString, application_name: 'helpline-bench-explain' });
  await client.connect();
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, format text) ${text}`, [
      ...values,
    ]);
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    const execution = /Execution Time: ([\d.]+) ms/.exec(plan);
    return { executionMs: execution ? Number(execution[1]) : Number.NaN, plan };
  } finally {
    await client.end();
  }
}
