import { sql } from 'kysely';
import {
  connectPostgres,
  createTestDatabase,
  isDatabaseUnavailable,
  testEngine,
  TestDatabase,
} from '@helpline/database';

const onServer = testEngine() === 'postgres';
if (!onServer) {
  process.stdout.write(
    '[skip] database restart tests need a PostgreSQL server: set DATABASE_URL to run them (PGlite has no backends to terminate)\n',
  );
}
const describeOnServer = onServer ? describe : describe.skip;

const backendPid = async (run: (query: ReturnType<typeof sql>) => Promise<{ rows: unknown[] }>) =>
  (await run(sql`select pg_backend_pid() as pid`)).rows[0] as { pid: number };

/**
 * A restart, a failover or one terminated backend must not take the process down: the statement that meets it
 * fails with an error the callers recognise as "the database is away", and the next one runs on a new connection.
 */
describeOnServer('a terminated database session', () => {
  let database: TestDatabase;
  let admin: ReturnType<typeof connectPostgres>;

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = connectPostgres({ connectionString: database.url!, applicationName: 'helpline-test-admin' });
  });
  afterAll(async () => {
    await admin?.close();
    await database?.close();
  });

  const terminate = (pid: number) => sql`select pg_terminate_backend(${pid})`.execute(admin.db);

  it('inside a transaction fails that transaction as unavailable, and the process and the pool go on', async () => {
    const outcome = database.db
      .transaction()
      .execute(async (transaction) => {
        const { pid } = await backendPid((query) => query.execute(transaction));
        await terminate(pid);
        // The server's goodbye reaches the checked-out client between two statements.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(transaction);
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(error)).toBe(true);
    const after = await sql<{ answer: number }>`select 42 as answer`.execute(database.db);
    expect(after.rows[0]?.answer).toBe(42);
  });

  it('while idle in the pool is replaced by a new connection', async () => {
    const { pid } = await backendPid((query) => query.execute(database.db));
    await terminate(pid);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => sql<{ answer: number }>`select 7 as answer`.execute(database.db)),
    );
    expect(answers.map((answer) => answer.rows[0]?.answer)).toEqual([7, 7, 7, 7, 7]);
  });

  it('listens again after its LISTEN session is terminated, and says it may have missed something', async () => {
    const heard: string[] = [];
    const unlisten = await database.listen('restart_test', (payload) => heard.push(payload));
    try {
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
                 where datname = current_database() and query ilike 'LISTEN%'`.execute(admin.db);
      for (let waited = 0; !heard.includes('') && waited < 10_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toContain('');
      await sql`select pg_notify('restart_test', 'after')`.execute(admin.db);
      for (let waited = 0; !heard.includes('after') && waited < 5_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toContain('after');
    } finally {
      await unlisten();
    }
  });

  it('recognises an unreachable server as unavailable, within the connection timeout', async () => {
    const unreachable = connectPostgres({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 1_000,
    });
    try {
      const error = await sql`select 1`.execute(unreachable.db).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await unreachable.close();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it('tells the database being away from a statement being wrong', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('wrapped', { cause: new Error('Connection terminated unexpectedly') })),
    ).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('unique'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
