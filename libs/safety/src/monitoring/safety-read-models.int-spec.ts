import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import type { Principal } from '@helpline/auth';
import type { IncidentKind } from '@helpline/domain';
import { parsePosition } from '@helpline/event-store';
import {
  ProjectionRunner,
  replayProjection,
  tablesInSchema,
  type AnyProjection,
  type TableNames,
} from '@helpline/projections';
import type { Database } from '@helpline/database';
import { safetyRegisterProjection } from '../read-models/safety-register.projection';
import { SafetyRegisterQueries } from '../read-models/safety-register.queries';
import { contextFor, draftAndSend, safetyOnTestDatabase } from '../testing/safety-harness';
import { monthOf, safetyMonitoringProjection } from './safety-monitoring.projection';
import { SafetyMonitoringQueries } from './safety-monitoring.queries';

const MINUTE = 60_000;

async function snapshot(
  database: Database,
  projection: AnyProjection,
  tables: TableNames,
): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const base of projection.tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(tables[base]!)}`.execute(database.db);
    result[base] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

describe('the register and the monitoring read models', () => {
  let safety: Awaited<ReturnType<typeof safetyOnTestDatabase>>;
  let runner: ProjectionRunner;
  let last = '0:0';

  beforeAll(async () => {
    safety = await safetyOnTestDatabase();
    runner = new ProjectionRunner({
      database: safety.database,
      eventStore: safety.store,
      projections: [safetyRegisterProjection, safetyMonitoringProjection],
      metrics: new Registry(),
      maxPollMs: 20,
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.stop();
    await safety?.close();
  });

  const staffOf = (unitId: string): Principal => ({ id: `sw-${unitId}`, role: 'social_worker', lines: [], unitId });
  const operations: Principal = { id: 'co-1', role: 'police_operations', lines: [] };

  /** An emergency of `unitId` that began an hour ago, with the call, the dispatch and the arrival `minutes` apart. */
  async function emergency(unitId: string, kind: IncidentKind, minutes: { toDispatch: number; toArrival: number }) {
    const emergencyId = randomUUID();
    const started = Date.now() - 60 * MINUTE;
    const at = (offset: number) => new Date(started + offset * MINUTE).toISOString();
    await safety.executor.executeEmergencyCommand({
      emergencyId,
      context: contextFor(staffOf(unitId)),
      occurredAt: at(2),
      opens: true,
      build: async (b) => ({
        type: 'RecordEmergencyInProgress',
        emergencyId,
        occurredAt: b.occurredAt,
        actor: b.actor,
        unitId,
        kind,
        startedAt: at(0),
        colleaguesCalled: false,
        operationsCentreCalledAt: at(1),
        location: await b.seal('location', 'Via Esempio 3'),
      }),
    });
    await safety.executor.executeEmergencyCommand({
      emergencyId,
      context: contextFor(operations),
      occurredAt: at(1 + minutes.toDispatch),
      build: (b) => ({ type: 'RecordPatrolDispatch', emergencyId, occurredAt: b.occurredAt, actor: b.actor }),
    });
    const arrived = await safety.executor.executeEmergencyCommand({
      emergencyId,
      context: contextFor(operations),
      occurredAt: at(1 + minutes.toDispatch + minutes.toArrival),
      build: (b) => ({ type: 'RecordPatrolArrival', emergencyId, occurredAt: b.occurredAt, actor: b.actor }),
    });
    last = arrived.position;
  }

  const caughtUp = async () => {
    for (const name of ['safety-register', 'safety-monitoring'])
      expect(await runner.waitForPosition(name, parsePosition(last)!, 10_000)).toBe(true);
  };

  it('counts a month per unit with medians measured from the recorded times, and equals a clean replay', async () => {
    last = (await draftAndSend(safety.executor, { meetingInHours: 72 })).sent.position;
    await emergency('unit-a', 'threat', { toDispatch: 2, toArrival: 10 });
    await emergency('unit-a', 'threat', { toDispatch: 5, toArrival: 20 });
    await caughtUp();
    const month = monthOf(new Date().toISOString());
    const figures = await new SafetyMonitoringQueries(safety.database.db).figures({
      from: month,
      to: month,
      unitId: 'unit-a',
    });
    expect(figures).toEqual([
      expect.objectContaining({
        unitId: 'unit-a',
        emergenciesTotal: 2,
        emergencies: { verbal_aggression: 0, physical_aggression: 0, threat: 2, damage: 0 },
        medianMinutesCallToDispatch: 3.5,
        medianMinutesDispatchToArrival: 15,
        medianMinutesCallToArrival: 18.5,
        timedCallToDispatch: 2,
      }),
    ]);
    for (const projection of [safetyRegisterProjection, safetyMonitoringProjection]) {
      const schema = `check_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
      const tables = tablesInSchema(projection, schema);
      await replayProjection({ database: safety.database, eventStore: safety.store, projection, tables });
      expect(await snapshot(safety.database, projection, tables)).toEqual(
        await snapshot(safety.database, projection, tablesInSchema(projection, 'public')),
      );
    }
    const register = await new SafetyRegisterQueries(safety.database.db).list(
      { unitId: 'unit-a' },
      { kind: 'emergency' },
    );
    expect(register.items.map((item) => item.minutesFromCallToDispatch).sort()).toEqual([2, 5]);
  });

  it('exports a month with small cells suppressed and complemented, and medians only over enough emergencies', async () => {
    for (let index = 0; index < 4; index++) await emergency('unit-a', 'threat', { toDispatch: 3, toArrival: 10 });
    for (let index = 0; index < 5; index++) await emergency('unit-a', 'damage', { toDispatch: 4, toArrival: 12 });
    await emergency('unit-b', 'threat', { toDispatch: 1, toArrival: 5 });
    for (let index = 0; index < 6; index++) await emergency('unit-b', 'damage', { toDispatch: 2, toArrival: 6 });
    await caughtUp();
    const month = monthOf(new Date().toISOString());
    const exported = await new SafetyMonitoringQueries(safety.database.db).exportMonth(month, 5);
    const table = exported.emergenciesByKind;
    const raw = await new SafetyMonitoringQueries(safety.database.db).figures({ from: month, to: month });
    // unit-a: 6 threats, 5 damage; unit-b: 1 threat, 6 damage (and the unit of the first test's request, no emergency).
    const b = table.rows.indexOf('unit-b');
    expect(table.values[b]![table.columns.indexOf('threat')]).toBeNull();
    // What is shown is true and not small; every line with a total hides none of its entries, or two at least.
    const grid = table.values.map((line, row) => [...line, table.rowTotals![row]]);
    grid.push([...table.columnTotals!, table.grandTotal ?? null]);
    const truth = raw.map((figures) => [
      ...table.columns.map((kind) => figures.emergencies[kind as IncidentKind]),
      figures.emergenciesTotal,
    ]);
    grid.forEach((line, row) =>
      line.forEach((value, column) => {
        if (value === null) return;
        expect(value).toBeGreaterThanOrEqual(5);
        if (row < truth.length) expect(value).toBe(truth[row]![column]);
      }),
    );
    for (const line of [...grid, ...grid[0]!.map((_, column) => grid.map((row) => row[column]))]) {
      expect(line.filter((value) => value === null).length).not.toBe(1);
    }
    expect(table.suppressed.complementary).toBeGreaterThan(0);
    // Medians: unit-a has 11 timed emergencies and unit-b 7, at least 5 each: published. The request table is all small.
    const unitA = exported.timeline.find((line) => line.unitId === 'unit-a')!;
    expect(unitA.medianMinutes.CallToDispatch).toBe(4);
    expect(exported.preventiveRequests.values.flat().every((value) => value === null)).toBe(true);
  });
});
