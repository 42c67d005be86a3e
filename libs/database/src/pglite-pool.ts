import type { PGlite, Results } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

type Command = PostgresQueryResult<unknown>['command'];

/**
 * Presents one PGlite instance to kysely's own PostgresDialect as a pool of a single connection.
 * PGlite is one session, so a transaction must own it until it ends: `connect()` waits in turn.
 * (kysely-pglite is ESM-only and kysely-pglite-dialect does not declare PGlite 0.5; this adapter is
 * the few lines we need, and it reuses kysely's tested PostgreSQL driver for everything else.)
 */
export class PGlitePool implements PostgresPool {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly pglite: PGlite) {}

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    await previous;
    const pglite = this.pglite;
    let released = false;
    const client = {
      async query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
        const result: Results<R> = await pglite.query<R>(sql, [...parameters]);
        return { command: commandOf(sql), rowCount: result.affectedRows ?? 0, rows: result.rows };
      },
      release() {
        if (!released) {
          released = true;
          release();
        }
      },
    };
    return client as unknown as PostgresPoolClient;
  }

  async end(): Promise<void> {
    // The owner of the PGlite instance closes it (see Database.close).
  }
}

function commandOf(sql: string): Command {
  const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  switch (keyword) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
    case 'COMMIT':
    case 'ROLLBACK':
      return keyword;
    default:
      return 'SELECT';
  }
}
