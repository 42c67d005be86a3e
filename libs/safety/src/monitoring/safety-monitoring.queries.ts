import { sql } from 'kysely';
import type { AnyKysely } from '@helpline/database';
import { INCIDENT_KINDS, type IncidentKind } from '@helpline/domain';
import { SafetyQueryError } from '../safety-errors';
import { csvField } from '../read-models/safety-register.queries';
import { SAFETY_MONITORING_ZONE } from './safety-monitoring.projection';
import { suppressSmallCells, type SuppressedTable } from './small-cell-suppression';

/** One unit's month, as the directorate reads it (raw counts: these figures stay inside the social services). */
export interface SafetyMonthlyFigures {
  readonly month: string;
  readonly unitId: string;
  /** Preventive requests sent in the month, and of those: sent late, presence confirmed, declined, meeting with an incident. */
  readonly requestsSent: number;
  readonly requestsLate: number;
  readonly presenceConfirmed: number;
  readonly presenceDeclined: number;
  readonly meetingsWithIncident: number;
  /** Emergencies that began in the month, by kind, and all of them. */
  readonly emergencies: Record<IncidentKind, number>;
  readonly emergenciesTotal: number;
  /** Median minutes (PostgreSQL's percentile_cont: the mean of the middle two for an even count), null when none. */
  readonly medianMinutesCallToDispatch: number | null;
  readonly medianMinutesDispatchToArrival: number | null;
  readonly medianMinutesCallToArrival: number | null;
  /** How many emergencies each median is measured over. */
  readonly timedCallToDispatch: number;
  readonly timedDispatchToArrival: number;
  readonly timedCallToArrival: number;
}

export const PREVENTIVE_COLUMNS = [
  'requestsSent',
  'requestsLate',
  'presenceConfirmed',
  'presenceDeclined',
  'meetingsWithIncident',
] as const;
export const TIMELINE_MEASURES = ['CallToDispatch', 'DispatchToArrival', 'CallToArrival'] as const;
type TimelineMeasure = (typeof TIMELINE_MEASURES)[number];

export interface SafetyTimelineLine {
  readonly unitId: string | null;
  /** A median is published only when it is measured over at least `threshold` emergencies; null otherwise. */
  readonly medianMinutes: Record<TimelineMeasure, number | null>;
}

/** The month's figures as they may leave the units: small cells suppressed (see small-cell-suppression.ts). */
export interface SafetyMonitoringExport {
  readonly month: string;
  readonly zone: string;
  readonly threshold: number;
  /** Rows: units; columns: PREVENTIVE_COLUMNS (not a partition, so no row totals); column totals over units. */
  readonly preventiveRequests: SuppressedTable;
  /** Rows: units; columns: incident kinds; totals on both sides. */
  readonly emergenciesByKind: SuppressedTable;
  /** Per unit, then all units together (`unitId: null`). */
  readonly timeline: SafetyTimelineLine[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function checkedMonth(value: unknown, field: string): string {
  if (typeof value !== 'string' || !MONTH.test(value)) throw new SafetyQueryError(field, 'must be a month, YYYY-MM');
  return value;
}

export class SafetyMonitoringQueries {
  constructor(private readonly db: AnyKysely) {}

  /** Every unit's figures for each month in [from, to] (inclusive), month by month, unit by unit. */
  async figures(query: { from: string; to: string; unitId?: string }): Promise<SafetyMonthlyFigures[]> {
    const from = checkedMonth(query.from, 'from');
    const to = checkedMonth(query.to, 'to');
    if (from > to) throw new SafetyQueryError('to', 'must not be before from');
    const unit = query.unitId ?? null;
    const { rows: requestRows } = await sql<Record<string, unknown>>`
      select sent_month as month, unit_id,
             count(*) as sent,
             count(*) filter (where late) as late,
             count(*) filter (where answer = 'confirmed') as confirmed,
             count(*) filter (where answer = 'declined') as declined,
             count(*) filter (where outcome = 'incident') as incidents
        from safety_monitoring_requests
       where sent_month between ${from} and ${to} and (${unit}::text is null or unit_id = ${unit})
       group by sent_month, unit_id`.execute(this.db);
    const minutes = (start: string, end: string) =>
      sql`(extract(epoch from (${sql.ref(end)} - ${sql.ref(start)})) / 60)::float8`;
    const { rows: emergencyRows } = await sql<Record<string, unknown>>`
      select month, unit_id, count(*) as total,
             ${sql.join(INCIDENT_KINDS.map((kind) => sql`count(*) filter (where kind = ${kind}) as ${sql.ref(kind)}`))},
             percentile_cont(0.5) within group (order by ${minutes('called_at', 'dispatched_at')}) as median_call_to_dispatch,
             percentile_cont(0.5) within group (order by ${minutes('dispatched_at', 'arrived_at')}) as median_dispatch_to_arrival,
             percentile_cont(0.5) within group (order by ${minutes('called_at', 'arrived_at')}) as median_call_to_arrival,
             count(dispatched_at - called_at) as timed_call_to_dispatch,
             count(arrived_at - dispatched_at) as timed_dispatch_to_arrival,
             count(arrived_at - called_at) as timed_call_to_arrival
        from safety_monitoring_emergencies
       where month between ${from} and ${to} and (${unit}::text is null or unit_id = ${unit})
       group by month, unit_id`.execute(this.db);

    const figures = new Map<string, SafetyMonthlyFigures>();
    const entry = (month: string, unitId: string) => {
      const key = `${month}\u0000${unitId}`;
      if (!figures.has(key)) figures.set(key, emptyFigures(month, unitId));
      return { key, current: figures.get(key)! };
    };
    for (const row of requestRows) {
      const { key, current } = entry(row.month as string, row.unit_id as string);
      figures.set(key, {
        ...current,
        requestsSent: Number(row.sent),
        requestsLate: Number(row.late),
        presenceConfirmed: Number(row.confirmed),
        presenceDeclined: Number(row.declined),
        meetingsWithIncident: Number(row.incidents),
      });
    }
    for (const row of emergencyRows) {
      const { key, current } = entry(row.month as string, row.unit_id as string);
      figures.set(key, {
        ...current,
        emergencies: Object.fromEntries(INCIDENT_KINDS.map((kind) => [kind, Number(row[kind])])) as Record<
          IncidentKind,
          number
        >,
        emergenciesTotal: Number(row.total),
        medianMinutesCallToDispatch: numberOrNull(row.median_call_to_dispatch),
        medianMinutesDispatchToArrival: numberOrNull(row.median_dispatch_to_arrival),
        medianMinutesCallToArrival: numberOrNull(row.median_call_to_arrival),
        timedCallToDispatch: Number(row.timed_call_to_dispatch),
        timedDispatchToArrival: Number(row.timed_dispatch_to_arrival),
        timedCallToArrival: Number(row.timed_call_to_arrival),
      });
    }
    return [...figures.values()].sort((a, b) => a.month.localeCompare(b.month) || a.unitId.localeCompare(b.unitId));
  }

  /**
   * One month's figures for evaluators and for exports: every count below `threshold` hidden, with complementary
   * suppression so that no total gives a hidden count away; medians only over `threshold` emergencies or more.
   */
  async exportMonth(month: string, threshold: number): Promise<SafetyMonitoringExport> {
    checkedMonth(month, 'month');
    const rows = await this.figures({ from: month, to: month });
    const units = rows.map((row) => row.unitId);
    const overall = await this.overallTimeline(month);
    const timedOf = (
      line: { timedCallToDispatch: number; timedDispatchToArrival: number; timedCallToArrival: number },
      measure: TimelineMeasure,
    ) => line[`timed${measure}`];
    const medianOf = (line: SafetyMonthlyFigures | typeof overall, measure: TimelineMeasure) =>
      timedOf(line, measure) >= threshold ? line[`medianMinutes${measure}`] : null;
    return {
      month,
      zone: SAFETY_MONITORING_ZONE,
      threshold,
      preventiveRequests: suppressSmallCells(
        {
          rows: units,
          columns: PREVENTIVE_COLUMNS,
          values: rows.map((row) => PREVENTIVE_COLUMNS.map((column) => row[column])),
          columnTotals: true,
        },
        threshold,
      ),
      emergenciesByKind: suppressSmallCells(
        {
          rows: units,
          columns: INCIDENT_KINDS,
          values: rows.map((row) => INCIDENT_KINDS.map((kind) => row.emergencies[kind])),
          rowTotals: true,
          columnTotals: true,
        },
        threshold,
      ),
      timeline: [...rows, overall].map((line) => ({
        unitId: 'unitId' in line ? line.unitId : null,
        medianMinutes: Object.fromEntries(
          TIMELINE_MEASURES.map((measure) => [measure, medianOf(line, measure)]),
        ) as Record<TimelineMeasure, number | null>,
      })),
    };
  }

  private async overallTimeline(month: string) {
    const minutes = (start: string, end: string) =>
      sql`(extract(epoch from (${sql.ref(end)} - ${sql.ref(start)})) / 60)::float8`;
    const { rows } = await sql<Record<string, unknown>>`
      select percentile_cont(0.5) within group (order by ${minutes('called_at', 'dispatched_at')}) as median_call_to_dispatch,
             percentile_cont(0.5) within group (order by ${minutes('dispatched_at', 'arrived_at')}) as median_dispatch_to_arrival,
             percentile_cont(0.5) within group (order by ${minutes('called_at', 'arrived_at')}) as median_call_to_arrival,
             count(dispatched_at - called_at) as timed_call_to_dispatch,
             count(arrived_at - dispatched_at) as timed_dispatch_to_arrival,
             count(arrived_at - called_at) as timed_call_to_arrival
        from safety_monitoring_emergencies where month = ${month}`.execute(this.db);
    const row = rows[0] ?? {};
    return {
      medianMinutesCallToDispatch: numberOrNull(row.median_call_to_dispatch),
      medianMinutesDispatchToArrival: numberOrNull(row.median_dispatch_to_arrival),
      medianMinutesCallToArrival: numberOrNull(row.median_call_to_arrival),
      timedCallToDispatch: Number(row.timed_call_to_dispatch ?? 0),
      timedDispatchToArrival: Number(row.timed_dispatch_to_arrival ?? 0),
      timedCallToArrival: Number(row.timed_call_to_arrival ?? 0),
    };
  }
}

function emptyFigures(month: string, unitId: string): SafetyMonthlyFigures {
  return {
    month,
    unitId,
    requestsSent: 0,
    requestsLate: 0,
    presenceConfirmed: 0,
    presenceDeclined: 0,
    meetingsWithIncident: 0,
    emergencies: Object.fromEntries(INCIDENT_KINDS.map((kind) => [kind, 0])) as Record<IncidentKind, number>,
    emergenciesTotal: 0,
    medianMinutesCallToDispatch: null,
    medianMinutesDispatchToArrival: null,
    medianMinutesCallToArrival: null,
    timedCallToDispatch: 0,
    timedDispatchToArrival: 0,
    timedCallToArrival: 0,
  };
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * The monthly figures as CSV, one line per month and unit: the JSON's fields in its order, each kind of emergency in a
 * column of its own (`emergencies.threat`…).
 */
export function safetyMonthlyFiguresCsv(figures: readonly SafetyMonthlyFigures[]): string {
  const { emergencies: _byKind, ...first } = emptyFigures('', '');
  const plain = Object.keys(first) as (keyof Omit<SafetyMonthlyFigures, 'emergencies'>)[];
  const before = plain.slice(0, plain.indexOf('emergenciesTotal'));
  const after = plain.slice(plain.indexOf('emergenciesTotal'));
  const header = [...before, ...INCIDENT_KINDS.map((kind) => `emergencies.${kind}`), ...after];
  const lines = [header.join(',')];
  for (const row of figures)
    lines.push(
      [
        ...before.map((column) => csvField(row[column])),
        ...INCIDENT_KINDS.map((kind) => csvField(row.emergencies[kind] ?? 0)),
        ...after.map((column) => csvField(row[column])),
      ].join(','),
    );
  return `${lines.join('\r\n')}\r\n`;
}
