import { sql } from 'kysely';
import { connectPostgres, createTestDatabase, testEngine, type Database, type TestDatabase } from '@helpline/database';
import { MAX_PREPARED_PARAMETERS, PREPARED_PER_CONNECTION } from './prepared-statements';

const onServer = testEngine() === 'postgres';
if (!onServer) {
  process.stdout.write(
    '[skip] prepared statement tests need a PostgreSQL server: set DATABASE_URL to run them (PGlite is not reached through pg)\n',
  );
}
const describeOnServer = onServer ? describe : describe.skip;

describeOnServer('prepared statements on a PostgreSQL server', () => {
  let database: TestDatabase;
  let one: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so that every statement below meets the same session's prepared statements.
    one = connectPostgres({ connectionString: database.url!, maxConnections: 1 });
  });
  afterAll(async () => {
    await one?.close();
    await database?.close();
  });

  const preparedTexts = async (db: Database) =>
    (
      await sql<{
        statement: string;
      }>`select statement from pg_prepared_statements where statement not like '%pg_prepared_statements%'`.execute(
        db.db,
      )
    ).rows.map((row) => row.statement);

  it('prepares a parameterised statement once per connection and gives the same answers', async () => {
    for (const value of [1, 2, 3]) {
      const { rows } = await sql<{ doubled: number }>`select ${value}::int * 2 as doubled`.execute(one.db);
      expect(rows).toEqual([{ doubled: value * 2 }]);
    }
    const texts = await preparedTexts(one);
    expect(texts.filter((text) => text.includes('* 2 as doubled'))).toHaveLength(1);
  });

  it('leaves statements without parameters unprepared, several statements in one text included', async () => {
    await sql`create table several_a (a int); create table several_b (b int)`.execute(one.db);
    expect((await preparedTexts(one)).some((text) => text.includes('several_'))).toBe(false);
  });

  it('leaves bulk writes unprepared: a multi-row insert of each size would be a text of its own', async () => {
    await sql`create table bulk_rows (a int, b text)`.execute(one.db);
    const rowsOf = (count: number) => Array.from({ length: count }, (_, index) => ({ a: index, b: `row ${index}` }));
    // Two parameters a row: these exceed the bound; the small one stays under it and is prepared.
    for (const count of [MAX_PREPARED_PARAMETERS / 2 + 1, MAX_PREPARED_PARAMETERS, 3 * MAX_PREPARED_PARAMETERS])
      await one.db
        .insertInto('bulk_rows' as never)
        .values(rowsOf(count) as never)
        .execute();
    await one.db
      .insertInto('bulk_rows' as never)
      .values(rowsOf(3) as never)
      .execute();
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from bulk_rows`.execute(one.db);
    expect(rows[0]?.n).toBe(
      MAX_PREPARED_PARAMETERS / 2 + 1 + MAX_PREPARED_PARAMETERS + 3 * MAX_PREPARED_PARAMETERS + 3,
    );
    const bulk = (await preparedTexts(one)).filter((text) => text.includes('bulk_rows'));
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.match(/\$\d+/g)).toHaveLength(6);
  });

  it('prepares no more than its bound per connection, and runs the rest all the same', async () => {
    for (let index = 0; index < PREPARED_PER_CONNECTION + 20; index++) {
      const { rows } = await sql<{ n: number }>`select ${index}::int as n, ${sql.lit(index)} as literal`.execute(
        one.db,
      );
      expect(rows[0]?.n).toBe(index);
    }
    expect((await preparedTexts(one)).length).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
  });

  it('prepares again, under a new name, a statement whose table changed its columns', async () => {
    const fresh = connectPostgres({ connectionString: database.url!, maxConnections: 1 });
    try {
      await sql`create table swapped (a int)`.execute(fresh.db);
      await sql`insert into swapped values (1)`.execute(fresh.db);
      const read = () => sql<Record<string, number>>`select * from swapped where a = ${1}`.execute(fresh.db);
      expect((await read()).rows).toEqual([{ a: 1 }]);
      await sql`alter table swapped add column b int default 2`.execute(fresh.db);
      // Outside a transaction, PostgreSQL's refusal of the old plan is met by preparing the text afresh.
      expect((await read()).rows).toEqual([{ a: 1, b: 2 }]);

      // Inside one, the transaction has failed: the statement fails, and the transaction's retry succeeds.
      await sql`alter table swapped add column c int default 3`.execute(fresh.db);
      const inTransaction = () =>
        fresh.db
          .transaction()
          .execute((trx) => sql<Record<string, number>>`select * from swapped where a = ${1}`.execute(trx));
      await expect(inTransaction()).rejects.toThrow(/cached plan must not change result type/);
      expect((await inTransaction()).rows).toEqual([{ a: 1, b: 2, c: 3 }]);
    } finally {
      await fresh.close();
    }
  });

  it('can be turned off', async () => {
    const plain = connectPostgres({ connectionString: database.url!, maxConnections: 1, preparedStatements: false });
    try {
      await sql`select ${5}::int as plain_five`.execute(plain.db);
      expect((await preparedTexts(plain)).some((text) => text.includes('plain_five'))).toBe(false);
    } finally {
      await plain.close();
    }
  });
});
