import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import request from 'supertest';
import { mintDevelopmentToken } from '@helpline/auth';
import { createTestDatabase, dumpEmbedded, openEmbedded, testEngine, type Database } from '@helpline/database';
import { pseudonymise } from '@helpline/privacy';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { TEST_JWT_SECRET, testSettings } from '../support/test-settings';

/*
 * Erased means the caller is gone too: after a case's erasure nothing links it to the caller's number, neither
 * what the API answers (history, look-up by number) nor anything in the database (events, read models, a dump,
 * the data directory with its WAL). The pseudonym is sealed with the case's key from the start, so it is never
 * in the database in clear; the look-up still finds the cases of a number that are not erased.
 */

const operator = { sub: 'operator-7', role: 'operator' as const, lines: ['sostienimi'] };
const supervisor = { sub: 'supervisor-1', role: 'supervisor' as const, lines: ['sostienimi'] };
const NUMBER = '+39 333 246 8135';

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'person_concerned',
  ageBand: '30_40',
  gender: 'female',
  concern: 'cocaine',
  heardOfLine: 'web_search',
};

describe('erasing a case forgets its caller', () => {
  let app: INestApplication;
  let database: Database & { close(): Promise<void>; url?: string };
  let asOperator: string;
  let asSupervisor: string;
  const settings = testSettings();

  beforeAll(async () => {
    // On PGlite, a database of our own (not a test clone) so that its data directory can be copied.
    database =
      testEngine() === 'pglite'
        ? await openEmbedded({ loadDataDir: new Blob([readFileSync(process.env.HELPLINE_TEST_TEMPLATE!)]) })
        : await createTestDatabase();
    app = await createApiApp({ settings, database, bufferLogs: true });
    await app.init();
    asOperator = `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, operator)}`;
    asSupervisor = `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, supervisor)}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const http = () => request(app.getHttpServer());
  const openCase = async () =>
    (await http().post('/cases').set('Authorization', asOperator).send(firstContact).expect(201)).body.caseId as string;
  const requestCallback = async (caseId: string, number: string) =>
    (await http().post(`/cases/${caseId}/callbacks`).set('Authorization', asOperator).send({ number }).expect(201)).body
      .position as string;
  const casesOfNumber = async (number: string, waitFor: string) =>
    (
      (
        await http()
          .get(`/cases?callerNumber=${encodeURIComponent(number)}&waitFor=${waitFor}`)
          .set('Authorization', asOperator)
          .expect(200)
      ).body.items as Array<{ caseId: string }>
    )
      .map((item) => item.caseId)
      .sort();
  const erase = async (caseId: string) =>
    (
      await http()
        .post(`/cases/${caseId}/personal-data-erasure`)
        .set('Authorization', asSupervisor)
        .send({ reason: 'caller_request' })
        .expect(200)
    ).body.position as string;
  const returningCallerOf = async (caseId: string) => {
    const { rows } = await sql<{ data: { returningCaller?: boolean } }>`
      select data from events where stream_id = ${`case-${caseId}`} and event_type = 'CallbackRequested'`.execute(
      database.db,
    );
    return rows.map((row) => row.data.returningCaller);
  };

  it('finds the cases of a number until they are erased, and keeps nothing of the pseudonym anywhere', async () => {
    const pseudonym = pseudonymise(settings.pseudonymSecret, NUMBER);
    const erased = await openCase();
    const kept = await openCase();
    const other = await openCase();
    // The look-up that tells a returning caller reads a read model: the test lets it catch up first.
    expect(await casesOfNumber(NUMBER, await requestCallback(erased, NUMBER))).toEqual([erased]);
    await requestCallback(kept, '0039 333 2468135');
    const head = await requestCallback(other, '+39 02 1234 5678');
    expect(await casesOfNumber(NUMBER, head)).toEqual([erased, kept].sort());
    expect(await returningCallerOf(erased)).toEqual([false]);
    expect(await returningCallerOf(kept)).toEqual([true]);

    const afterErasure = await erase(erased);
    expect(await casesOfNumber(NUMBER, afterErasure)).toEqual([kept]);
    const history = await http().get(`/cases/${erased}/history`).set('Authorization', asOperator).expect(200);
    const callback = history.body.events.find((event: { type: string }) => event.type === 'CallbackRequested');
    expect(callback.data.number).toEqual({ value: null, erased: true });
    expect(Object.keys(callback.data)).not.toContain('callerPseudonym');
    expect(JSON.stringify(history.body)).not.toContain(pseudonym);

    // The line still knows the caller through the case that is not erased; once none is left, the caller is new.
    const again = await openCase();
    await casesOfNumber(NUMBER, await requestCallback(again, NUMBER));
    expect(await returningCallerOf(again)).toEqual([true]);
    await erase(kept);
    expect(await casesOfNumber(NUMBER, await erase(again))).toEqual([]);
    const fresh = await openCase();
    const last = await requestCallback(fresh, NUMBER);
    expect(await returningCallerOf(fresh)).toEqual([false]);
    expect(await casesOfNumber(NUMBER, last)).toEqual([fresh]);

    await sql`checkpoint`.execute(database.db);
    // Every row of every table (events, read models, keys, logs), as a dump would hold them.
    expect(await everyRowAsText(database)).not.toContain(pseudonym);
    const copies = await databaseCopies(database);
    for (const { name, bytes } of copies)
      expect({ name, found: bytes.includes(Buffer.from(pseudonym)) }).toEqual({ name, found: false });
  });
});

async function everyRowAsText(database: Database): Promise<string> {
  const tables = await sql<{ table_schema: string; table_name: string }>`
    select table_schema, table_name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`.execute(database.db);
  const parts: string[] = [];
  for (const { table_schema, table_name } of tables.rows) {
    const rows = await sql<{
      row: string;
    }>`select t::text as row from ${sql.table(`${table_schema}.${table_name}`)} t`.execute(database.db);
    parts.push(...rows.rows.map((row) => row.row));
  }
  return parts.join('\n');
}

/** What an attacker could copy: the embedded data directory (WAL included), or the server's when readable, and pg_dump. */
async function databaseCopies(database: Database & { url?: string }): Promise<Array<{ name: string; bytes: Buffer }>> {
  if (testEngine() === 'pglite') {
    return [{ name: 'data directory', bytes: Buffer.from(await (await dumpEmbedded(database)).arrayBuffer()) }];
  }
  const copies: Array<{ name: string; bytes: Buffer }> = [];
  const { data_directory, oid } = (
    await sql<{ data_directory: string; oid: string }>`
      select current_setting('data_directory') as data_directory, oid::text from pg_database
      where datname = current_database()`.execute(database.db)
  ).rows[0]!;
  // This database's files and the WAL, which every database of the server shares.
  const files = [join(data_directory, 'base', oid), join(data_directory, 'pg_wal')].map(filesUnder);
  if (files.includes(undefined))
    console.warn(`caller erasure test: ${data_directory} is not readable; checked the dump only`);
  for (const file of files.flat()) if (file) copies.push({ name: file, bytes: readFileSync(file) });
  try {
    copies.push({ name: 'pg_dump', bytes: execFileSync('pg_dump', [database.url!]) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    console.warn('caller erasure test: pg_dump is not on PATH');
  }
  return copies;
}

function filesUnder(folder: string): string[] | undefined {
  try {
    readdirSync(folder);
  } catch {
    return undefined;
  }
  const found: string[] = [];
  const visit = (path: string) => {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else if (stats?.isFile()) found.push(path);
  };
  visit(folder);
  return found;
}
