import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { AnyKysely, Database } from '@helpline/database';
import { ApplicationError } from '@helpline/kernel';
import { allLines, type Line } from '@helpline/domain';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  type EventStore,
  type LogPosition,
} from '@helpline/event-store';
import { replayProjection, tablesInSchema, type TableNames } from '@helpline/projections';
import { evaluationProjection, type EvaluationTable } from './evaluation.projection';
import { EvaluationQueries } from './evaluation.queries';
import { buildReport } from './report/build-report';
import type { EvaluationReport, ReportAudience, ReportLogState } from './report/report.model';
import { instant } from './evaluation.records';
import { asOfCutOff, isMonth, monthBefore, monthsBetween, romeMonthOf } from './rome-months';

/** A request for a report the caller cannot have: a stable code, the field at fault, and why. */
export class EvaluationRequestError extends ApplicationError {
  constructor(
    readonly kind: 'invalid' | 'not_found',
    readonly code: 'INVALID_PERIOD' | 'INVALID_AS_OF' | 'INVALID_POSITION' | 'LINE_NOT_AVAILABLE',
    override readonly field: string,
    override readonly reason: string,
  ) {
    super(reason, field);
  }
}

export interface ReportRequest {
  /** One Rome month, `YYYY-MM`. */
  readonly month?: string;
  /** A span of Rome months, `YYYY-MM`, both included (either may be left out: the first or last month with data). */
  readonly from?: string;
  readonly to?: string;
  /** Replay the log up to this date (`YYYY-MM-DD`, the end of that day in Rome) or instant (ISO-8601 with offset). */
  readonly asOf?: string;
  /**
   * With asOf: replay only the events recorded up to this log position (`commit:prepare`, as a report prints it),
   * to reproduce a report exactly as it was published, late entries left out. Without it, the whole log as it is now.
   */
  readonly upToPosition?: string;
  /** Only these lines (of those the audience may see); all of them when absent. */
  readonly lineIds?: readonly string[];
}

export interface ReportAccess {
  readonly audience: ReportAudience;
  /** The lines the reader may see: `'*'` for all the audience may see. */
  readonly lines: '*' | readonly string[];
  readonly smallCellThreshold: number;
}

/** The lines an audience may see at all: evaluators never see a line that hides its aggregates from them. */
export function linesFor(access: Pick<ReportAccess, 'audience' | 'lines'>): Line[] {
  return allLines().filter(
    (line) =>
      (access.audience === 'evaluator' ? line.aggregatesVisibleToEvaluators : true) &&
      (access.lines === '*' || access.lines.includes('*') || access.lines.includes(line.id)),
  );
}

export interface EvaluationReportsOptions {
  readonly database: Database;
  readonly eventStore: EventStore;
  /** The clock, for the live report's cohorts (whether a horizon has elapsed). */
  readonly now?: () => Date;
  /** How the figures are read from the live tables or a replay's (default EvaluationQueries; tests give a reference). */
  readonly queries?: (db: AnyKysely, tables?: TableNames<EvaluationTable>) => EvaluationQueries;
}

/**
 * The evaluation report, from the live read model or from a replay of the log as of a date. A replay goes into
 * a schema of its own, created for the request and dropped after it, never into the live tables.
 */
export class EvaluationReports {
  private readonly now: () => Date;
  private readonly queries: NonNullable<EvaluationReportsOptions['queries']>;

  constructor(private readonly options: EvaluationReportsOptions) {
    this.now = options.now ?? (() => new Date());
    this.queries = options.queries ?? ((db, tables) => new EvaluationQueries(db, tables));
  }

  async report(request: ReportRequest, access: ReportAccess): Promise<EvaluationReport> {
    const lines = this.pickLines(request, access);
    if (request.asOf === undefined) {
      if (request.upToPosition !== undefined)
        throw new EvaluationRequestError(
          'invalid',
          'INVALID_POSITION',
          'upToPosition',
          'upToPosition reproduces a report as of a date: give asOf with it.',
        );
      const now = this.now().toISOString();
      const evaluatorMonths = access.audience === 'evaluator' ? evaluatorPeriod(request, now) : undefined;
      // One snapshot: the figures and the checkpoint that says which events they hold.
      return this.options.database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const queries = this.queries(trx);
          const log = await queries.logState();
          return this.fromTables(queries, request, access, lines, null, now, log, evaluatorMonths);
        });
    }
    const cutOff = asOfCutOff(request.asOf);
    if (!cutOff)
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_AS_OF',
        'asOf',
        'asOf must be a date (YYYY-MM-DD) or an instant with its offset (2020-06-30T18:00:00+02:00).',
      );
    // Refused before the replay, which takes seconds.
    const evaluatorMonths = access.audience === 'evaluator' ? evaluatorPeriod(request, cutOff) : undefined;
    const stopAt = request.upToPosition === undefined ? undefined : await this.stopAt(request.upToPosition);
    return withAsOfReplay(
      this.options.database,
      this.options.eventStore,
      cutOff,
      (tables, log) =>
        this.fromTables(
          this.queries(this.options.database.db, tables),
          request,
          access,
          lines,
          cutOff,
          cutOff,
          log,
          evaluatorMonths,
        ),
      stopAt,
    );
  }

  /** A position a report printed: one the log has reached (a later one would take in events not yet written). */
  private async stopAt(text: string): Promise<LogPosition> {
    const position = parsePosition(text);
    if (!position)
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_POSITION',
        'upToPosition',
        'upToPosition must be a log position as a report prints it, such as 1234:5678.',
      );
    if (comparePositions(position, await this.options.eventStore.headPosition()) > 0)
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_POSITION',
        'upToPosition',
        'upToPosition is beyond the end of the log: no report was built from it.',
      );
    return position;
  }

  private pickLines(request: ReportRequest, access: ReportAccess): Line[] {
    const visible = linesFor(access);
    if (!request.lineIds || request.lineIds.length === 0) return visible;
    const unknown = request.lineIds.filter((id) => !visible.some((line) => line.id === id));
    // A line hidden from the reader and a line that does not exist get the same answer.
    if (unknown.length > 0)
      throw new EvaluationRequestError(
        'not_found',
        'LINE_NOT_AVAILABLE',
        'line',
        'There is no line with this id among the lines whose reports you may read.',
      );
    return visible.filter((line) => request.lineIds!.includes(line.id));
  }

  private async fromTables(
    queries: EvaluationQueries,
    request: ReportRequest,
    access: ReportAccess,
    lines: readonly Line[],
    asOf: string | null,
    observedAt: string,
    log: ReportLogState,
    /** An evaluator's period, checked already (see `evaluatorPeriod`). */
    evaluatorMonths: string[] | undefined,
  ): Promise<EvaluationReport> {
    const evaluator = evaluatorMonths !== undefined;
    const months = evaluatorMonths ?? (await resolveMonths(queries, request, lines, asOf ?? observedAt));
    const figures = [];
    for (const line of lines) {
      const period = await queries.lineFigures(line.id, months);
      const byMonth = [];
      if (evaluator) for (const month of months) byMonth.push(await queries.lineFigures(line.id, [month]));
      figures.push(evaluator ? { ...period, byMonth } : period);
    }
    return buildReport(figures, {
      audience: access.audience,
      threshold: access.smallCellThreshold,
      period: { from: months[0]!, to: months.at(-1)!, months }, // resolveMonths returns at least one month
      asOf,
      observedAt,
      log,
    });
  }
}

const MAX_MONTHS = 120;

/**
 * The periods evaluators may have: a month, a calendar quarter or a calendar year, ended by the report's date (the
 * as-of cut-off, or now). Each of them is a release that never changes afterwards (for the same log), so that no
 * two reports differ by a few days or a few contacts; with none given, the last month that has ended.
 */
export function evaluatorPeriod(request: ReportRequest, cutOff: string): string[] {
  if (request.month !== undefined && (request.from !== undefined || request.to !== undefined))
    throw new EvaluationRequestError(
      'invalid',
      'INVALID_PERIOD',
      'month',
      'Give either month or from and to, not both.',
    );
  for (const field of ['month', 'from', 'to'] as const) {
    const value = request[field];
    if (value !== undefined && !isMonth(value))
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_PERIOD',
        field,
        `${field} must be a month written YYYY-MM, such as 2020-03.`,
      );
  }
  if ((request.from === undefined) !== (request.to === undefined))
    throw new EvaluationRequestError(
      'invalid',
      'INVALID_PERIOD',
      request.from === undefined ? 'from' : 'to',
      'Evaluators ask for a quarter or a year with both from and to (2020-01 to 2020-03, or 2020-01 to 2020-12).',
    );
  // The cut-off is the last millisecond included: the month it ends in has ended only at its very end.
  const lastEnded = monthBefore(romeMonthOf(new Date(Date.parse(cutOff) + 1)));
  let months: string[];
  if (request.from !== undefined && request.to !== undefined) {
    months = request.from <= request.to ? monthsBetween(request.from, request.to) : [];
    const startsQuarter = ['01', '04', '07', '10'].includes(request.from.slice(5));
    const isQuarter = months.length === 3 && startsQuarter;
    const isYear = months.length === 12 && request.from.endsWith('-01');
    if (!isQuarter && !isYear)
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_PERIOD',
        'from',
        'Evaluators get a month, a calendar quarter (from 2020-01 to 2020-03) or a calendar year (from 2020-01 to 2020-12); from and to must be one of these.',
      );
  } else months = [request.month ?? lastEnded];
  if (months.at(-1)! > lastEnded)
    throw new EvaluationRequestError(
      'invalid',
      'INVALID_PERIOD',
      request.month !== undefined ? 'month' : request.to !== undefined ? 'to' : 'asOf',
      'Evaluators get a period once it has ended: this one has not ended by the report’s date.',
    );
  return months;
}

/** The months a request covers: one month, a span, or (with neither) every month with data up to the as-of date. */
export async function resolveMonths(
  queries: EvaluationQueries,
  request: ReportRequest,
  lines: readonly Line[],
  until: string,
): Promise<string[]> {
  if (request.month !== undefined && (request.from !== undefined || request.to !== undefined)) {
    throw new EvaluationRequestError(
      'invalid',
      'INVALID_PERIOD',
      'month',
      'Give either month or from and to, not both.',
    );
  }
  for (const field of ['month', 'from', 'to'] as const) {
    const value = request[field];
    if (value !== undefined && !isMonth(value))
      throw new EvaluationRequestError(
        'invalid',
        'INVALID_PERIOD',
        field,
        `${field} must be a month written YYYY-MM, such as 2020-03.`,
      );
  }
  if (request.month) return [request.month];
  const data =
    request.from === undefined || request.to === undefined
      ? await queries.monthsWithData(lines.map((line) => line.id))
      : undefined;
  const from = request.from ?? data?.from ?? romeMonthOf(until);
  let to = request.to ?? data?.to ?? romeMonthOf(until);
  if (request.to === undefined && to < from) to = from;
  if (from > to) throw new EvaluationRequestError('invalid', 'INVALID_PERIOD', 'from', 'from must not be after to.');
  const months = monthsBetween(from, to);
  if (months.length > MAX_MONTHS)
    throw new EvaluationRequestError(
      'invalid',
      'INVALID_PERIOD',
      'from',
      `A report covers at most ${MAX_MONTHS} months: from is too far before to.`,
    );
  return months;
}

/**
 * Replays the evaluation projection over the log up to a cut-off into a fresh schema, runs `work` on those
 * tables, and drops the schema whatever happens.
 *
 * Which events: those that occurred (`occurredAt`) at or before the cut-off, applied in log order. A contact
 * recorded late but dated before the cut-off counts; one dated after it does not, even if it was recorded
 * before. So the report says what had happened by that date, as the log knows it now (including corrections
 * recorded later), rather than what the read model happened to hold that day (that would be `recordedAt`).
 */
export async function withAsOfReplay<T>(
  database: Database,
  eventStore: EventStore,
  cutOff: string,
  work: (tables: TableNames<EvaluationTable>, log: ReportLogState) => Promise<T>,
  /** Replay the events up to this position only (a published report's); the head of the log when absent. */
  upTo?: LogPosition,
): Promise<T> {
  await dropAbandonedAsOfSchemas(database);
  const schema = `${AS_OF_SCHEMA_PREFIX}${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  const tables = tablesInSchema(evaluationProjection, schema) as TableNames<EvaluationTable>;
  const limit = Date.parse(cutOff);
  const stopAt = upTo ?? (await eventStore.headPosition());
  let recordedAt: string | null = null;
  try {
    await replayProjection({
      database,
      eventStore,
      projection: evaluationProjection,
      tables,
      stopAt,
      until: (event) => {
        recordedAt = event.recordedAt;
        return Date.parse(event.occurredAt) <= limit;
      },
      batchSize: AS_OF_BATCH_SIZE,
      // A scratch copy, dropped after the report: no WAL to write for it.
      unlogged: true,
    });
    return await work(tables, { position: formatPosition(stopAt), recordedAt: recordedAt && instant(recordedAt) });
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
  }
}

/**
 * Events per batch of an as-of replay: a case's rows are written once per batch that touches it, so larger
 * batches write less; the memory a batch holds does not depend on the length of the log.
 */
const AS_OF_BATCH_SIZE = 10_000;
const AS_OF_SCHEMA_PREFIX = 'evaluation_asof_';
/** A replay takes seconds to minutes; a schema of one started this long ago belongs to a process that died. */
export const ABANDONED_AS_OF_AFTER_MS = 6 * 3600_000;

/**
 * Drops the schemas of as-of replays that never finished: the process was killed or lost power before its
 * `finally` ran. Their names carry the second they were created (`evaluation_asof_<unix seconds>_<random>`); a
 * schema older than ABANDONED_AS_OF_AFTER_MS is no replay's any more. Names without a time are left alone.
 */
export async function dropAbandonedAsOfSchemas(database: Database, now = Date.now()): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`select nspname as name from pg_namespace where starts_with(nspname, ${AS_OF_SCHEMA_PREFIX})`.execute(database.db);
  const abandoned = rows
    .map((row) => row.name)
    .filter((name) => {
      const started = /^evaluation_asof_(\d{10})_[0-9a-f]{8}$/.exec(name);
      return started !== null && now - Number(started[1]) * 1000 > ABANDONED_AS_OF_AFTER_MS;
    });
  for (const name of abandoned) await sql`drop schema if exists ${sql.id(name)} cascade`.execute(database.db);
  return abandoned;
}
