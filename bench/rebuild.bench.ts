/**
 * Rebuild benchmark: replay a history of case events into every projection the service keeps (`allProjections`,
 * through ProjectionRunner.rebuild, as `npm run cli -- projections rebuild` does), beside two ceilings read in
 * the same run: a bare SELECT of the whole log in log order through a server-side cursor (the reading ceiling),
 * and the event store's own `readAll` batches without applying anything (what the projections pay for reading).
 * Events per second and peak memory (RSS sampled in the child, and /usr/bin/time -v), at two history sizes, to
 * show that memory stays bounded as the history grows.
 *
 *   npm run bench -- rebuild [--quick] [--sizes 250000,1000000] [--rounds 2] [--cpu-prof] [--window 10000]
 *   npm run bench -- rebuild --explain-only   (only the EXPLAIN ANALYZE of the reads and the timed applies)
 *   npm run bench -- history --events 1000000      (only generate / check the cached history)
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { sql } from 'kysely';
import { connectPostgres, type Database } from '@helpline/database';
import { START_OF_LOG, type LogPosition } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { liveTables, ProjectionRunner } from '@helpline/projections';
import { allProjections } from '@helpline/composition';
import { BenchArgs, flagBoolean, flagNumber, flagNumbers, flagString, parseArgs } from './lib/args';
import { emitResult, RssSampler, runChild, runMain } from './lib/child';
import { describeProfile, summariseProfile } from './lib/cpu-profile';
import { ensureHistory } from './lib/history';
import { describeLoad, describeMachine, LoadSampler, loadNow, machineInfo } from './lib/machine';
import { backendPids, databaseUrl, processCpuSeconds, withAdmin } from './lib/pg-admin';
import { countStatements, explainQuery, record, statementsSent } from './lib/pg-capture';
import { fmt, fmtMb, fmtMs, median, ratio, seconds, table } from './lib/stats';

const MODES = ['select', 'read-all', 'rebuild-per-batch', 'rebuild', 'rebuild-all-at-once'] as const;
type Mode = (typeof MODES)[number];

const MODE_LABEL: Record<Mode, string> = {
  select: 'bare SELECT, cursor (ceiling)',
  'read-all': 'store readAll, batches of 500',
  'rebuild-per-batch': 'rebuild all, per batch (before)',
  rebuild: 'rebuild all projections',
  'rebuild-all-at-once': 'rebuild all, at once (--all)',
};

interface WorkerSpec {
  readonly mode: Mode;
  readonly database: string;
  /** Events per rebuild window of the fast path (the runner's default when absent). */
  readonly window?: number;
}

interface WorkerResult {
  readonly mode: Mode;
  readonly events: number;
  readonly wallMs: number;
  readonly peakRss: number;
  readonly nodeCpuS: number;
  readonly pgCpuS: number;
  /** Statements sent to PostgreSQL (round trips). */
  readonly statements: number;
  readonly projections?: Array<{ name: string; eventsApplied: number; ms: number }>;
}

const APPLICATION = 'bench-rebuild';

async function runWorker(spec: WorkerSpec): Promise<WorkerResult> {
  countStatements();
  const url = databaseUrl(spec.database);
  const rss = new RssSampler().start();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let events = 0;
  let pgCpuS: number;
  let projections: WorkerResult['projections'];
  if (spec.mode === 'select') {
    const client = new Client({ connectionString: url, application_name: APPLICATION });
    await client.connect();
    await client.query('begin');
    await client.query(`declare log_cursor no scroll cursor for
      select event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at, recorded_at, global_position, transaction_id::text as txid
      from events order by transaction_id, global_position`);
    for (;;) {
      const { rowCount } = await client.query('fetch 5000 from log_cursor');
      events += rowCount ?? 0;
      if (!rowCount) break;
    }
    await client.query('commit');
    pgCpuS = await backendCpu(spec.database);
    await client.end();
  } else {
    const database = connectPostgres({ connectionString: url, maxConnections: 8, applicationName: APPLICATION });
    const store = new PostgresEventStore(database);
    if (spec.mode === 'read-all') {
      let after: LogPosition = START_OF_LOG;
      for (;;) {
        const batch = await store.readAll({ after, limit: 500 });
        events += batch.length;
        if (batch.length < 500) break;
        after = batch[batch.length - 1]!.position;
      }
    } else {
      // The path before the fast one, in the same run: batches of 500 per transaction into logged shadow tables.
      const perBatch = spec.mode === 'rebuild-per-batch';
      const runner = new ProjectionRunner({
        database,
        eventStore: store,
        projections: [...allProjections],
        metrics: false,
        ...(perBatch ? { rebuildWindow: 500, unloggedShadow: false } : { rebuildWindow: spec.window }),
      });
      const rebuildOne = async (name: string) => {
        const begin = performance.now();
        const result = await runner.rebuild(name);
        return { name, eventsApplied: result.eventsApplied, ms: performance.now() - begin };
      };
      if (spec.mode === 'rebuild' || perBatch) {
        // One after the other, as `projections rebuild <name>` run for each read model.
        projections = [];
        for (const projection of allProjections) projections.push(await rebuildOne(projection.name));
      } else {
        // As `projections rebuild --all`: every rebuild at once, each in its own transactions.
        projections = await Promise.all(allProjections.map((projection) => rebuildOne(projection.name)));
      }
      await runner.stop();
      events = await logLength(database);
    }
    pgCpuS = await backendCpu(spec.database);
    await store.close();
    await database.close();
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    mode: spec.mode,
    events,
    wallMs,
    peakRss: rss.stop(),
    nodeCpuS: (cpu.user + cpu.system) / 1e6,
    pgCpuS,
    statements: statementsSent(),
    projections,
  };
}

/** CPU seconds the backends of this process have used since they connected (the pool connects at the start). */
async function backendCpu(database: string): Promise<number> {
  const pids = await backendPids(database, APPLICATION);
  return pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

async function logLength(database: Database): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(database.db);
  return Number(rows[0]!.n);
}

interface SizeResult {
  readonly size: number;
  readonly name: string;
  readonly events: number;
  readonly runs: Array<WorkerResult & { maxRssTimeV?: number }>;
}

export async function rebuildBenchmark(args: BenchArgs): Promise<void> {
  const quick = flagBoolean(args, 'quick');
  const sizes = flagNumbers(args, 'sizes', quick ? [25_000, 100_000] : [250_000, 1_000_000]);
  const rounds = flagNumber(args, 'rounds', quick ? 1 : 2);
  const cpuProf = flagBoolean(args, 'cpu-prof');
  const window = args.flags.has('window') ? flagNumber(args, 'window', 10_000) : undefined;
  const profileDir = flagString(args, 'profile-dir') ?? '/tmp/helpline-bench-profiles';
  console.log('## rebuild: replaying the history into every projection, beside the reading ceilings');
  console.log(describeMachine(await machineInfo()));
  console.log(loadNow());
  console.log(
    `projections: ${allProjections.map((projection) => `${projection.name} (${projection.handles.length} event types)`).join(', ')}; sizes ${sizes.map((s) => fmt(s)).join(' and ')} events; ${rounds} round(s), order rotated`,
  );

  const histories: SizeResult[] = [];
  for (const size of sizes) {
    const { name, meta, generatedNow } = await ensureHistory({ targetEvents: size });
    console.log(
      `  history ${name}: ${fmt(meta.events)} events, ${fmt(meta.cases)} cases, ${fmt(meta.appends)} appends (${fmt(meta.events / meta.appends, 1)} events each), ` +
        `${meta.firstEventAt?.slice(0, 10)} … ${meta.lastEventAt?.slice(0, 10)}; generated ${generatedNow ? 'now' : `on ${meta.generatedAt.slice(0, 16)}`} in ${seconds(meta.seconds * 1000)} ` +
        `(${fmt(meta.events / meta.seconds)} events/s)${meta.skippedCommands ? `, ${meta.skippedCommands} commands refused by the domain and left out` : ''}`,
    );
    histories.push({ size, name, events: meta.events, runs: [] });
  }
  if (flagBoolean(args, 'explain-only')) {
    await explainReads(histories[histories.length - 1]!.name);
    await timeApplies(histories[histories.length - 1]!.name);
    return;
  }
  if (cpuProf) mkdirSync(profileDir, { recursive: true });

  const sampler = new LoadSampler().start();
  // With --cpu-prof, one extra round at the largest size runs under the profiler, left out of the medians.
  for (let round = 0; round < rounds + (cpuProf ? 1 : 0); round++) {
    for (const history of round < rounds ? histories : histories.slice(-1)) {
      const order = MODES.map((_, index) => MODES[(index + round) % MODES.length]);
      for (const mode of order) {
        const profiled = cpuProf && round === rounds;
        if (profiled && mode === 'select') continue;
        const nodeArgs = profiled
          ? [
              '--cpu-prof',
              '--cpu-prof-dir',
              profileDir,
              '--cpu-prof-name',
              `rebuild-${mode}-${history.size}.cpuprofile`,
            ]
          : [];
        const outcome = await runChild<WorkerResult>(
          __filename,
          ['--worker', JSON.stringify({ mode: mode!, database: history.name, window } satisfies WorkerSpec)],
          { timeV: true, nodeArgs },
        );
        if (!profiled) history.runs.push({ ...outcome.result, maxRssTimeV: outcome.maxRssBytes });
        const r = outcome.result;
        console.log(
          `  ${profiled ? 'profiled' : `round ${round + 1}`} ${fmt(history.events).padStart(9)} events  ${MODE_LABEL[mode!].padEnd(31)} ${seconds(r.wallMs).padStart(8)}  ${fmt((r.events / r.wallMs) * 1000).padStart(8)} events/s  ` +
            `peak RSS ${fmtMb(r.peakRss)} (time -v ${fmtMb(outcome.maxRssBytes ?? NaN)})`,
        );
      }
    }
  }
  const load = sampler.stop();

  console.log('');
  const rows: string[][] = [];
  for (const history of histories) {
    for (const mode of MODES) {
      const runs = history.runs.filter((r) => r.mode === mode);
      rows.push([
        `${fmt(history.events)} events`,
        MODE_LABEL[mode],
        seconds(median(runs.map((r) => r.wallMs))),
        fmt(median(runs.map((r) => (r.events / r.wallMs) * 1000))),
        fmtMb(Math.max(...runs.map((r) => r.peakRss))),
        fmtMb(Math.max(...runs.map((r) => r.maxRssTimeV ?? NaN))),
        fmt(median(runs.map((r) => r.nodeCpuS)), 1),
        fmt(median(runs.map((r) => r.pgCpuS)), 1),
        fmt(median(runs.map((r) => r.statements))),
      ]);
    }
  }
  console.log(
    table(
      [
        'history',
        'what',
        'time',
        'log events/s',
        'peak RSS (sampled)',
        'max RSS (time -v)',
        'client CPU s',
        'server CPU s',
        'statements',
      ],
      rows,
    ),
  );
  console.log('');
  for (const history of histories) {
    const time = (mode: Mode) => median(history.runs.filter((r) => r.mode === mode).map((r) => r.wallMs));
    const perProjection = (mode: Mode) =>
      allProjections.map((projection) => {
        const entries = history.runs
          .filter((r) => r.mode === mode)
          .map((run) => run.projections?.find((result) => result.name === projection.name))
          .filter((result) => result !== undefined);
        const ms = median(entries.map((result) => result.ms));
        const applied = entries[0]?.eventsApplied ?? 0;
        return `${projection.name} ${seconds(ms)} (${fmt(applied)} events applied, ${fmt((applied / ms) * 1000)}/s)`;
      });
    console.log(
      `${fmt(history.events)} events: rebuild takes ${ratio(time('rebuild'), time('select'), 1)} the bare SELECT and ${ratio(time('rebuild'), time('read-all'), 1)} the store's readAll ` +
        `(per batch, as before: ${ratio(time('rebuild-per-batch'), time('select'), 1)} the bare SELECT; the fast path takes ${ratio(time('rebuild'), time('rebuild-per-batch'), 2)} its time); ` +
        `readAll takes ${ratio(time('read-all'), time('select'), 1)} the bare SELECT; all at once takes ${ratio(time('rebuild-all-at-once'), time('rebuild'), 2)} the one-after-the-other rebuild ` +
        `(${ratio(time('rebuild-all-at-once'), time('select'), 1)} the bare SELECT).\n  Per projection, one after the other: ${perProjection('rebuild').join('; ')}` +
        `\n  Per projection, per batch (before): ${perProjection('rebuild-per-batch').join('; ')}`,
    );
  }
  if (histories.length >= 2) {
    const [small, large] = [histories[0], histories[histories.length - 1]];
    for (const mode of ['rebuild-per-batch', 'rebuild', 'rebuild-all-at-once'] as const) {
      const peak = (h: SizeResult) =>
        Math.max(...h.runs.filter((r) => r.mode === mode).map((r) => r.maxRssTimeV ?? r.peakRss));
      console.log(
        `memory, ${MODE_LABEL[mode]}: max RSS ${fmtMb(peak(small!))} at ${fmt(small!.events)} events, ${fmtMb(peak(large!))} at ${fmt(large!.events)} (${ratio(large!.events, small!.events, 1)} the events, ${ratio(peak(large!), peak(small!), 2)} the memory)`,
      );
    }
  }
  console.log(describeLoad(load));

  await explainReads(histories[histories.length - 1]!.name);
  await timeApplies(histories[histories.length - 1]!.name);

  if (cpuProf) {
    console.log('');
    for (const file of readdirSync(profileDir)
      .filter((name) => name.startsWith('rebuild-') && name.endsWith('.cpuprofile'))
      .sort()) {
      console.log(describeProfile(`cpu profile ${file}`, summariseProfile(join(profileDir, file), 15)));
    }
    console.log(`(profiles in ${profileDir})`);
  }
}

/** The log position halfway through the history. */
async function middleOfLog(name: string): Promise<LogPosition> {
  return withAdmin(async (client) => {
    const { rows } = await client.query<{ txid: string; global_position: string }>(
      'select transaction_id::text as txid, global_position from events order by transaction_id, global_position offset (select count(*) / 2 from events) limit 1',
    );
    return { commit: Number(rows[0]!.txid), prepare: Number(rows[0]!.global_position) };
  }, name);
}

/** What one batch read of each projection costs on the server, at the middle of the log. */
async function explainReads(name: string): Promise<void> {
  const url = databaseUrl(name);
  const database = connectPostgres({ connectionString: url, maxConnections: 2, applicationName: 'bench-explain' });
  const store = new PostgresEventStore(database);
  try {
    const middle = await middleOfLog(name);
    console.log('');
    console.log('one batch read of 500 at the middle of the log (EXPLAIN ANALYZE of the statement readAll sends):');
    const readers: Array<{ label: string; types?: readonly string[] }> = [
      { label: 'all types' },
      ...allProjections.map((projection) => ({ label: projection.name, types: projection.handles })),
    ];
    for (const reader of readers) {
      const { statements } = await record(() => store.readAll({ after: middle, limit: 500, types: reader.types }));
      const statement = statements.find((s) => /from "events"/i.test(s.text));
      if (!statement) continue;
      const { executionMs, plan } = await explainQuery(url, statement.text, statement.values);
      const shape = plan
        .split('\n')
        .filter((line) => /Scan|Sort|Limit|Filter|Rows Removed|Buffers/.test(line))
        .slice(0, 6)
        .map((line) => line.trim())
        .join(' | ');
      console.log(`  ${reader.label.padEnd(18)} ${fmtMs(executionMs).padStart(9)}  ${shape}`);
    }
  } finally {
    await store.close();
    await database.close();
  }
}

class RolledBack extends Error {}

/**
 * One batch of 500 events from the middle of the log applied to each projection's live tables (full after the
 * rebuild) in a transaction that is rolled back: how long the apply takes, how many statements it sends and
 * how much of that time is spent waiting for PostgreSQL (the rest is the projection's own JavaScript).
 */
async function timeApplies(name: string): Promise<void> {
  const database = connectPostgres({
    connectionString: databaseUrl(name),
    maxConnections: 2,
    applicationName: 'bench-explain',
  });
  const store = new PostgresEventStore(database);
  try {
    const middle = await middleOfLog(name);
    console.log('');
    console.log('one batch of 500 events applied to the live tables at the middle of the log (rolled back):');
    for (const projection of allProjections) {
      const batch = await store.readAll({ after: middle, limit: 500, types: projection.handles });
      if (batch.length === 0) continue;
      let outcome: { wallMs: number; statements: number; dbMs: number } | undefined;
      try {
        await database.db.transaction().execute(async (trx) => {
          const started = performance.now();
          const { statements } = await record(() => projection.apply(trx, batch, liveTables(projection)));
          const wallMs = performance.now() - started;
          outcome = {
            wallMs,
            statements: statements.length,
            dbMs: statements.reduce((sum, s) => sum + (s.ms ?? 0), 0),
          };
          throw new RolledBack();
        });
      } catch (error) {
        if (!(error instanceof RolledBack)) {
          console.log(
            `  ${projection.name}: could not apply (${error instanceof Error ? error.message.slice(0, 80) : String(error)})`,
          );
          continue;
        }
      }
      if (!outcome) continue;
      console.log(
        `  ${projection.name.padEnd(18)} ${fmt(batch.length)} events: ${fmtMs(outcome.wallMs).padStart(9)}, ${outcome.statements} statements, ` +
          `${fmtMs(outcome.dbMs)} waiting for PostgreSQL, ${fmtMs(outcome.wallMs - outcome.dbMs)} in the projection's JavaScript`,
      );
    }
  } finally {
    await store.close();
    await database.close();
  }
}

export async function historyCommand(args: BenchArgs): Promise<void> {
  const sizes = flagNumbers(args, 'events', flagBoolean(args, 'quick') ? [25_000, 100_000] : [250_000, 1_000_000]);
  for (const size of sizes) {
    const { name, meta, generatedNow } = await ensureHistory({ targetEvents: size });
    console.log(
      `${name}: ${fmt(meta.events)} events, ${fmt(meta.cases)} cases; ${generatedNow ? 'generated now' : `cached, generated on ${meta.generatedAt}`} in ${seconds(meta.seconds * 1000)}`,
    );
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const worker = flagString(args, 'worker');
  if (worker) {
    emitResult(await runWorker(JSON.parse(worker) as WorkerSpec));
    return;
  }
  await rebuildBenchmark(args);
}

runMain(module, main);
