import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import request from 'supertest';
import { mintDevelopmentToken, type Role } from '@helpline/auth';
import { createTestDatabase, dumpEmbedded, openEmbedded, testEngine, type Database } from '@helpline/database';
import { FileKeyStore } from '@helpline/privacy';
import { createApiApp } from '../../apps/api/src/bootstrap';
import {
  filesUnder,
  occurrencesIn,
  readFiles,
  unwrapWithEverySecretHeld,
} from '../../libs/privacy/src/testing/remanence';
import { TEST_JWT_SECRET, testSettings } from '../support/test-settings';

/*
 * Erased means gone for a safety-protocol record too: the area director erases a request, which erases its emergency
 * record with it. Afterwards the API shows that the personal data were erased (and still the dates, steps and
 * answers), and nothing an attacker could copy (a backup taken before the erasure, the data directory with its WAL
 * after a CHECKPOINT, a dump) holds a key that any secret the service still holds unwraps.
 */

jest.setTimeout(120_000);

const UNIT = 'unit-municipio-4';
const users = {
  worker: { sub: 'sw-erasure', role: 'social_worker', unitId: UNIT },
  officer: { sub: 'po-erasure', role: 'unit_officer', unitId: UNIT },
  liaison: { sub: 'pl-erasure', role: 'police_liaison' },
  operations: { sub: 'co-erasure', role: 'police_operations' },
  director: { sub: 'dir-erasure', role: 'area_director' },
  supervisor: { sub: 'sup-erasure', role: 'supervisor', lines: ['sostienimi'] },
  admin: { sub: 'admin-erasure', role: 'admin' },
} satisfies Record<string, { sub: string; role: Role; unitId?: string; lines?: string[] }>;
type UserName = keyof typeof users;

const PLANTED = {
  serviceUser: 'Ermenegilda Cancellati, nata il 02/02/1952',
  address: 'Via delle Cancellazioni 17, Milano',
  factsSummary: 'Ha minacciato la collega Dimenticati con un bastone',
  question: 'Risultano precedenti per minacce aggravate?',
  information: 'Segnalata nel 2023 dal vicino Obliati',
  location: 'Pianerottolo del terzo piano, scala B',
};

const HOUR = 3_600_000;
const at = (millis: number) => new Date(millis).toISOString();

interface SubjectKeyRow {
  subject_id: string;
  key_id: string | null;
  wrapped_key: Buffer | null;
}

describe("erasing a safety record's personal data", () => {
  let app: INestApplication;
  let database: Database & { close(): Promise<void>; url?: string };
  const settings = testSettings();
  const bearer = new Map<UserName, string>();

  beforeAll(async () => {
    // On PGlite, a database of our own (not a test clone) so that its data directory can be copied.
    database =
      testEngine() === 'pglite'
        ? await openEmbedded({ loadDataDir: new Blob([readFileSync(process.env.HELPLINE_TEST_TEMPLATE!)]) })
        : await createTestDatabase();
    app = await createApiApp({ settings, database, bufferLogs: true });
    await app.init();
    for (const [name, user] of Object.entries(users) as Array<[UserName, (typeof users)[UserName]]>) {
      bearer.set(name, `Bearer ${await mintDevelopmentToken(TEST_JWT_SECRET, user)}`);
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const http = () => request(app.getHttpServer());
  const post = (as: UserName, path: string, body: object = {}) =>
    http().post(path).set('Authorization', bearer.get(as)!).send(body);
  const get = (as: UserName, path: string) => http().get(path).set('Authorization', bearer.get(as)!);

  /** A request drafted, sent, questioned and answered, whose meeting had an incident: a request and an emergency. */
  async function recordWithEmergency(): Promise<{ requestId: string; emergencyId: string }> {
    const now = Date.now();
    const meetingAt = now - 24 * HOUR;
    const requestId = (
      await post('worker', '/safety/requests', {
        meetingAt: at(meetingAt),
        address: PLANTED.address,
        serviceUser: PLANTED.serviceUser,
        factsSummary: PLANTED.factsSummary,
        risk: 'high',
        occurredAt: at(now - 100 * HOUR),
      }).expect(201)
    ).body.requestId as string;
    await post('officer', `/safety/requests/${requestId}/sending`, { occurredAt: at(now - 90 * HOUR) }).expect(200);
    await post('liaison', `/safety/requests/${requestId}/information-requests`, {
      question: PLANTED.question,
      occurredAt: at(now - 80 * HOUR),
    }).expect(200);
    await post('worker', `/safety/requests/${requestId}/information`, {
      information: PLANTED.information,
      occurredAt: at(now - 79 * HOUR),
    }).expect(200);
    const outcome = await post('worker', `/safety/requests/${requestId}/meeting-outcome`, {
      outcome: 'incident',
      incidentKind: 'threat',
      startedAt: at(meetingAt + HOUR),
      colleaguesCalled: false,
      location: PLANTED.location,
      occurredAt: at(meetingAt + 2 * HOUR),
    }).expect(200);
    return { requestId, emergencyId: outcome.body.emergency.emergencyId as string };
  }

  const subjectsOf = (record: { requestId: string; emergencyId: string }) => [
    `safety-request-${record.requestId}`,
    `safety-emergency-${record.emergencyId}`,
  ];

  async function subjectKeys(subjects: readonly string[]): Promise<SubjectKeyRow[]> {
    const { rows } = await sql<SubjectKeyRow>`
      select subject_id, key_id, wrapped_key from subject_keys where subject_id in (${sql.join(subjects)})`.execute(
      database.db,
    );
    return rows.map((row) => ({ ...row, wrapped_key: row.wrapped_key && Buffer.from(row.wrapped_key) }));
  }

  const keyStore = () => new FileKeyStore(settings.keyStoreDir, settings.masterKey);
  const masterKey = () => settings.masterKey.toString('base64');

  it('is given by the area director only, and refuses a bad reason, writing nothing', async () => {
    const record = await recordWithEmergency();
    for (const other of ['worker', 'officer', 'liaison', 'operations', 'supervisor', 'admin'] as const) {
      const refused = await post(other, `/safety/requests/${record.requestId}/personal-data-erasure`, {
        reason: 'data_subject_request',
      }).expect(403);
      expect(refused.body.code).toBe('FORBIDDEN_ROLE');
      await post(other, `/safety/emergencies/${record.emergencyId}/personal-data-erasure`, {
        reason: 'data_subject_request',
      }).expect(403);
    }
    for (const body of [{}, { reason: 'bored' }, { reason: 'other', occurredAt: 'yesterday' }]) {
      const bad = await post('director', `/safety/requests/${record.requestId}/personal-data-erasure`, body).expect(
        400,
      );
      expect(JSON.stringify(bad.body)).toMatch(/reason|occurredAt/);
    }
    await post('director', '/safety/requests/not-a-uuid/personal-data-erasure', { reason: 'other' }).expect(400);
    const view = (await get('director', `/safety/requests/${record.requestId}`).expect(200)).body;
    expect(view.personalDataErasedAt).toBeNull();
    expect(view.personalData.serviceUser).toEqual({ value: PLANTED.serviceUser, erased: false });
    expect((await subjectKeys(subjectsOf(record))).every((row) => row.wrapped_key !== null)).toBe(true);
  });

  it('erases the request and its emergency once: a retry with the same key gets the first answer, another erasure 409', async () => {
    const record = await recordWithEmergency();
    const erase = () =>
      post('director', `/safety/requests/${record.requestId}/personal-data-erasure`, {
        reason: 'data_subject_request',
      }).set('Idempotency-Key', `erase-${record.requestId}`);
    const first = await erase().expect(200);
    expect(first.body).toMatchObject({
      requestId: record.requestId,
      events: [{ type: 'SafetyRequestPersonalDataErased' }],
      replayed: false,
      emergency: { emergencyId: record.emergencyId, events: [{ type: 'SafetyEmergencyPersonalDataErased' }] },
    });
    const retried = await erase().expect(200);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toMatchObject({
      version: first.body.version,
      emergency: { version: first.body.emergency.version },
    });
    const again = await post('director', `/safety/requests/${record.requestId}/personal-data-erasure`, {
      reason: 'other',
    }).expect(409);
    expect(again.body.code).toBe('PERSONAL_DATA_ERASED');
    const fromEmergency = await post('director', `/safety/emergencies/${record.emergencyId}/personal-data-erasure`, {
      reason: 'other',
    }).expect(409);
    expect(fromEmergency.body.code).toBe('PERSONAL_DATA_ERASED');

    // After erasure nothing personal is accepted; steps without personal data go on.
    const question = await post('liaison', `/safety/requests/${record.requestId}/information-requests`, {
      question: 'still there?',
    }).expect(409);
    expect(question.body.code).toBe('PERSONAL_DATA_ERASED');
  });

  it('shows the erasure in every read, logs the reads, and leaves nothing in a backup or the data directory that opens', async () => {
    const record = await recordWithEmergency();
    const subjects = subjectsOf(record);
    const keysBefore = await subjectKeys(subjects);
    expect(keysBefore.map((row) => row.subject_id).sort()).toEqual([...subjects].sort());
    // The backup taken before the erasure: the keys' rows as a dump holds them, and the whole data directory.
    const backup = [
      { name: 'subject_keys rows', bytes: Buffer.concat(keysBefore.map((row) => row.wrapped_key!)) },
      ...(await databaseCopies(database)),
    ];
    // Before the erasure the backup's bytes do unwrap: the test's unwrapping works.
    for (const row of keysBefore) {
      expect(
        await unwrapWithEverySecretHeld(masterKey(), keyStore(), row.subject_id, row.key_id!, row.wrapped_key!),
      ).toHaveLength(1);
    }

    const erased = await post('director', `/safety/emergencies/${record.emergencyId}/personal-data-erasure`, {
      reason: 'retention_policy',
    }).expect(200);
    expect(erased.body.events).toEqual([{ type: 'SafetyEmergencyPersonalDataErased', version: expect.any(Number) }]);

    const requestView = (await get('director', `/safety/requests/${record.requestId}`).expect(200)).body;
    expect(requestView).toMatchObject({ status: 'concluded', outcome: 'incident', incidentKind: 'threat' });
    expect(requestView.personalDataErasedAt).toEqual(expect.any(String));
    expect(requestView.personalData).toMatchObject({
      serviceUser: { value: null, erased: true },
      address: { value: null, erased: true },
      factsSummary: { value: null, erased: true },
    });
    expect(requestView.personalData.exchanges.map((e: { text: unknown }) => e.text)).toEqual([
      { value: null, erased: true },
      { value: null, erased: true },
    ]);
    const emergencyView = (await get('liaison', `/safety/emergencies/${record.emergencyId}`).expect(200)).body;
    expect(emergencyView.personalDataErasedAt).toEqual(expect.any(String));
    expect(emergencyView.personalData.location).toEqual({ value: null, erased: true });
    expect(emergencyView.kind).toBe('threat');
    const leaks = Object.values(PLANTED).filter((value) =>
      JSON.stringify([requestView, emergencyView]).includes(value),
    );
    expect(leaks).toEqual([]);

    const register = (await get('director', `/safety/register?waitFor=${erased.body.position}`).expect(200)).body;
    const rows = register.items.filter((item: { id: string }) =>
      [record.requestId, record.emergencyId].includes(item.id),
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.personalDataErasedAt).toEqual(expect.any(String));

    // Who read the erased record is logged like any read.
    const log = (await get('director', `/safety/access-log?recordId=${record.requestId}`).expect(200)).body;
    expect(log.entries[0]).toMatchObject({
      recordKind: 'request',
      actorId: users.director.sub,
      actorRole: 'area_director',
    });

    // Every wrapped key of the record, wherever the database left it, with every secret the service still holds.
    await sql`checkpoint`.execute(database.db);
    const after = await databaseCopies(database);
    for (const row of keysBefore) {
      let copiesFound = 0;
      for (const { bytes } of [...backup, ...after]) {
        for (const found of occurrencesIn(bytes, row.wrapped_key!)) {
          copiesFound += 1;
          expect(await unwrapWithEverySecretHeld(masterKey(), keyStore(), row.subject_id, row.key_id!, found)).toEqual(
            [],
          );
        }
      }
      // The backup holds the old bytes: the check above did look at them.
      expect(copiesFound).toBeGreaterThan(0);
    }
    expect((await subjectKeys(subjects)).map((row) => row.wrapped_key)).toEqual([null, null]);
    for (const { name, bytes } of after) {
      const planted = Object.values(PLANTED).filter((value) => bytes.includes(Buffer.from(value)));
      expect({ name, planted }).toEqual({ name, planted: [] });
    }
  });
});

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
  const files = [join(data_directory, 'base', oid), join(data_directory, 'pg_wal')].map(filesUnder);
  if (files.includes(undefined))
    console.warn(`safety erasure test: ${data_directory} is not readable; checked the dump`);
  copies.push(...readFiles(files.flatMap((list) => list ?? [])));
  try {
    copies.push({ name: 'pg_dump', bytes: execFileSync('pg_dump', [database.url!], { maxBuffer: 1 << 30 }) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    console.warn('safety erasure test: pg_dump is not on PATH');
  }
  return copies;
}
