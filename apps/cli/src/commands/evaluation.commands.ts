import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { migrateToLatest } from '@helpline/database';
import {
  EvaluationReports,
  EvaluationRequestError,
  evaluationProjection,
  isMonth,
  ReportRequest,
  writeReportFiles,
} from '@helpline/evaluation';
import { ProjectionRunner } from '@helpline/projections';
import { openEventStore } from '@helpline/composition';
import { HistoryAlreadySeededError, seedHistory } from '@helpline/seed-history';
import type { Database } from '@helpline/database';
import type { CliSupport } from './cli-support';

function month(value: string): string {
  if (!isMonth(value)) throw new InvalidArgumentError('must be a month, YYYY-MM');
  return value;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

interface ReportOptions {
  out: string;
  month?: string;
  from?: string;
  to?: string;
  line?: string[];
  full?: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The evaluators' commands: replay the log as of a date into a report, the live report, and a realistic history. */
export function registerEvaluationCommands(program: Command, tools: CliSupport): void {
  const { loadSettings, withDatabase } = tools;
  const withPeriod = (command: Command) =>
    command
      .requiredOption('--out <dir>', 'the folder to write report.json, report.csv and report.html into')
      .option('--month <YYYY-MM>', 'one month (Rome time)', month)
      .option('--from <YYYY-MM>', 'first month of a span', month)
      .option('--to <YYYY-MM>', 'last month of a span', month)
      .option('--line <line>', 'only this line (repeat for several)', collect)
      .option(
        '--full',
        "the line's own report with full figures (default: the evaluators' report, small cells suppressed)",
      );

  withPeriod(
    program
      .command('replay')
      .description(
        'replay the log up to a date into a temporary schema (never the live read models; dropped afterwards) and write the evaluation report as it would have been on that date.\n' +
          'Events count when they occurred (occurredAt) at or before the date, in log order; a date means the end of that day in Rome. The same log and date give the same bytes.',
      )
      .requiredOption('--as-of <date>', 'YYYY-MM-DD (end of that day, Rome) or an ISO-8601 instant with offset')
      .option(
        '--up-to-position <commit:prepare>',
        'only the events recorded up to this log position (the one a report prints): the report exactly as it was published, late entries left out',
      ),
  ).action(async (options: ReportOptions & { asOf: string; upToPosition?: string }) => {
    const started = Date.now();
    const { report, files } = await writeReport(
      tools,
      { ...requestOf(options), asOf: options.asOf, upToPosition: options.upToPosition },
      options,
    );
    process.stdout.write(
      `Replayed the log up to position ${report.log.position} as of ${report.asOf} (${report.period.from} to ${report.period.to}, ${report.audience} report) in ${seconds(Date.now() - started)}:\n${files.map((f) => `  ${f}`).join('\n')}\n`,
    );
  });

  withPeriod(
    program
      .command('report')
      .description('bring the evaluation read model up to date and write the current evaluation report'),
  ).action(async (options: ReportOptions) => {
    const started = Date.now();
    const { report, files } = await writeReport(tools, requestOf(options), options, true);
    process.stdout.write(
      `Wrote the ${report.audience} report for ${report.period.from} to ${report.period.to} (log position ${report.log.position}) in ${seconds(Date.now() - started)}:\n${files.map((f) => `  ${f}`).join('\n')}\n`,
    );
  });

  program
    .command('seed-history')
    .description(
      'write a realistic SostieniMi history (September 2019 to November 2020, the figures of seed 004) through the domain; imports the sample resource directory first',
    )
    .option('--scale <n>', 'multiply the volume, same shape', positiveNumber, 1)
    .option('--seed <s>', 'PRNG seed: the same seed gives the same history', wholeNumber, 2019)
    .option(
      '--concurrency <n>',
      'commands in flight at once, on different cases (default 1 embedded, 8 on a server)',
      wholeNumber,
    )
    .action(async (options: { scale: number; seed: number; concurrency?: number }) => {
      const settings = loadSettings();
      const result = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const eventStore = await openEventStore(settings, database);
        try {
          return await seedHistory(database, eventStore, settings, {
            scale: options.scale,
            seed: options.seed,
            concurrency: options.concurrency || undefined,
            onProgress: (done, total) => void process.stderr.write(`\r${done} / ${total} commands`),
          });
        } catch (error) {
          if (error instanceof HistoryAlreadySeededError) throw new Error(error.message, { cause: error });
          throw error;
        } finally {
          process.stderr.write('\n');
          await eventStore.close();
        }
      });
      process.stdout.write(
        `Seeded ${result.contacts} contacts in ${result.cases} cases (${result.commands} commands through the domain, seed ${result.seed}, scale ${result.scale}) in ${seconds(result.milliseconds)}.\n` +
          'The read models catch up when the API or the projector runs (or: npm run cli -- report --out <dir>).\n',
      );
    });
}

function requestOf(options: ReportOptions): ReportRequest {
  return { month: options.month, from: options.from, to: options.to, lineIds: options.line };
}

async function writeReport(tools: CliSupport, request: ReportRequest, options: ReportOptions, catchUp = false) {
  const settings = tools.loadSettings();
  return tools.withDatabase(settings, async (database) => {
    await migrateToLatest(database.db);
    const eventStore = await openEventStore(settings, database);
    try {
      if (catchUp) await catchUpEvaluation(database, eventStore);
      const reports = new EvaluationReports({ database, eventStore });
      const report = await reports.report(request, {
        audience: options.full ? 'line' : 'evaluator',
        lines: '*',
        smallCellThreshold: settings.smallCellThreshold,
      });
      return { report, files: writeReportFiles(report, resolve(options.out)) };
    } catch (error) {
      if (error instanceof EvaluationRequestError) throw new Error(`${error.field}: ${error.reason}`, { cause: error });
      throw error;
    } finally {
      await eventStore.close();
    }
  });
}

async function catchUpEvaluation(
  database: Database,
  eventStore: Awaited<ReturnType<typeof openEventStore>>,
): Promise<void> {
  const runner = new ProjectionRunner({
    database,
    eventStore,
    projections: [evaluationProjection],
    metrics: false,
    ownerId: `cli:${process.pid}`,
    minPollMs: 1,
    maxPollMs: 50,
  });
  try {
    await runner.start();
    if (!(await runner.waitForPosition(evaluationProjection.name, await eventStore.headPosition(), 10 * 60_000)))
      throw new Error('The evaluation read model did not catch up; see `projections status`.');
  } finally {
    await runner.stop();
  }
}
