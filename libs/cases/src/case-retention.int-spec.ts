import { randomUUID } from 'node:crypto';
import type { LineId } from '@helpline/domain';
import { CaseRetention } from './case-retention';
import { caseStreamId } from './case-stream.repository';
import { casesOnTestDatabase, contextFor } from './testing/cases-harness';

const supervisor = { id: 'supervisor-1', role: 'supervisor' as const, lines: ['*'] };
const DAY_MS = 86_400_000;

describe('erasure by retention policy', () => {
  let cases: Awaited<ReturnType<typeof casesOnTestDatabase>>;
  let retention: CaseRetention;

  beforeAll(async () => {
    cases = await casesOnTestDatabase();
    retention = new CaseRetention(cases.database, cases.streams, cases.executor);
  });
  afterAll(async () => cases?.close());

  /** A case of the line with a note, closed at 09:10 on 5 January 2025, and reopened just after if asked. */
  async function caseWithNote(lineId: LineId, reopen = false): Promise<{ caseId: string; note: string }> {
    const caseId = randomUUID();
    const run = (occurredAt: string, build: Parameters<typeof cases.executor.execute>[0]['build'], opensCase = false) =>
      cases.executor.execute({ caseId, opensCase, context: contextFor(supervisor), occurredAt, build });
    const openedAt = '2025-01-05T09:00:00Z';
    await run(
      openedAt,
      ({ occurredAt }) => ({
        type: 'RecordFirstContact',
        caseId,
        occurredAt,
        lineId,
        channel: 'phone',
        callerType: 'person_concerned',
        ageBand: 'unknown',
        gender: 'not_stated',
        concern: 'not_stated',
        heardOfLine: 'not_stated',
        outOfHours: false,
      }),
      true,
    );
    const note = `what the caller of ${caseId} said`;
    await run('2025-01-05T09:10:00Z', async (building) => ({
      type: 'CloseCase',
      caseId,
      occurredAt: building.occurredAt,
      outcome: 'information_given',
      note: await building.seal('note', note),
    }));
    if (reopen) {
      await run('2025-01-05T09:20:00Z', ({ occurredAt }) => ({
        type: 'ReopenCase',
        caseId,
        occurredAt,
        reason: 'caller_recontacted',
      }));
    }
    return { caseId, note };
  }

  async function noteOf(caseId: string): Promise<string | undefined> {
    const { events } = await cases.streams.load(caseId);
    const closed = events.find(({ event }) => event.type === 'CaseClosed')!.event.data as {
      note: { keyId: string; ciphertext: string };
    };
    return cases.vault.open(caseStreamId(caseId), 'note', closed.note);
  }

  const erasures = async (caseId: string) =>
    (await cases.streams.load(caseId)).events
      .filter(({ event }) => event.type === 'PersonalDataErased')
      .map(({ event }) => (event.data as { reason: string }).reason);

  it("erases a closed case once its line's retention has run out, the employee line first, and only once", async () => {
    const closedAt = '2025-01-05T09:10:00Z';
    const employee = await caseWithNote('employee-support');
    const helpline = await caseWithNote('sostienimi');
    const reopened = await caseWithNote('sostienimi', true);
    const after = (days: number) => new Date(Date.parse(closedAt) + days * DAY_MS);

    // 29 days on: nothing is due; a dry run agrees.
    expect(await retention.run(after(29))).toMatchObject({ erased: 0, dryRun: false });
    expect(await noteOf(employee.caseId)).toBe(employee.note);

    // 30 days: the employee line (30 days) is due. The dry run says so and erases nothing.
    expect(await retention.run(after(30), { dryRun: true })).toMatchObject({
      erased: 1,
      erasedByLine: { 'employee-support': 1 },
      dryRun: true,
    });
    expect(await noteOf(employee.caseId)).toBe(employee.note);
    const run = await retention.run(after(30));
    expect(run).toMatchObject({ erased: 1, erasedByLine: { 'employee-support': 1 } });
    expect(JSON.stringify(run)).not.toContain(employee.caseId);
    expect(await noteOf(employee.caseId)).toBeUndefined();
    expect(await erasures(employee.caseId)).toEqual(['retention_policy']);
    expect(await noteOf(helpline.caseId)).toBe(helpline.note);

    // A year on: SostieniMi (365 days) is due; the reopened case is not closed, so it keeps its data.
    expect(await retention.run(after(365))).toMatchObject({ erased: 1, erasedByLine: { sostienimi: 1 } });
    expect(await noteOf(helpline.caseId)).toBeUndefined();
    expect(await noteOf(reopened.caseId)).toBe(reopened.note);

    // Again: nothing left to erase, and no second erasure is recorded.
    expect(await retention.run(after(400))).toMatchObject({ erased: 0 });
    expect(await erasures(employee.caseId)).toEqual(['retention_policy']);
    expect(await erasures(helpline.caseId)).toEqual(['retention_policy']);
  });
});
