import { TestApp } from '../support/test-app';

const firstContact = {
  lineId: 'sostienimi',
  channel: 'phone',
  callerType: 'media',
  ageBand: 'unknown',
  gender: 'not_stated',
  concern: 'not_stated',
  heardOfLine: 'not_stated',
};

describe("the caller's feedback on the service", () => {
  let app: TestApp;
  let asOperator: string;

  beforeAll(async () => {
    app = await TestApp.start();
    asOperator = await app.bearer({ sub: 'operator-feedback', role: 'operator', lines: ['sostienimi'] });
  });
  afterAll(async () => app?.stop());

  const post = (path: string, body: object) => app.http().post(path).set('Authorization', asOperator).send(body);

  it('is recorded on a closed case without reopening it, and refuses a rating outside the vocabulary', async () => {
    const caseId = (await post('/cases', firstContact).expect(201)).body.caseId as string;
    await post(`/cases/${caseId}/closure`, { outcome: 'information_given' }).expect(200);
    const recorded = await post(`/cases/${caseId}/caller-feedback`, { rating: 'satisfied' }).expect(200);
    expect(recorded.body.events.map((event: { type: string }) => event.type)).toEqual(['CallerFeedbackRecorded']);
    const view = await app.http().get(`/cases/${caseId}`).set('Authorization', asOperator).expect(200);
    expect(view.body.status).toBe('closed');
    const refused = await post(`/cases/${caseId}/caller-feedback`, { rating: 'ecstatic' }).expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'rating' })]);
  });
});
