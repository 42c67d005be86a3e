import { tmpdir } from 'node:os';
/**
 * HTTP benchmark: the API started in this process (createApiApp, as `npm start` builds it) on a copy of a
 * database holding 100,000 open cases, loaded by autocannon from a child process. Requests per second and
 * latency for opening a case (POST /cases), a command on an existing case (POST /cases/:id/follow-up-contacts,
 * over a pool of cases), reading the operator queue (GET /queues/unassigned), beside a trivial route of the
 * same app (GET /health): the framework's ceiling on this machine. Routes are interleaved, order rotated.
 *
 *   npm run bench -- http [--quick] [--cases 100000] [--rounds 3] [--duration 10] [--connections 16] [--cpu-prof]
 *                         [--projections in-process,projector]
 *
 * Each deployment runs on its own copy of the database: the projections in the API process (the embedded
 * default), and in their own process beside it (PROJECTIONS_IN_PROCESS=false and the projector).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { sql } from 'kysely';
import { mintDevelopmentToken } from '@helpline/auth';
import { resolveSettings } from '@helpline/config';
import { connectPostgres, migrateToLatest } from '@helpline/database';
import { CaseQueueQueries } from '@helpline/projections';
import { createApiApp } from '../apps/api/src/bootstrap';
import { BenchArgs, flagBoolean, flagNumber, flagString, parseArgs } from './lib/args';
import { runChild, runMain } from './lib/child';
import { describeProfile, summariseProfile } from './lib/cpu-profile';
import type { LoadResult, LoadSpec } from './lib/autocannon-worker';
import { ensureOpenCases } from './lib/history';
import { describeLoad, describeMachine, LoadSampler, loadNow, machineInfo } from './lib/machine';
import { backendPids, cpuDelta, cpuSecondsOf, dropDatabase, freshDatabase, processCpuSeconds } from './lib/pg-admin';
import { countStatements, explainQuery, record, statementsSent } from './lib/pg-capture';
import { fmt, fmtMs, median, ratio, seconds, table } from './lib/stats';

const RUN_DATABASE = 'bench_http_run';
const APPLICATION = 'bench-http-api';
/** The application name the projector gives its connections (openMigratedDatabase). */
const PROJECTOR_APPLICATION = 'helpline-projector';
const JWT_SECRET = 'bench-jwt-secret-that-is-long-enough-for-hs256';

type RouteName = 'health' | 'open-case' | 'follow-up' | 'unassigned-queue';

interface Route {
  readonly name: RouteName;
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly authenticated: boolean;
}

const ROUTES: readonly Route[] = [
  { name: 'health', label: 'GET /health (trivial route)', method: 'GET', path: '/health', authenticated: false },
  {
    name: 'open-case',
    label: 'POST /cases (open a case)',
    method: 'POST',
    path: '/cases',
    authenticated: true,
    body: {
      lineId: 'sostienimi',
      channel: 'phone',
      callerType: 'person_concerned',
      ageBand: '30_40',
      gender: 'female',
      concern: 'cocaine',
      heardOfLine: 'web_search',
    },
  },
  {
    name: 'follow-up',
    label: 'POST /cases/:id/follow-up-contacts',
    method: 'POST',
    path: '/cases/{caseId}/follow-up-contacts',
    authenticated: true,
    body: { channel: 'phone', direction: 'inbound' },
  },
  {
    name: 'unassigned-queue',
    label: 'GET /queues/unassigned',
    method: 'GET',
    path: '/queues/unassigned',
    authenticated: true,
  },
];

interface RouteRun extends LoadResult {
  readonly route: RouteName;
  /** Requests in the measured window: the warm-up's and the run's (CPU is read over both). */
  readonly windowRequests: number;
  readonly apiCpuS: number;
  readonly projectorCpuS: number;
  readonly pgCpuS: number;
  /** Statements the API process sent to PostgreSQL (command path and in-process projections). */
  readonly statements: number;
}

export async function httpBenchmark(args: BenchArgs): Promise<void> {
  const quick = flagBoolean(args, 'quick');
  const cases = flagNumber(args, 'cases', quick ? 10_000 : 100_000);
  const rounds = flagNumber(args, 'rounds', quick ? 1 : 3);
  const duration = flagNumber(args, 'duration', quick ? 4 : 10);
  const connections = flagNumber(args, 'connections', 16);
  const cpuProf = flagBoolean(args, 'cpu-prof');
  const profileDir = flagString(args, 'profile-dir') ?? '/tmp/helpline-bench-profiles';

  console.log(`## http: the API on ${fmt(cases)} open cases, autocannon in a child process`);
  console.log(describeMachine(await machineInfo()));
  console.log(loadNow());
  const { name: seedName, meta } = await ensureOpenCases({ cases });
  countStatements();
  console.log(
    `  seed ${seedName}: ${fmt(meta.events)} events of ${fmt(meta.cases)} open cases, generated on ${meta.generatedAt.slice(0, 16)} in ${seconds(meta.seconds * 1000)} (${meta.how})`,
  );
  const deployments = (flagString(args, 'projections') ?? 'in-process,projector').split(',') as Deployment[];
  const unknown = deployments.filter((deployment) => !DEPLOYMENTS.includes(deployment));
  if (unknown.length > 0) throw new Error(`--projections takes ${DEPLOYMENTS.join(',')}; got ${unknown.join(',')}`);
  const results: { deployment: Deployment; summary: RouteSummary[] }[] = [];
  for (const deployment of deployments) {
    console.log('');
    console.log(
      deployment === 'in-process'
        ? '### the projections in the API process (PROJECTIONS_IN_PROCESS=true, the embedded default)'
        : '### the projections in their own process (PROJECTIONS_IN_PROCESS=false and the projector, `npm run start:projector`)',
    );
    const summary = await benchDeployment(deployment, {
      seedName,
      rounds,
      duration,
      connections,
      quick,
      cpuProf,
      profileDir,
      keep: flagBoolean(args, 'keep'),
    });
    results.push({ deployment, summary });
  }
  if (results.length > 1) {
    console.log('');
    console.log('Both deployments, each route against GET /health of the same run:');
    console.log(
      table(
        [
          'route',
          ...results.map((result) => `${result.deployment}: of /health`),
          ...results.map((r) => `${r.deployment}: p99`),
        ],
        ROUTES.map((route) => [
          route.label,
          ...results.map((result) => {
            const row = result.summary.find((candidate) => candidate.route.name === route.name)!;
            const health = result.summary.find((candidate) => candidate.route.name === 'health')!;
            return ratio(row.rps, health.rps);
          }),
          ...results.map((result) =>
            fmtMs(result.summary.find((candidate) => candidate.route.name === route.name)!.p99),
          ),
        ]),
      ),
    );
  }
}

type Deployment = 'in-process' | 'projector';
const DEPLOYMENTS: readonly Deployment[] = ['in-process', 'projector'];

interface DeploymentOptions {
  readonly seedName: string;
  readonly rounds: number;
  readonly duration: number;
  readonly connections: number;
  readonly quick: boolean;
  readonly cpuProf: boolean;
  readonly profileDir: string;
  readonly keep: boolean;
}

interface RouteSummary {
  readonly route: Route;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly bad: number;
  readonly apiCpuMs: number;
  readonly projectorCpuMs: number;
  readonly pgCpuMs: number;
  readonly generatorCpuMs: number;
  readonly statements: number;
}

async function benchDeployment(deployment: Deployment, options: DeploymentOptions): Promise<RouteSummary[]> {
  const { seedName, rounds, duration, connections, quick, cpuProf, profileDir } = options;
  const url = await freshDatabase(RUN_DATABASE, seedName);

  const settings = resolveSettings({
    DATABASE_URL: url,
    AUTH_JWT_SECRET: JWT_SECRET,
    MASTER_KEY: randomBytes(32).toString('base64'),
    PSEUDONYM_SECRET: 'bench-pseudonym-secret-long-enough-0123456789',
    KEY_STORE_DIR: join(tmpdir(), 'helpline-bench-keys', seedName),
    LOG_LEVEL: 'silent',
    PORT: '3000',
    PROJECTIONS_IN_PROCESS: String(deployment === 'in-process'),
    // The limiter runs, as deployed, but never refuses: every request comes from one caller here.
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  const projector = deployment === 'projector' ? await startProjector(url, settings.keyStoreDir) : undefined;
  const database = connectPostgres({ connectionString: url, applicationName: APPLICATION });
  await migrateToLatest(database.db);
  const app = await createApiApp({ settings, database, bufferLogs: true });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const token = await mintDevelopmentToken(JWT_SECRET, {
    sub: 'operator-bench',
    role: 'operator',
    lines: ['sostienimi'],
  });

  const { rows: pool } = await sql<{
    case_id: string;
  }>`select case_id from case_queue where line_id = 'sostienimi' order by case_id limit 20000`.execute(database.db);
  const caseIdsFile = '/tmp/helpline-bench-http-cases.txt';
  writeFileSync(caseIdsFile, pool.map((row) => row.case_id).join('\n'));
  const { rows: counts } = await sql<{
    open: string;
    unassigned: string;
  }>`select count(*) as open, count(*) filter (where assigned_operator_id is null and line_id = 'sostienimi') as unassigned from case_queue`.execute(
    database.db,
  );
  console.log(
    `  API on ${base} (pino level silent, projections ${deployment === 'in-process' ? 'in process' : `in the projector, pid ${projector!.pid}`}), ${fmt(Number(counts[0]!.open))} open cases in the queue (${fmt(Number(counts[0]!.unassigned))} unassigned on the operator's line); ` +
      `follow-ups go round ${fmt(pool.length)} cases; ${connections} connections, ${duration} s per run after a ${quick ? 1 : 2} s warm-up, ${rounds} round(s), route order rotated`,
  );
  if (cpuProf) mkdirSync(profileDir, { recursive: true });
  const profiler = cpuProf ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
  }

  const sampler = new LoadSampler().start();
  const runs: RouteRun[] = [];
  // Let the in-process projection runner settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  // With --cpu-prof, one extra round runs under the profiler; its figures are printed but left out of the medians.
  for (let round = 0; round < rounds + (profiler ? 1 : 0); round++) {
    const order = ROUTES.map((_, index) => ROUTES[(index + round) % ROUTES.length]);
    for (const route of order) {
      const spec: LoadSpec = {
        url: base,
        method: route!.method,
        path: route!.path,
        caseIdsFile: route!.path.includes('{caseId}') ? caseIdsFile : undefined,
        body: route!.body ? JSON.stringify(route!.body) : undefined,
        headers: {
          'content-type': 'application/json',
          ...(route!.authenticated ? { authorization: `Bearer ${token}` } : {}),
        },
        connections,
        durationSeconds: duration,
        warmupSeconds: quick ? 1 : 2,
      };
      const profiled = profiler !== undefined && round === rounds;
      if (profiled) await profiler.post('Profiler.start');
      const pids = await servingBackends();
      const pgBefore = cpuSecondsOf(pids);
      const projectorBefore = projector ? processCpuSeconds(projector.pid!) : 0;
      const statementsBefore = statementsSent();
      const cpuBefore = process.cpuUsage();
      const { result } = await runChild<LoadResult>(join(__dirname, 'lib', 'autocannon-worker.js'), [
        JSON.stringify(spec),
      ]);
      const cpu = process.cpuUsage(cpuBefore);
      const pgCpuS = cpuDelta(pgBefore, await servingBackends());
      const projectorCpuS = projector ? processCpuSeconds(projector.pid!) - projectorBefore : 0;
      if (profiled) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(join(profileDir, `http-${deployment}-${route!.name}.cpuprofile`), JSON.stringify(profile));
      }
      // The warm-up ran in the same window as the measurement: CPU per request is over both.
      const windowRequests = result.total + result.requestsPerSecond * spec.warmupSeconds;
      const statements = statementsSent() - statementsBefore;
      if (!profiled)
        runs.push({
          ...result,
          route: route!.name,
          windowRequests,
          apiCpuS: (cpu.user + cpu.system) / 1e6,
          projectorCpuS,
          pgCpuS,
          statements,
        });
      const bad = result.non2xx + result.errors;
      console.log(
        `  ${profiled ? 'profiled' : `round ${round + 1}`} ${route!.label.padEnd(36)} ${fmt(result.requestsPerSecond).padStart(7)} req/s  p50 ${fmtMs(result.p50)}  p99 ${fmtMs(result.p99)}` +
          (bad > 0 ? `  (${fmt(result.non2xx)} non-2xx, ${fmt(result.errors)} errors)` : ''),
      );
    }
  }
  const load = sampler.stop();

  console.log('');
  const summary: RouteSummary[] = ROUTES.map((route) => {
    const mine = runs.filter((run) => run.route === route.name);
    return {
      route,
      rps: median(mine.map((r) => r.requestsPerSecond)),
      p50: median(mine.map((r) => r.p50)),
      p99: median(mine.map((r) => r.p99)),
      bad: mine.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
      apiCpuMs: median(mine.map((r) => (r.apiCpuS * 1000) / r.windowRequests)),
      projectorCpuMs: median(mine.map((r) => (r.projectorCpuS * 1000) / r.windowRequests)),
      pgCpuMs: median(mine.map((r) => (r.pgCpuS * 1000) / r.windowRequests)),
      generatorCpuMs: median(mine.map((r) => (r.generatorCpuS * 1000) / r.windowRequests)),
      statements: median(mine.map((r) => r.statements / r.windowRequests)),
    };
  });
  const health = summary.find((row) => row.route.name === 'health')!;
  console.log(
    table(
      [
        'route',
        'req/s',
        'p50',
        'p99',
        'of /health',
        'non-2xx + errors',
        'statements/req',
        'API CPU ms/req',
        'projector CPU ms/req',
        'PostgreSQL CPU ms/req',
        'autocannon CPU ms/req',
      ],
      summary.map((row) => [
        row.route.label,
        fmt(row.rps),
        fmtMs(row.p50),
        fmtMs(row.p99),
        ratio(row.rps, health.rps),
        fmt(row.bad),
        fmt(row.statements, 1),
        fmt(row.apiCpuMs, 2),
        projector ? fmt(row.projectorCpuMs, 2) : '-',
        fmt(row.pgCpuMs, 2),
        fmt(row.generatorCpuMs, 2),
      ]),
    ),
  );
  console.log(describeLoad(load));

  // The queue's queries, as the route sends them, under EXPLAIN ANALYZE.
  const queries = new CaseQueueQueries(database.db);
  const { statements } = await record(() => queries.unassigned(['sostienimi'], new Date(), { limit: 50 }));
  // Only the listing's statements: the projections running in the process may write case_queue meanwhile.
  const queueStatements = statements.filter(
    (s) => /from "case_queue" as "q"/.test(s.text) && /^\s*select/i.test(s.text),
  );
  console.log('');
  console.log(
    `GET /queues/unassigned: ${queueStatements.length} statement(s) on case_queue, under EXPLAIN ANALYZE (one line per plan node):`,
  );
  for (const statement of queueStatements) {
    const { executionMs, plan } = await explainQuery(url, statement.text, statement.values);
    console.log(`  execution ${fmtMs(executionMs)}`);
    console.log(
      plan
        .split('\n')
        .filter((line) => /->|Limit|Execution/.test(line))
        .map((line) => `    ${line.replace(/\(cost=[^)]*\) /, '').trimEnd()}`)
        .join('\n'),
    );
  }

  await app.close();
  await database.close();
  if (projector) await stopProjector(projector);
  if (profiler) {
    profiler.disconnect();
    console.log('');
    for (const route of ROUTES)
      console.log(
        describeProfile(
          `cpu profile of the API process (projections ${deployment}), ${route.label}`,
          summariseProfile(join(profileDir, `http-${deployment}-${route.name}.cpuprofile`), 12),
        ),
      );
    console.log(`(profiles in ${profileDir})`);
  }
  if (!options.keep) await dropDatabase(RUN_DATABASE);
  return summary;
}

/** The backends of the API and of the projector (when it runs): both serve the requests. */
async function servingBackends(): Promise<number[]> {
  return [
    ...(await backendPids(RUN_DATABASE, APPLICATION)),
    ...(await backendPids(RUN_DATABASE, PROJECTOR_APPLICATION)),
  ];
}

/** The projector as `npm run start:projector` runs it (dist/ is built by `npm run bench`), ready when its tables are. */
async function startProjector(url: string, keyStoreDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'apps', 'projector', 'src', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: url,
      AUTH_JWT_SECRET: JWT_SECRET,
      MASTER_KEY: randomBytes(32).toString('base64'),
      PSEUDONYM_SECRET: 'bench-pseudonym-secret-long-enough-0123456789',
      KEY_STORE_DIR: keyStoreDir,
      LOG_LEVEL: 'info',
      PROJECTOR_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('projector started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the projector exited (${code}) before it started`)));
  });
  child.stdout.resume();
  return child;
}

async function stopProjector(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  await httpBenchmark(parseArgs());
}

runMain(module, main);
