/**
 * Append benchmark: events per second and append latency for this project's PostgreSQL event store, for
 * Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql) and for plain multi-row INSERTs into a
 * bare table (the raw limit), on the same server, with the same payloads, events per append and streams, at 1,
 * 8 and 32 concurrent writers. Each system has a fresh database of its own; rounds are interleaved (system
 * order rotated each round) and every measurement runs in a child process of its own.
 *
 *   npm run bench -- append [--quick] [--rounds 3] [--cpu-prof] [--events-per-append 2] [--concurrency 1,8,32]
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { connectPostgres, migrateToLatest } from '@helpline/database';
import { EventToAppend } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { BenchArgs, flagBoolean, flagNumber, flagNumbers, flagString, parseArgs } from './lib/args';
import { emitResult, runChild, runMain } from './lib/child';
import { describeProfile, summariseProfile } from './lib/cpu-profile';
import { describeLoad, describeMachine, LoadSampler, loadNow, machineInfo } from './lib/machine';
import {
  backendPids,
  cpuDelta,
  cpuSecondsOf,
  databaseUrl,
  dropDatabase,
  freshDatabase,
  withAdmin,
} from './lib/pg-admin';
import { countStatements, explainStatements, record, statementsSent } from './lib/pg-capture';
import { fmt, fmtMs, median, Latencies, ratio, table } from './lib/stats';

const SYSTEMS = ['helpline', 'emmett', 'raw'] as const;
type System = (typeof SYSTEMS)[number];

const LABEL: Record<System, string> = {
  helpline: 'helpline PostgresEventStore',
  emmett: 'Emmett PostgreSQL 0.42',
  raw: 'raw multi-row INSERT (pg)',
};

const DATABASE: Record<System, string> = {
  helpline: 'bench_append_helpline',
  emmett: 'bench_append_emmett',
  raw: 'bench_append_raw',
};
const APPLICATION: Record<System, string> = { helpline: 'bench-helpline', emmett: 'bench-emmett', raw: 'bench-raw' };

interface WorkerSpec {
  readonly system: System;
  readonly database: string;
  readonly concurrency: number;
  /** New streams this round; each gets two appends (one opening it, one at its version), as a case does. */
  readonly streams: number;
  readonly eventsPerAppend: number;
  readonly round: number;
  /** Write a V8 CPU profile of the timed phase (not of start-up and warm-up) here. */
  readonly profilePath?: string;
}

interface WorkerResult {
  readonly system: System;
  readonly concurrency: number;
  readonly appends: number;
  readonly events: number;
  readonly wallMs: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly nodeCpuS: number;
  readonly pgCpuS: number;
  readonly statementsPerAppend: number;
}

// ---------------------------------------------------------------------------------------------------------------
// The workload: the same events for every system
// ---------------------------------------------------------------------------------------------------------------

/** A deterministic stream id shaped like the application's (`case-<uuid>`). */
function streamId(round: number, concurrency: number, index: number): string {
  const tail = `${round.toString(16).padStart(2, '0')}${concurrency.toString(16).padStart(2, '0')}${index.toString(16).padStart(8, '0')}`;
  return `case-00000000-0000-4000-8000-${tail}`;
}

const CIPHERTEXT = 'A'.repeat(96) + 'pX0rS2Vh9KzQ3mLw';

/** Two events as a counselling command writes them: a framed request with a sealed note, a follow-up contact. */
function payloadEvents(count: number): EventToAppend[] {
  const occurredAt = new Date().toISOString();
  const metadata = {
    actorId: 'operator-17',
    actorRole: 'operator',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    requestFingerprint: 'c2f9d1a4b7e8f0a1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9',
  };
  const templates: Array<Pick<EventToAppend, 'type' | 'schemaVersion' | 'data'>> = [
    {
      type: 'RequestFramed',
      schemaVersion: 1,
      data: {
        categories: ['listening', 'information_on_services'],
        note: { keyId: 'case-key-3f1c2a9e-3b7a-4c1e-9a53-0f3f0a6c2b11', ciphertext: CIPHERTEXT },
        occurredAt,
      },
    },
    {
      type: 'FollowUpContactRecorded',
      schemaVersion: 1,
      data: { channel: 'phone', direction: 'inbound', outOfHours: false, occurredAt },
    },
  ];
  return Array.from({ length: count }, (_, index) => ({
    ...templates[index % templates.length]!,
    metadata,
    occurredAt,
  }));
}

export function payloadBytes(eventsPerAppend: number): number {
  return (
    payloadEvents(eventsPerAppend).reduce(
      (sum, event) => sum + JSON.stringify(event.data).length + JSON.stringify(event.metadata).length,
      0,
    ) / eventsPerAppend
  );
}

interface Appender {
  append(stream: string, expectedVersion: number, events: EventToAppend[]): Promise<void>;
  close(): Promise<void>;
}

function appenderFor(system: System, connectionString: string, poolSize: number): Appender {
  if (system === 'helpline') {
    const database = connectPostgres({
      connectionString,
      maxConnections: poolSize,
      applicationName: APPLICATION.helpline,
    });
    const store = new PostgresEventStore(database);
    return {
      async append(stream, expectedVersion, events) {
        await store.append(stream, events, { expectedVersion: expectedVersion === 0 ? 'no_stream' : expectedVersion });
      },
      async close() {
        await store.close();
        await database.close();
      },
    };
  }
  if (system === 'emmett') {
    const pool = new Pool({ connectionString, max: poolSize, application_name: APPLICATION.emmett });
    const store = getPostgreSQLEventStore(connectionString, {
      connectionOptions: { pool },
      schema: { autoMigration: 'None' },
    });
    return {
      async append(stream, expectedVersion, events) {
        await store.appendToStream(
          stream,
          events.map((event) => ({
            type: event.type,
            data: event.data as Record<string, unknown>,
            metadata: { ...event.metadata, occurredAt: event.occurredAt },
          })),
          { expectedStreamVersion: expectedVersion === 0 ? STREAM_DOES_NOT_EXIST : BigInt(expectedVersion) },
        );
      },
      async close() {
        await store.close();
        await pool.end();
      },
    };
  }
  const pool = new Pool({ connectionString, max: poolSize, application_name: APPLICATION.raw });
  return {
    async append(stream, expectedVersion, events) {
      const values: unknown[] = [];
      const rows = events.map((event, index) => {
        values.push(
          randomUUID(),
          stream,
          expectedVersion + index + 1,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          event.occurredAt,
        );
        const base = index * 8;
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`;
      });
      await pool.query(
        `insert into raw_events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata, occurred_at) values ${rows.join(', ')}`,
        values,
      );
    },
    async close() {
      await pool.end();
    },
  };
}

async function prepareDatabase(system: System): Promise<void> {
  const url = await freshDatabase(DATABASE[system]);
  if (system === 'helpline') {
    const database = connectPostgres({ connectionString: url, maxConnections: 1 });
    await migrateToLatest(database.db);
    await database.close();
  } else if (system === 'emmett') {
    const pool = new Pool({ connectionString: url, max: 2 });
    const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
    await store.schema.migrate();
    await store.close();
    await pool.end();
  } else {
    await withAdmin(
      (client) =>
        client.query(`create table raw_events (
          global_position bigserial primary key, event_id uuid not null, stream_id text not null, stream_version bigint not null,
          event_type text not null, schema_version integer not null, data jsonb not null, metadata jsonb not null,
          occurred_at timestamptz not null, recorded_at timestamptz not null default now())`),
      DATABASE.raw,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The worker: one system, one concurrency, one round, in a process of its own
// ---------------------------------------------------------------------------------------------------------------

async function runWorker(spec: WorkerSpec): Promise<WorkerResult> {
  countStatements();
  const url = databaseUrl(spec.database);
  const appender = appenderFor(spec.system, url, spec.concurrency);
  const events = payloadEvents(spec.eventsPerAppend);
  const writers = Array.from({ length: spec.concurrency }, (_, writer) => writer);

  // Warm-up: open every pooled connection and let the JIT settle, on streams of their own.
  const warmupRound = 200 + spec.round;
  await Promise.all(
    writers.map(async (writer) => {
      for (let index = writer; index < spec.concurrency * 10; index += spec.concurrency) {
        const stream = streamId(warmupRound, spec.concurrency, index);
        await appender.append(stream, 0, events);
        await appender.append(stream, spec.eventsPerAppend, events);
      }
    }),
  );

  const profiler = spec.profilePath ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  const pids = await backendPids(spec.database, APPLICATION[spec.system]);
  const pgBefore = cpuSecondsOf(pids);
  const statementsBefore = statementsSent();
  const latencies = new Latencies();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    writers.map(async (writer) => {
      for (let pass = 0; pass < 2; pass++) {
        for (let index = writer; index < spec.streams; index += spec.concurrency) {
          const begin = performance.now();
          await appender.append(streamId(spec.round, spec.concurrency, index), pass * spec.eventsPerAppend, events);
          latencies.add(performance.now() - begin);
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const pgCpuS = cpuDelta(pgBefore, await backendPids(spec.database, APPLICATION[spec.system]));
  const appends = latencies.size;
  const statements = statementsSent() - statementsBefore;
  if (profiler && spec.profilePath) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(spec.profilePath, JSON.stringify(profile));
    profiler.disconnect();
  }
  await appender.close();
  return {
    system: spec.system,
    concurrency: spec.concurrency,
    appends,
    events: appends * spec.eventsPerAppend,
    wallMs,
    p50: latencies.percentile(50),
    p90: latencies.percentile(90),
    p99: latencies.percentile(99),
    max: latencies.percentile(100),
    nodeCpuS: (cpu.user + cpu.system) / 1e6,
    pgCpuS,
    statementsPerAppend: statements / appends,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The orchestrator
// ---------------------------------------------------------------------------------------------------------------

export interface AppendSummaryRow {
  readonly system: System;
  readonly concurrency: number;
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly nodeCpuMsPer1k: number;
  readonly pgCpuMsPer1k: number;
  readonly statementsPerAppend: number;
  readonly rounds: number;
}

function fsyncFloor(): string | undefined {
  try {
    const output = execFileSync(
      '/usr/lib/postgresql/15/bin/pg_test_fsync',
      ['-s', '1', '-f', '/tmp/helpline-bench-fsync.tmp'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const match =
      /Compare file sync methods using one 8kB write:[\s\S]*?fdatasync\s+([\d.]+) ops\/sec\s+(\d+) usecs\/op/.exec(
        output,
      );
    return match
      ? `pg_test_fsync: fdatasync of one 8 kB write ${fmt(Number(match[1]))} ops/s (${match[2]} µs): the commit floor of a single writer`
      : undefined;
  } catch {
    return undefined;
  }
}

export async function appendBenchmark(args: BenchArgs): Promise<void> {
  const quick = flagBoolean(args, 'quick');
  const rounds = flagNumber(args, 'rounds', quick ? 1 : 3);
  const eventsPerAppend = flagNumber(args, 'events-per-append', 2);
  const levels = flagNumbers(args, 'concurrency', [1, 8, 32]);
  const systems = (flagString(args, 'systems')?.split(',') as System[] | undefined) ?? [...SYSTEMS];
  const cpuProf = flagBoolean(args, 'cpu-prof');
  const profileDir = flagString(args, 'profile-dir') ?? '/tmp/helpline-bench-profiles';
  /** New streams per round at each concurrency (two appends each). */
  const streamsAt = (concurrency: number) => (quick ? 1 : 2) * Math.max(250, Math.min(concurrency, 16) * 250);

  console.log('## append: events per second and latency, 1 / 8 / 32 concurrent writers');
  console.log(describeMachine(await machineInfo()));
  console.log(loadNow());
  if (!quick) {
    const floor = fsyncFloor();
    if (floor) console.log(floor);
  }
  console.log(
    `workload: ${eventsPerAppend} events per append (${fmt(payloadBytes(eventsPerAppend))} bytes of JSON data + metadata per event), each round opens ` +
      `new streams and appends twice to each (no_stream, then the exact version), ${levels.map((c) => `${fmt(streamsAt(c) * 2)} appends at ${c}`).join(', ')}; ` +
      `pool size = writers; ${rounds} round(s), system order rotated each round; medians over rounds`,
  );

  for (const system of systems) await prepareDatabase(system);
  const sizeBefore = await databaseSizes(systems);
  if (cpuProf) mkdirSync(profileDir, { recursive: true });

  const sampler = new LoadSampler().start();
  const results: WorkerResult[] = [];
  const script = __filename;
  // With --cpu-prof, one extra round runs under the profiler; its figures are printed but left out of the medians.
  for (let round = 0; round < rounds + (cpuProf ? 1 : 0); round++) {
    for (const concurrency of levels) {
      const order = systems.map((_, index) => systems[(index + round) % systems.length]);
      for (const system of order) {
        const profiled = cpuProf && round === rounds;
        const spec: WorkerSpec = {
          system: system!,
          database: DATABASE[system!],
          concurrency,
          streams: streamsAt(concurrency),
          eventsPerAppend,
          round,
          profilePath: profiled ? join(profileDir, `append-${system}-c${concurrency}.cpuprofile`) : undefined,
        };
        const { result } = await runChild<WorkerResult>(script, ['--worker', JSON.stringify(spec)]);
        if (!profiled) results.push(result);
        console.log(
          `  ${profiled ? 'profiled' : `round ${round + 1}`} c=${String(concurrency).padStart(2)} ${LABEL[system!].padEnd(30)} ${fmt((result.events / result.wallMs) * 1000).padStart(7)} events/s  ` +
            `p50 ${fmtMs(result.p50)}  p99 ${fmtMs(result.p99)}`,
        );
      }
    }
  }
  const load = sampler.stop();

  const summary: AppendSummaryRow[] = [];
  for (const concurrency of levels) {
    for (const system of systems) {
      const mine = results.filter((r) => r.system === system && r.concurrency === concurrency);
      summary.push({
        system,
        concurrency,
        eventsPerSecond: median(mine.map((r) => (r.events / r.wallMs) * 1000)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        nodeCpuMsPer1k: median(mine.map((r) => (r.nodeCpuS * 1e6) / r.events)),
        pgCpuMsPer1k: median(mine.map((r) => (r.pgCpuS * 1e6) / r.events)),
        statementsPerAppend: median(mine.map((r) => r.statementsPerAppend)),
        rounds: mine.length,
      });
    }
  }
  const find = (system: System, concurrency: number) =>
    summary.find((row) => row.system === system && row.concurrency === concurrency);

  console.log('');
  console.log(
    table(
      [
        'system',
        'writers',
        'events/s',
        'p50',
        'p99',
        'statements/append',
        'client CPU ms/1k ev',
        'server CPU ms/1k ev',
        'both',
      ],
      summary.map((row) => [
        LABEL[row.system],
        String(row.concurrency),
        fmt(row.eventsPerSecond),
        fmtMs(row.p50),
        fmtMs(row.p99),
        fmt(row.statementsPerAppend, 1),
        fmt(row.nodeCpuMsPer1k),
        fmt(row.pgCpuMsPer1k),
        fmt(row.nodeCpuMsPer1k + row.pgCpuMsPer1k),
      ]),
    ),
  );
  console.log('');
  console.log('headline (events/s, medians):');
  console.log(
    table(
      [
        'writers',
        'helpline / Emmett',
        'helpline / raw INSERT',
        'Emmett / raw INSERT',
        'CPU per event, helpline / Emmett',
      ],
      levels.map((concurrency) => {
        const [h, e, r] = [find('helpline', concurrency), find('emmett', concurrency), find('raw', concurrency)];
        const cpu = (row?: AppendSummaryRow) => (row ? row.nodeCpuMsPer1k + row.pgCpuMsPer1k : NaN);
        return [
          String(concurrency),
          ratio(h?.eventsPerSecond ?? NaN, e?.eventsPerSecond ?? NaN),
          ratio(h?.eventsPerSecond ?? NaN, r?.eventsPerSecond ?? NaN),
          ratio(e?.eventsPerSecond ?? NaN, r?.eventsPerSecond ?? NaN),
          ratio(cpu(h), cpu(e)),
        ];
      }),
    ),
  );

  const sizeAfter = await databaseSizes(systems);
  // Every event written: the timed ones and each worker's warm-up (10 streams per writer, two appends each).
  const totalEvents = (system: System) =>
    results
      .filter((r) => r.system === system)
      .reduce((sum, r) => sum + r.events + r.concurrency * 20 * eventsPerAppend, 0);
  console.log('');
  console.log(
    `database growth per event (tables + indexes + TOAST): ${systems
      .map((system) => `${LABEL[system]} ${fmt((sizeAfter[system] - sizeBefore[system]) / totalEvents(system))} B`)
      .join(', ')}`,
  );
  console.log(describeLoad(load));

  await explainAppends(systems, eventsPerAppend);

  if (cpuProf) {
    console.log('');
    for (const file of readdirSync(profileDir)
      .filter((name) => name.startsWith('append-') && name.endsWith('.cpuprofile'))
      .sort()) {
      console.log(describeProfile(`cpu profile ${file}`, summariseProfile(join(profileDir, file), 12)));
    }
    console.log(`(profiles in ${profileDir}; open them in Chrome DevTools or speedscope)`);
  }
  if (!flagBoolean(args, 'keep')) for (const system of systems) await dropDatabase(DATABASE[system]);
}

async function databaseSizes(systems: readonly System[]): Promise<Record<System, number>> {
  const sizes = {} as Record<System, number>;
  await withAdmin(async (client) => {
    for (const system of systems) {
      const { rows } = await client.query<{ size: string }>('select pg_database_size($1) as size', [DATABASE[system]]);
      sizes[system] = Number(rows[0]!.size);
    }
  });
  return sizes;
}

/** What each system sends for one new stream and one append to it, replayed under EXPLAIN (ANALYZE, WAL). */
async function explainAppends(systems: readonly System[], eventsPerAppend: number): Promise<void> {
  console.log('');
  console.log(
    'server side of one append (EXPLAIN ANALYZE, WAL; a new stream then an append at its version, rolled back):',
  );
  const events = payloadEvents(eventsPerAppend);
  for (const system of systems) {
    const url = databaseUrl(DATABASE[system]);
    const appender = appenderFor(system, url, 1);
    const stream = `case-${randomUUID()}`;
    const { statements: sent } = await record(async () => {
      await appender.append(stream, 0, events);
      await appender.append(stream, eventsPerAppend, events);
    });
    // The store's wake-up NOTIFY is sent on its own, at most once per 25 ms whatever the rate: not part of an append.
    const statements = sent.filter((statement) => !/^select pg_notify/i.test(statement.text.trim()));
    const notices = sent.length - statements.length;
    await appender.close();
    const replacement = `case-${randomUUID()}`;
    const explained = await explainStatements(
      url,
      statements,
      (value) => (value === stream ? replacement : value),
      (text) => text.split(stream).join(replacement),
    );
    // The second half is the append to an existing stream, the common case (the first opens the stream).
    const existing = explained.slice(explained.length / 2);
    const totalMs = existing.reduce((sum, s) => sum + s.executionMs, 0);
    const totalWal = existing.reduce((sum, s) => sum + s.walBytes, 0);
    console.log(
      `  ${LABEL[system]}: ${statements.length / 2} statements per append (incl. begin/commit)${notices > 0 ? ` (and ${notices} wake-up NOTIFY for the two, sent apart)` : ''}; an append to an existing stream: server execution ${fmtMs(totalMs)}, WAL ${fmt(totalWal)} bytes (+ commit record)`,
    );
    for (const statement of existing) {
      const fullPages =
        statement.walFullPages > 0
          ? ` (${statement.walFullPages} full-page image${statement.walFullPages > 1 ? 's' : ''}: first change since a checkpoint)`
          : '';
      console.log(
        `      ${fmtMs(statement.executionMs).padStart(9)}  WAL ${fmt(statement.walBytes).padStart(6)} B in ${statement.walRecords} records${fullPages}  ${statement.text.slice(0, 100)}${statement.text.length > 100 ? '…' : ''}`,
      );
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  const worker = flagString(args, 'worker');
  if (worker) {
    emitResult(await runWorker(JSON.parse(worker) as WorkerSpec));
    return;
  }
  await appendBenchmark(args);
}

runMain(module, main);
