import { sql } from 'kysely';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { AppendResult } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import type { ProjectionRunner } from '../projection-runner';
import { liveTables } from '../table-names';
import { cleanReplay, snapshotTables, testRunner } from '../testing/projection-test-kit';
import { CaseQueueQueries, caseQueueProjection, caseReadModelProjections, ReferralPipelineQueries } from './index';
import { callerOf, CaseLog, rome, sealed } from './testing/case-log';

describe('The case read models under the projection runner', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new PostgresEventStore(database);
  });
  afterAll(async () => {
    await runner?.stop();
    await store.close();
    await database.close();
  });

  it('builds the live tables in small batches as a clean replay would, and rebuilds them behind the live ones', async () => {
    const log = new CaseLog();
    const day = (time: string) => rome(`2020-03-16T${time}`);
    for (let index = 0; index < 4; index++) {
      const script = log.open({ at: day(`09:0${index}`), lineId: index === 3 ? 'psych-emergency' : 'sostienimi' });
      script.run({
        type: 'RequestCallback',
        occurredAt: day(`09:1${index}`),
        callbackId: 'cb',
        number: sealed(`n${index}`),
        ...callerOf(`p${index}`),
      });
      script.run({ type: 'ProposeReferral', occurredAt: day(`09:2${index}`), referralId: 'r', serviceId: 'serd-1' });
      script.run({
        type: 'SendHandoff',
        occurredAt: day(`09:3${index}`),
        referralId: 'r',
        consent: { given: true, method: 'verbal' },
        sharedFields: ['callback_number'],
      });
      if (index === 1) script.run({ type: 'CloseCase', occurredAt: day('10:00'), outcome: 'referred_to_service' });
      if (index === 2) script.run({ type: 'FlagRisk', occurredAt: day('10:00'), level: 'imminent', kind: 'self_harm' });
    }
    let last: AppendResult | undefined;
    for (const event of log.events) {
      const { type, schemaVersion, data, metadata, occurredAt } = event;
      last = await store.append(event.streamId, [{ type, schemaVersion, data, metadata, occurredAt }], {
        expectedVersion: event.streamVersion - 1,
      });
    }

    runner = testRunner({ database, eventStore: store, projections: [...caseReadModelProjections], batchSize: 3 });
    await runner.start();
    for (const projection of caseReadModelProjections) {
      expect(await runner.waitForPosition(projection.name, last!.position, 20_000)).toBe(true);
      expect(await snapshotTables(database, projection, liveTables(projection))).toEqual(
        await cleanReplay(database, store, projection, last!.position),
      );
    }
    const queue = new CaseQueueQueries(database.db);
    const pipeline = new ReferralPipelineQueries(database.db);
    const ordered = async () =>
      (await queue.byLineAndPhase('*', {}, day('14:00'))).items.map((item) => [item.lineId, item.priority]);
    expect(await ordered()).toEqual([
      ['sostienimi', 1],
      ['sostienimi', 5],
      ['psych-emergency', 5],
    ]);

    const before = await snapshotTables(database, caseQueueProjection, liveTables(caseQueueProjection));
    for (const projection of caseReadModelProjections) await runner.rebuild(projection.name);
    expect(await snapshotTables(database, caseQueueProjection, liveTables(caseQueueProjection))).toEqual(before);
    expect(await ordered()).toEqual([
      ['sostienimi', 1],
      ['sostienimi', 5],
      ['psych-emergency', 5],
    ]);
    expect((await pipeline.byServiceAndStatus({ serviceId: 'serd-1', status: 'sent' })).items).toHaveLength(4);
    // After the swap the live tables carry the live index names, ready for the next rebuild's shadow.
    const indexes = await sql<{
      indexname: string;
    }>`select indexname from pg_indexes where tablename = 'case_queue' order by indexname`.execute(database.db);
    expect(indexes.rows.map((row) => row.indexname)).toEqual([
      'case_queue_at_risk',
      'case_queue_by_line',
      'case_queue_by_line_phase',
      'case_queue_by_operator',
      'case_queue_callback_due',
      'case_queue_followup_due',
      'case_queue_pkey',
      'case_queue_unassigned',
    ]);
  });
});
