import { sql } from 'kysely';
import { TestApp } from '../support/test-app';

const operator = { sub: 'operator-retries', role: 'operator' as const, lines: ['sostienimi'] };

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'family_or_acquaintance',
  ageBand: '40_50',
  gender: 'female',
  concern: 'cocaine',
  heardOfLine: 'web_search',
  occurredAt: '2026-11-24T10:15:00+01:00',
};

/** The same body with its fields in reverse order: a client library may serialise a retry differently. */
const reordered = Object.fromEntries(Object.entries(firstContact).reverse());

describe('retries and concurrent writers over HTTP', () => {
  let app: TestApp;
  let asOperator: string;

  beforeAll(async () => {
    app = await TestApp.start();
    asOperator = await app.bearer(operator);
  });
  afterAll(async () => {
    await app?.stop();
  });

  const casesOpenedByOperator = async () => {
    const { rows } = await sql<{ count: string }>`
      select count(*)::text as count from events
      where event_type = 'FirstContactRecorded' and metadata->>'actorId' = ${operator.sub}`.execute(app.database.db);
    return Number(rows[0]?.count);
  };

  it('answers 50 overlapping retries of POST /cases with one Idempotency-Key with the first answer, and opens one case', async () => {
    const before = await casesOpenedByOperator();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        app
          .http()
          .post('/cases')
          .set('Authorization', asOperator)
          .set('Idempotency-Key', 'overlapping-open-0001')
          .send(index % 2 === 0 ? firstContact : reordered),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    const withoutReplayFlag = answers.map(({ body }) => ({ ...body, replayed: undefined }));
    expect(new Set(withoutReplayFlag.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(answers.filter(({ body }) => body.replayed === false)).toHaveLength(1);
    expect(answers[0]!.body.caseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await casesOpenedByOperator()).toBe(before + 1);
  });

  it('still refuses the key for a different body, with 422', async () => {
    await app
      .http()
      .post('/cases')
      .set('Authorization', asOperator)
      .set('Idempotency-Key', 'overlapping-open-0002')
      .send(firstContact)
      .expect(201);
    const reused = await app
      .http()
      .post('/cases')
      .set('Authorization', asOperator)
      .set('Idempotency-Key', 'overlapping-open-0002')
      .send({ ...firstContact, concern: 'alcohol' })
      .expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('never tells 32 concurrent writers without If-Match that their version is stale', async () => {
    const opened = await app.http().post('/cases').set('Authorization', asOperator).send(firstContact).expect(201);
    const caseId = opened.body.caseId as string;
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, index) =>
        app
          .http()
          .post(`/cases/${caseId}/follow-up-contacts`)
          .set('Authorization', asOperator)
          .send({ channel: 'phone', direction: index % 2 === 0 ? 'inbound' : 'outbound' }),
      ),
    );
    for (const answer of answers) {
      expect(answer.body.code).not.toBe('STALE_VERSION');
      const acceptable =
        (answer.status >= 200 && answer.status < 300) ||
        (answer.status >= 400 && answer.status < 500 && answer.status !== 409) ||
        (answer.status === 503 && answer.headers['retry-after'] !== undefined);
      expect({ status: answer.status, acceptable }).toEqual({ status: answer.status, acceptable: true });
    }
    const succeeded = answers.filter((answer) => answer.status === 200).length;
    expect(succeeded).toBeGreaterThan(0);
    // Nothing acknowledged was lost: the case grew by exactly one event per success.
    const view = await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator).expect(200);
    expect(view.body.version).toBe(1 + succeeded);
  });
});
