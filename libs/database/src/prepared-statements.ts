import { createHash } from 'node:crypto';
import type { PoolClient, QueryResult } from 'pg';

/** How many statements one connection keeps prepared; past it, new texts run unprepared. */
export const PREPARED_PER_CONNECTION = 500;
/**
 * Statements with more parameters than this run unprepared: they are the bulk writes of a batch (a multi-row
 * insert has one text per number of rows, each tens of kilobytes), whose texts rarely repeat and whose planning is
 * small beside their execution. Kept prepared, they filled the bound with one-off texts held in the process and
 * in the server's session (26 MB of texts in an as-of replay of a million events, growing until the bound).
 */
export const MAX_PREPARED_PARAMETERS = 100;

const PREPARABLE = /^\s*\(?\s*(select|insert|update|delete|with)\b/i;
const RESULT_TYPE_CHANGED = 'cached plan must not change result type';

interface PreparedState {
  readonly names: Map<string, string>;
  generation: number;
}

const states = new WeakMap<PoolClient, PreparedState>();

/**
 * Runs the client's parameterised statements as named prepared statements, so that PostgreSQL parses and plans a
 * statement text once per connection instead of on every execution. Kysely compiles the same text for the same
 * query shape, so the set of texts is small; it is bounded all the same, per connection.
 *
 * Measured (docs/benchmarks.md): the operator queue's statement (eight index branches in a UNION ALL) spent more
 * of PostgreSQL's CPU planning than executing; prepared, its throughput at 16 connections rose about 3×.
 *
 * Only statements with parameters are prepared (pg sends them by the extended protocol already; a text without
 * parameters may hold several statements, which a prepared statement cannot), and not bulk writes
 * (MAX_PREPARED_PARAMETERS). After a read model's tables are
 * swapped for a version with other columns, PostgreSQL refuses the old plan once ("cached plan must not change
 * result type"): that statement is then prepared again under a new name, and run again at once when it was not in
 * a transaction (inside one, the transaction has failed and its caller retries it).
 */
export function prepareStatementsOf(client: PoolClient): void {
  if (states.has(client)) return;
  const state: PreparedState = { names: new Map(), generation: 0 };
  states.set(client, state);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<QueryResult>;
  const prepared = (text: string, values: unknown[], retry = true): Promise<QueryResult> => {
    let name = state.names.get(text);
    if (name === undefined) {
      if (state.names.size >= PREPARED_PER_CONNECTION) return query(text, values);
      name = `k${state.generation}_${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
      state.names.set(text, name);
    }
    return query({ name, text, values }).catch((error: unknown) => {
      if (error instanceof Error && error.message.includes(RESULT_TYPE_CHANGED)) {
        state.names.delete(text);
        state.generation += 1;
        // Outside a transaction nothing else failed with it: run it again, prepared afresh.
        if (retry && transactionStatus(client) === 'I') return prepared(text, values, false);
      }
      throw error;
    });
  };
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      values.length <= MAX_PREPARED_PARAMETERS &&
      args.length === 2 &&
      PREPARABLE.test(text)
    )
      return prepared(text, values);
    return query(...args);
  };
}

function transactionStatus(client: PoolClient): string | null {
  const withStatus = client as PoolClient & { getTransactionStatus?: () => string | null };
  return withStatus.getTransactionStatus?.() ?? null;
}
