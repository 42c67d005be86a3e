import { sql } from 'kysely';
import { connectPostgres, testEngine, type Database } from '@helpline/database';
import { TestApp } from '../support/test-app';

const onServer = testEngine() === 'postgres';
if (!onServer) {
  process.stdout.write(
    '[skip] the database outage test needs a PostgreSQL server: set DATABASE_URL to run it (PGlite runs inside the process)\n',
  );
}
const describeOnServer = onServer ? describe : describe.skip;

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'media',
  ageBand: 'unknown',
  gender: 'not_stated',
  concern: 'not_stated',
  heardOfLine: 'not_stated',
};

/**
 * The database's sessions are terminated under load (as a restart or a failover does to them, and inside open
 * transactions): the API stays up, answers every command with its result or a 503 with Retry-After, never a 500,
 * and serves again by itself; every acknowledged command is in the log exactly once.
 */
describeOnServer('the API while its database sessions are terminated under load', () => {
  let app: TestApp;
  let admin: Database;
  let asOperator: string;

  beforeAll(async () => {
    app = await TestApp.start();
    admin = connectPostgres({ connectionString: app.database.url!, applicationName: 'helpline-test-admin' });
    asOperator = await app.bearer({ sub: 'operator-outage', role: 'operator', lines: ['sostienimi'] });
  });
  afterAll(async () => {
    await admin?.close();
    await app?.stop();
  });

  const terminateEverySession = () =>
    sql`select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()`.execute(admin.db);

  it('answers 2xx or 503 while sessions die, recovers alone, and keeps each acknowledged command once', async () => {
    const opened = await app.http().post('/cases').set('Authorization', asOperator).send(firstContact).expect(201);
    const caseId = opened.body.caseId as string;
    const send = (key: string) =>
      app
        .http()
        .post(`/cases/${caseId}/follow-up-contacts`)
        .set('Authorization', asOperator)
        .set('Idempotency-Key', key)
        .send({ channel: 'phone', direction: 'inbound' });

    const keys = Array.from({ length: 60 }, (_, index) => `outage-follow-up-${String(index).padStart(4, '0')}`);
    const killer = (async () => {
      for (let round = 0; round < 6; round++) {
        await new Promise((resolve) => setTimeout(resolve, 40));
        await terminateEverySession();
      }
    })();
    const first = await Promise.all(
      keys.map((key, index) => new Promise((r) => setTimeout(r, index * 5)).then(() => send(key))),
    );
    await killer;

    for (const answer of first) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    const acknowledged = first.filter((answer) => answer.status === 200).length;
    process.stdout.write(`[outage] ${acknowledged} of ${keys.length} acknowledged while sessions were terminated\n`);

    // Every client retries what it was not told had happened, with its key: each lands once.
    for (const key of keys) {
      let status = 0;
      for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
        status = (await send(key)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).toBe(200);
    }
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from events
       where stream_id = ${`case-${caseId}`} and event_type = 'FollowUpContactRecorded'`.execute(app.database.db);
    expect(rows[0]?.count).toBe(keys.length);
    await app.http().get('/health/ready').expect(200);
    await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator).expect(200);
  });
});
