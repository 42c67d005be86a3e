import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CaseRuleViolation,
  decide,
  evolve,
  initialState,
  caseEventSchemaVersions,
  type CaseEvent,
} from '@helpline/domain';
import { connectPostgres, Database, migrateToLatest } from '@helpline/database';
import { EventToAppend } from '@helpline/event-store';
import { PostgresEventStore } from '@helpline/event-store/postgres';
import { ProjectionRunner } from '@helpline/projections';
import { allProjections } from '@helpline/composition';
import { sql } from 'kysely';
import { Prng } from '@helpline/seed-history';
import { firstContact, randomHex, type Actor } from './first-contact';
import { runTimedNode } from './child';
import { databaseExists, databaseUrl, dropDatabase, freshDatabase } from './pg-admin';
import { fmt, fmtMb, seconds } from './stats';

/** Bump when the generator changes what it writes: cached databases of another version are generated again. */
export const GENERATOR_VERSION = 2;

export interface GenerationMeta {
  readonly kind: string;
  readonly generatorVersion: number;
  readonly target: number;
  readonly events: number;
  readonly cases: number;
  readonly appends: number;
  readonly skippedCommands: number;
  readonly seconds: number;
  readonly generatedAt: string;
  readonly firstEventAt?: string;
  readonly lastEventAt?: string;
  /** The seed commands that made a history, in order. */
  readonly seedRuns?: readonly string[];
  readonly how: string;
}

const DAY = 24 * 3600 * 1000;

export async function readMeta(database: Database, kind: string): Promise<GenerationMeta | undefined> {
  try {
    const { rows } = await sql<{ value: GenerationMeta }>`select value from bench_meta where key = ${kind}`.execute(
      database.db,
    );
    return rows[0]?.value;
  } catch {
    return undefined;
  }
}

async function writeMeta(database: Database, meta: GenerationMeta): Promise<void> {
  await sql`create table if not exists bench_meta (key text primary key, value jsonb not null)`.execute(database.db);
  await sql`insert into bench_meta (key, value) values (${meta.kind}, ${JSON.stringify(meta)}::jsonb)
    on conflict (key) do update set value = excluded.value`.execute(database.db);
}

/** Opens the cached database when it holds a generation of this version (complete or not); otherwise undefined. */
async function openCached(
  name: string,
  kind: string,
): Promise<{ database: Database; meta: GenerationMeta } | undefined> {
  if (!(await databaseExists(name))) return undefined;
  const database = connectPostgres({
    connectionString: databaseUrl(name),
    maxConnections: 4,
    applicationName: 'bench-history',
  });
  const meta = await readMeta(database, kind);
  if (meta && meta.generatorVersion === GENERATOR_VERSION) return { database, meta };
  await database.close();
  return undefined;
}

/** Runs `work` over the items with `concurrency` workers. */
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function toAppend(event: CaseEvent, actor: Actor, correlationId: string): EventToAppend {
  return {
    type: event.type,
    schemaVersion: caseEventSchemaVersions[event.type],
    data: event.data,
    metadata: { actorId: actor.actorId, actorRole: actor.actorRole, correlationId, causationId: correlationId },
    occurredAt: (event.data as { occurredAt: string }).occurredAt,
  };
}

/**
 * Case events the seed command writes per unit of --scale: 17,329 at scale 4, 995,062 at scale 233 (seed 2019). Used to choose the scale for a target size; the real count is kept.
 */
const EVENTS_PER_SCALE = 4_250;

/** The CLI's environment for a benchmark database: fixed development secrets, no logs. */
export function cliEnvironment(database: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl(database),
    AUTH_JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
    MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    PSEUDONYM_SECRET: 'bench-pseudonym-secret-long-enough-0123456789',
    KEY_STORE_DIR: join(tmpdir(), 'helpline-bench-keys', database),
    LOG_LEVEL: 'silent',
  };
}

export const CLI = join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.js');

export interface HistoryOptions {
  readonly targetEvents: number;
  readonly log?: (line: string) => void;
}

/**
 * The history database for the rebuild and as-of benchmarks: `bench_history_<n>`, at least n case events, kept
 * between runs. Made by the seed command, as an evaluator would make one: `npm run cli -- seed-history --scale
 * <s>` (SostieniMi, Sept 2019 – Nov 2020, the published shape times s, every command through the domain and the
 * event store, 8 in flight); when that falls short of n, topped up by the same command with the next seeds
 * (other cases over the same months). The time it took is kept in the database and printed each time.
 */
export async function ensureHistory(
  options: HistoryOptions,
): Promise<{ name: string; meta: GenerationMeta; generatedNow: boolean }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `bench_history_${options.targetEvents}`;
  const cached = await openCached(name, 'history');
  if (cached && cached.meta.events >= options.targetEvents) {
    await cached.database.close();
    return { name, meta: cached.meta, generatedNow: false };
  }
  const started = performance.now();
  const earlier = cached?.meta;
  // A history made before the runs were recorded was made by one run of the default seed.
  const runs = [
    ...(earlier?.seedRuns ?? (earlier ? [earlier.how.replace(/^npm run cli -- /, '').replace(/ \(.*$/, '')] : [])),
  ];
  if (!cached) {
    log(`  generating ${name} with the seed command (cached for later runs)…`);
    await freshDatabase(name);
    await runTimedNode(CLI, ['migrate'], cliEnvironment(name));
  } else {
    log(`  ${name} holds ${fmt(cached.meta.events)} events: topping it up to ${fmt(options.targetEvents)}…`);
  }
  const database =
    cached?.database ??
    connectPostgres({ connectionString: databaseUrl(name), maxConnections: 2, applicationName: 'bench-history' });
  try {
    let stats = await historyStats(database);
    while (stats.events < options.targetEvents) {
      const seed = HISTORY_SEED + runs.length;
      const scale = Math.max(1, Math.ceil((options.targetEvents - stats.events) / EVENTS_PER_SCALE));
      const args = ['seed-history', '--scale', String(scale), '--seed', String(seed)];
      log(`    npm run cli -- ${args.join(' ')}`);
      const seeded = await runTimedNode(CLI, args, cliEnvironment(name));
      log(`    ${seeded.stdout.split('\n')[0]} (seed command's max RSS ${fmtMb(seeded.maxRssBytes ?? Number.NaN)})`);
      runs.push(`seed-history ${args.slice(1).join(' ')}`);
      stats = await historyStats(database);
    }
    log('    vacuum analyze…');
    await sql`vacuum analyze`.execute(database.db);
    const meta: GenerationMeta = {
      kind: 'history',
      generatorVersion: GENERATOR_VERSION,
      target: options.targetEvents,
      events: stats.events,
      cases: stats.cases,
      appends: await countAppends(database),
      skippedCommands: 0,
      seconds: (earlier?.seconds ?? 0) + (performance.now() - started) / 1000,
      generatedAt: new Date().toISOString(),
      firstEventAt: stats.first,
      lastEventAt: stats.last,
      seedRuns: runs,
      how: `npm run cli -- ${runs.join(', then ')} (every command through CaseCommandExecutor and PostgresEventStore, 8 in flight)`,
    };
    await writeMeta(database, meta);
    return { name, meta, generatedNow: true };
  } catch (error) {
    await database.close().catch(() => undefined);
    if (!cached) await dropDatabase(name).catch(() => undefined);
    throw error;
  } finally {
    await database.close().catch(() => undefined);
  }
}

/** The first seed of a history (the seed command's default); top-ups take the next ones. */
const HISTORY_SEED = 2019;

async function historyStats(
  database: Database,
): Promise<{ events: number; cases: number; first?: string; last?: string }> {
  const { rows } = await sql<{ events: string; cases: string; first: Date | null; last: Date | null }>`
    select count(*) as events, count(distinct stream_id) as cases, min(occurred_at) as first, max(occurred_at) as last
    from events where stream_id like 'case-%'`.execute(database.db);
  const row = rows[0];
  return {
    events: Number(row!.events),
    cases: Number(row!.cases),
    first: row!.first ? new Date(row!.first).toISOString() : undefined,
    last: row!.last ? new Date(row!.last).toISOString() : undefined,
  };
}

/** Appends: distinct transactions among the case events (one append is one transaction). */
async function countAppends(database: Database): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`select count(distinct transaction_id) as n from events where stream_id like 'case-%'`.execute(database.db);
  return Number(rows[0]!.n);
}

export interface OpenCasesOptions {
  readonly cases: number;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

/**
 * The seed database of the HTTP benchmark: `bench_http_seed_<n>`, n open cases opened in the last two weeks
 * (a first contact each; some assigned, framed, flagged, waiting for a call-back or with a follow-up), appended
 * through PostgresEventStore (one append per case, decided by the domain), then every projection rebuilt so the
 * read models hold them. Kept between runs; each run works on a copy.
 */
export async function ensureOpenCases(
  options: OpenCasesOptions,
): Promise<{ name: string; meta: GenerationMeta; generatedNow: boolean }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `bench_http_seed_${options.cases}`;
  const cached = await openCached(name, 'open-cases');
  if (cached && cached.meta.events > 0 && cached.meta.cases >= options.cases) {
    await cached.database.close();
    return { name, meta: cached.meta, generatedNow: false };
  }
  await cached?.database.close();
  log(
    `  seeding ${name}: ${fmt(options.cases)} open cases through the event store, then the projections (cached for later runs)…`,
  );
  const started = performance.now();
  const url = await freshDatabase(name);
  const concurrency = options.concurrency ?? 8;
  const database = connectPostgres({
    connectionString: url,
    maxConnections: concurrency + 2,
    applicationName: 'bench-seed',
  });
  try {
    await migrateToLatest(database.db);
    const store = new PostgresEventStore(database);
    const rng = new Prng(4242);
    const now = Date.now();
    let events = 0;
    let skipped = 0;
    const indexes = Array.from({ length: options.cases }, (_, index) => index);
    await inParallel(indexes, concurrency, async (index) => {
      const caseId = rng.uuid();
      let at = now - 14 * DAY + Math.floor((index / options.cases) * 14 * DAY);
      const operator: Actor = { actorId: `operator-${rng.int(1, 40)}`, actorRole: 'operator' };
      const { command, line } = firstContact(rng, caseId, at);
      const commands = [command];
      const later = (minutes: number) => new Date((at += minutes * 60_000)).toISOString();
      if (rng.chance(0.3))
        commands.push({ type: 'AssignOperator', caseId, occurredAt: later(20), operatorId: operator.actorId });
      if (rng.chance(0.3))
        commands.push({
          type: 'FrameRequest',
          caseId,
          occurredAt: later(30),
          categories: ['listening'],
          note: { keyId: `case-key-${caseId}`, ciphertext: randomHex(rng, 160) },
        });
      if (line.id === 'employee-support' || rng.chance(0.15)) {
        const callbackId = rng.uuid();
        commands.push({
          type: 'RequestCallback',
          caseId,
          occurredAt: later(5),
          callbackId,
          number: { keyId: `callback-key-${callbackId}`, ciphertext: randomHex(rng, 56) },
          callerPseudonym: { keyId: `case-key-${caseId}`, ciphertext: randomHex(rng, 96) },
          callerLookupHint: randomHex(rng, 1),
          returningCaller: rng.chance(0.2),
        });
      }
      if (rng.chance(0.08))
        commands.push({
          type: 'FlagRisk',
          caseId,
          occurredAt: later(10),
          level: rng.pick(['moderate', 'high'] as const),
          kind: 'self_harm',
        });
      if (rng.chance(0.3))
        commands.push({
          type: 'RecordFollowUpContact',
          caseId,
          occurredAt: later(24 * 60),
          channel: 'phone',
          direction: 'inbound',
          outOfHours: false,
        });
      let state = initialState;
      const pending: EventToAppend[] = [];
      for (const next of commands) {
        try {
          for (const event of decide(next, state)) {
            state = evolve(state, event);
            pending.push(toAppend(event, operator, caseId));
          }
        } catch (error) {
          if (!(error instanceof CaseRuleViolation)) throw error;
          skipped++;
        }
      }
      await store.append(`case-${caseId}`, pending, { expectedVersion: 'no_stream' });
      events += pending.length;
      if ((index + 1) % Math.ceil(options.cases / 5) === 0)
        log(`    ${fmt(index + 1)} cases, ${seconds(performance.now() - started)}`);
    });
    const appended = performance.now();
    log(`    ${fmt(events)} events appended in ${seconds(appended - started)}; rebuilding the projections…`);
    const runner = new ProjectionRunner({
      database,
      eventStore: store,
      projections: [...allProjections],
      metrics: false,
    });
    for (const projection of allProjections) await runner.rebuild(projection.name);
    await runner.stop();
    await store.close();
    log(`    projections rebuilt in ${seconds(performance.now() - appended)}`);
    await sql`vacuum analyze`.execute(database.db);
    const meta: GenerationMeta = {
      kind: 'open-cases',
      generatorVersion: GENERATOR_VERSION,
      target: options.cases,
      events,
      cases: options.cases,
      appends: options.cases,
      skippedCommands: skipped,
      seconds: (performance.now() - started) / 1000,
      generatedAt: new Date().toISOString(),
      how: 'one append per case through PostgresEventStore (8 writers), then ProjectionRunner.rebuild of every projection',
    };
    await writeMeta(database, meta);
    return { name, meta, generatedNow: true };
  } catch (error) {
    await database.close().catch(() => undefined);
    await dropDatabase(name).catch(() => undefined);
    throw error;
  } finally {
    await database.close().catch(() => undefined);
  }
}
