import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Response } from 'supertest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mintDevelopmentToken } from '@helpline/auth';
import { connectPostgres, createTestDatabase, testEngine, type Database, type TestDatabase } from '@helpline/database';
import { CuttableProxy } from '../support/cuttable-proxy';
import { repositoryRoot } from '../support/infra-files';
import { freePort } from '../support/free-port';
import { TestApp } from '../support/test-app';
import { TEST_JWT_SECRET } from '../support/test-settings';

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
/** Every session of the test's database but the caller's: as a server restart or a failover ends them. */
const terminateEverySession = async (admin: Database): Promise<string[]> => {
  const { rows } = await sql<{ application: string; terminated: boolean }>`
    select application_name as application, pg_terminate_backend(pid) as terminated from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid()`.execute(admin.db);
  return rows.filter((row) => row.terminated).map((row) => row.application);
};

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

  it('answers 2xx or 503 while sessions die, recovers alone, and keeps each acknowledged command once', async () => {
    const opened = await app.http().post('/cases').set('Authorization', asOperator).send(firstContact).expect(201);
    const caseId = opened.body.caseId as string;
    const send = followUpSender(app, caseId, asOperator);

    const keys = Array.from({ length: 60 }, (_, index) => `outage-follow-up-${String(index).padStart(4, '0')}`);
    const killer = (async () => {
      for (let round = 0; round < 6; round++) {
        await new Promise((resolve) => setTimeout(resolve, 40));
        await terminateEverySession(admin);
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

/**
 * The same, with the projections in their own process (the deployment of infra/compose.yaml): the projector's
 * sessions die with the API's, and it stays up, keeps answering /health, and catches up with the log by itself.
 */
describeOnServer('a separate projector while its database sessions are terminated under load', () => {
  let app: TestApp;
  let admin: Database;
  let asOperator: string;
  let projector: ChildProcess;
  let projectorPort: number;
  let projectorErrors = '';

  beforeAll(async () => {
    // What `npm install` and `npm start:projector` do first: build dist/ when the sources changed.
    execFileSync(process.execPath, [join(repositoryRoot, 'scripts', 'build.cjs'), '--quiet'], { cwd: repositoryRoot });
    app = await TestApp.start({ projectionsInProcess: false });
    admin = connectPostgres({ connectionString: app.database.url!, applicationName: 'helpline-test-admin' });
    asOperator = await app.bearer({ sub: 'operator-outage', role: 'operator', lines: ['sostienimi'] });
    projectorPort = await freePort();
    projector = spawn(process.execPath, [join(repositoryRoot, 'dist', 'apps', 'projector', 'src', 'main.js')], {
      cwd: repositoryRoot,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        LOG_LEVEL: 'error',
        DATABASE_URL: app.database.url!,
        AUTH_JWT_SECRET: TEST_JWT_SECRET,
        MASTER_KEY: app.settings.masterKey.toString('base64'),
        PSEUDONYM_SECRET: app.settings.pseudonymSecret,
        KEY_STORE_DIR: app.settings.keyStoreDir,
        PROJECTOR_PORT: String(projectorPort),
        INSTANCE_ID: 'projector-outage',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    projector.stderr?.on('data', (chunk: Buffer) => (projectorErrors += chunk.toString()));
    await until(() => status(`http://127.0.0.1:${projectorPort}/health/ready`).then((code) => code === 200), 60_000);
  });
  afterAll(async () => {
    if (projector && projector.exitCode === null) {
      const exited = new Promise((resolve) => projector.once('exit', resolve));
      projector.kill('SIGTERM');
      await exited;
    }
    await admin?.close();
    await app?.stop();
  });

  it('keeps the projector up through the terminations; it projects every acknowledged command by itself', async () => {
    const opened = await app.http().post('/cases').set('Authorization', asOperator).send(firstContact).expect(201);
    const caseId = opened.body.caseId as string;
    const keys = Array.from({ length: 40 }, (_, index) => `projector-outage-${String(index).padStart(4, '0')}`);
    const send = followUpSender(app, caseId, asOperator);

    const projectorAnswers: number[] = [];
    const terminated: string[] = [];
    const killer = (async () => {
      for (let round = 0; round < 6; round++) {
        await new Promise((resolve) => setTimeout(resolve, 60));
        terminated.push(...(await terminateEverySession(admin)));
        projectorAnswers.push(await status(`http://127.0.0.1:${projectorPort}/health`));
      }
    })();
    await Promise.all(keys.map((key, index) => new Promise((r) => setTimeout(r, index * 8)).then(() => send(key))));
    await killer;
    expect(terminated).toContain('helpline-projector');
    expect(projectorAnswers).toEqual(projectorAnswers.map(() => 200));
    expect(projector.exitCode).toBeNull();

    for (const key of keys) await sendUntilAcknowledged(() => send(key));
    const last = await sendUntilAcknowledged(() => send('projector-outage-after'));

    // The projector (not the API: it projects nothing here) brings the operator's queue up to the last command.
    let caughtUp = false;
    for (let attempt = 0; attempt < 12 && !caughtUp; attempt++) {
      const mine = await app
        .http()
        .get('/queues/mine')
        .query({ waitFor: last.body.position })
        .set('Authorization', asOperator)
        .expect(200);
      caughtUp = mine.body.caughtUp === true;
    }
    expect(caughtUp).toBe(true);
    expect(projector.exitCode).toBeNull();
    expect(projectorErrors).not.toMatch(/Unhandled|uncaught/i);
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from events
       where stream_id = ${`case-${caseId}`} and event_type = 'FollowUpContactRecorded'`.execute(app.database.db);
    expect(rows[0]?.count).toBe(keys.length + 1);
  });
});

/**
 * The database server away (stopped, unreachable: here a proxy in front of it that refuses connections), with the
 * API and the projector as the processes `npm start` and `npm run start:projector` run: both stay up, say they
 * are not ready, the API answers commands 503 with Retry-After; once it is back they serve and project again by
 * themselves.
 */
describeOnServer('the API and the projector processes while their database server is away', () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  const started: ChildProcess[] = [];
  let apiPort: number;
  let projectorPort: number;
  let asOperator: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(repositoryRoot, 'scripts', 'build.cjs'), '--quiet'], { cwd: repositoryRoot });
    database = await createTestDatabase();
    const server = new URL(database.url!);
    proxy = await CuttableProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const environment = {
      DATABASE_URL: proxy.url(database.url!),
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      MASTER_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_SECRET: 'outage-pseudonym-secret-long-enough-0123456789',
      KEY_STORE_DIR: mkdtempSync(join(tmpdir(), 'helpline-outage-keys-')),
      PROJECTIONS_IN_PROCESS: 'false',
    };
    apiPort = await freePort();
    projectorPort = await freePort();
    started.push(startFromBuild('api', { ...environment, PORT: String(apiPort), INSTANCE_ID: 'api-away' }));
    started.push(
      startFromBuild('projector', {
        ...environment,
        PROJECTOR_PORT: String(projectorPort),
        INSTANCE_ID: 'projector-away',
      }),
    );
    await until(() => status(`http://127.0.0.1:${apiPort}/health/ready`).then((code) => code === 200), 60_000);
    await until(() => status(`http://127.0.0.1:${projectorPort}/health/ready`).then((code) => code === 200), 60_000);
    asOperator = `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, { sub: 'operator-away', role: 'operator', lines: ['sostienimi'] })}`;
  });
  afterAll(async () => {
    await Promise.all(started.map(stopChild));
    await proxy?.stop();
    await database?.close();
  });

  const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
    fetch(`http://127.0.0.1:${apiPort}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: asOperator,
        'Content-Type': 'application/json',
        ...(init.key ? { 'Idempotency-Key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  it('keeps both up and not ready, answers commands 503 with Retry-After, and both recover by themselves', async () => {
    const opened = await api('/cases', { method: 'POST', body: firstContact });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const followUp = () =>
      api(`/cases/${caseId}/follow-up-contacts`, {
        method: 'POST',
        key: 'while-away-0001',
        body: { channel: 'phone', direction: 'inbound' },
      });

    await proxy.cut();
    const whileAway = await followUp();
    expect(whileAway.status).toBe(503);
    expect(Number(whileAway.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api(`/cases/${caseId}`)).status).toBe(503);
    expect(await status(`http://127.0.0.1:${apiPort}/health`)).toBe(200);
    expect(await status(`http://127.0.0.1:${apiPort}/health/ready`)).toBe(503);
    expect(await status(`http://127.0.0.1:${projectorPort}/health`)).toBe(200);
    expect(await status(`http://127.0.0.1:${projectorPort}/health/ready`)).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // the projector's retries meet the closed door
    expect(started.map((child) => child.exitCode)).toEqual([null, null]);

    await proxy.restore();
    await until(() => status(`http://127.0.0.1:${apiPort}/health/ready`).then((code) => code === 200), 60_000);
    await until(() => status(`http://127.0.0.1:${projectorPort}/health/ready`).then((code) => code === 200), 60_000);
    let answer = await followUp();
    for (let attempt = 0; attempt < 40 && answer.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await followUp();
    }
    expect(answer.status).toBe(200);
    const { position } = (await answer.json()) as { position: string };
    let caughtUp = false;
    for (let attempt = 0; attempt < 12 && !caughtUp; attempt++) {
      const mine = await api(`/queues/mine?waitFor=${encodeURIComponent(position)}`);
      expect(mine.status).toBe(200);
      caughtUp = ((await mine.json()) as { caughtUp: boolean }).caughtUp;
    }
    expect(caughtUp).toBe(true);
    expect(started.map((child) => child.exitCode)).toEqual([null, null]);
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from events
       where stream_id = ${`case-${caseId}`} and event_type = 'FollowUpContactRecorded'`.execute(database.db);
    expect(rows[0]?.count).toBe(1);
  });
});

function startFromBuild(app: 'api' | 'projector', environment: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(repositoryRoot, 'dist', 'apps', app, 'src', 'main.js')], {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'error', ...environment },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A follow-up contact on the case, sent with its Idempotency-Key: a retry with the same key lands once. */
function followUpSender(app: TestApp, caseId: string, authorization: string) {
  return (key: string) =>
    app
      .http()
      .post(`/cases/${caseId}/follow-up-contacts`)
      .set('Authorization', authorization)
      .set('Idempotency-Key', key)
      .send({ channel: 'phone', direction: 'inbound' });
}

async function sendUntilAcknowledged(send: () => Promise<Response>): Promise<Response> {
  let answer = await send();
  for (let attempt = 0; attempt < 40 && answer.status !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    answer = await send();
  }
  expect(answer.status).toBe(200);
  return answer;
}

function status(url: string): Promise<number> {
  return fetch(url).then(
    (response) => response.status,
    () => 0,
  );
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
