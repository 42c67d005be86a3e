import fc from 'fast-check';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { liveTables } from '../table-names';
import { caseQueueProjection } from './case-queue.projection';
import { CaseQueueQueries, type CaseQueueItem } from './case-queue.queries';
import { freshTables } from './testing/case-log';

/**
 * The priority listings read the cases that need attention (priority 0-6) and the rest (priority 7) separately
 * and put them together. Whatever the rows, paging through a listing must give exactly the open cases of the
 * filter, in (priority, waitingSince, caseId) order as computed here from the rows themselves, each once.
 */
describe('The operator queue: priority order across pages', () => {
  let database: TestDatabase;
  let queries: CaseQueueQueries;
  const live = liveTables(caseQueueProjection);

  beforeAll(async () => {
    database = await createTestDatabase();
    queries = new CaseQueueQueries(database.db);
  });
  afterAll(async () => {
    await database.close();
  });

  const NOW = Date.parse('2020-03-16T12:00:00Z');
  const HOUR = 3_600_000;
  const instant = (offsetHours: number) => new Date(NOW + offsetHours * HOUR).toISOString();

  const rowArbitrary = fc.record({
    line: fc.constantFrom('sostienimi', 'psych-emergency'),
    assigned: fc.constantFrom(null, 'operator-1', 'operator-2'),
    atRisk: fc.boolean(),
    // Few distinct waiting times, so that ties fall to the case id.
    waitingHoursAgo: fc.integer({ min: 0, max: 6 }),
    callbackDueIn: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
    followUpDueIn: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  });

  function expectedPriority(row: {
    atRisk: boolean;
    callbackDueIn: number | null;
    followUpDueIn: number | null;
  }): number {
    return (
      (row.atRisk ? 0 : 4) +
      (row.callbackDueIn !== null && row.callbackDueIn <= 0 ? 0 : 2) +
      (row.followUpDueIn !== null && row.followUpDueIn <= 0 ? 0 : 1)
    );
  }

  it('pages through every open case of the filter once, in priority order, whatever the rows and the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom('unassigned', 'mine', 'line'),
        async (rows, pageSize, listing) => {
          await freshTables(database, caseQueueProjection, live);
          const cases = rows.map((row, index) => ({
            ...row,
            caseId: `case-${String(index).padStart(3, '0')}-${index % 3}`,
          }));
          if (cases.length > 0) {
            await database.db
              .insertInto('case_queue')
              .values(
                cases.map((c) => ({
                  case_id: c.caseId,
                  line_id: c.line,
                  phase: 'first_contact',
                  assigned_operator_id: c.assigned,
                  at_risk: c.atRisk,
                  safety_escalations: 0,
                  opened_at: instant(-24),
                  last_inbound_contact_at: instant(-c.waitingHoursAgo),
                  waiting_since: instant(-c.waitingHoursAgo),
                  pending_callbacks: c.callbackDueIn === null ? 0 : 1,
                  callback_due_at: c.callbackDueIn === null ? null : instant(c.callbackDueIn),
                  followup_due_at: c.followUpDueIn === null ? null : instant(c.followUpDueIn),
                  open_referrals: 0,
                })),
              )
              .execute();
          }
          const read = (after?: string) => {
            const page = { limit: pageSize, after };
            if (listing === 'unassigned') return queries.unassigned(['sostienimi'], instant(0), page);
            if (listing === 'mine') return queries.myQueue('operator-1', '*', instant(0), page);
            return queries.byLineAndPhase('*', { lineId: 'psych-emergency' }, instant(0), page);
          };
          const seen: CaseQueueItem[] = [];
          let cursor: string | undefined;
          for (let pages = 0; pages < 100; pages++) {
            const page = await read(cursor);
            seen.push(...page.items);
            if (!page.nextCursor) break;
            cursor = page.nextCursor;
          }

          const belongs = (c: (typeof cases)[number]) =>
            listing === 'unassigned'
              ? c.assigned === null && c.line === 'sostienimi'
              : listing === 'mine'
                ? c.assigned === 'operator-1'
                : c.line === 'psych-emergency';
          const expected = cases
            .filter(belongs)
            .map((c) => ({
              caseId: c.caseId,
              priority: expectedPriority(c),
              waitingSince: instant(-c.waitingHoursAgo),
            }))
            .sort(
              (a, b) =>
                a.priority - b.priority ||
                a.waitingSince.localeCompare(b.waitingSince) ||
                (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0),
            );
          expect(
            seen.map((item) => ({ caseId: item.caseId, priority: item.priority, waitingSince: item.waitingSince })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers a cursor past the last priority with an empty page, and one at priority 7 with the rest of the waiting', async () => {
    await freshTables(database, caseQueueProjection, live);
    const waiting = (caseId: string, hoursAgo: number) => ({
      case_id: caseId,
      line_id: 'sostienimi',
      phase: 'first_contact',
      at_risk: false,
      safety_escalations: 0,
      opened_at: instant(-24),
      last_inbound_contact_at: instant(-hoursAgo),
      waiting_since: instant(-hoursAgo),
      pending_callbacks: 0,
      open_referrals: 0,
    });
    await database.db
      .insertInto('case_queue')
      .values([waiting('case-a', 3), waiting('case-b', 2), { ...waiting('case-c', 1), at_risk: true }])
      .execute();
    const cursor = (priority: number, hoursAgo: number, caseId: string) =>
      Buffer.from(JSON.stringify(['case-queue.priority', instant(0), priority, instant(-hoursAgo), caseId])).toString(
        'base64url',
      );

    const past = await queries.unassigned('*', instant(0), { limit: 5, after: cursor(9, 0, 'z') });
    expect(past).toMatchObject({ items: [], nextCursor: null });
    const afterFirstWaiting = await queries.unassigned('*', instant(0), { limit: 5, after: cursor(7, 3, 'case-a') });
    expect(afterFirstWaiting.items.map((item) => item.caseId)).toEqual(['case-b']);
    const afterAtRisk = await queries.unassigned('*', instant(0), { limit: 5, after: cursor(3, 1, 'case-c') });
    expect(afterAtRisk.items.map((item) => item.caseId)).toEqual(['case-a', 'case-b']);
  });
});
