import { DateTime } from 'luxon';
import { CaseRuleViolation, decide, evolve, initialState, caseEventSchemaVersions, type CaseState, type CaseEvent } from '@helpline/domain';
import { connectPostgres, Database, migrateToLatest } from '@helpline/database';
import { EventToAppend, PostgresEventStore } from '@helpline/event-store';
import { ProjectionRunner } from '@helpline/projections';
import { allProjections } from '@helpline/runtime';
import { sql } from 'kysely';
import { caseLife, firstContact, openingTime, Rng, type Actor, type LifeStep } from './case-life';
import { databaseExists, databaseUrl, dropDatabase, freshDatabase } from './pg-admin';
import { fmt, seconds } from './stats';

/** Bump when the generator changes what it writes: cached databases of another version are generated again. */
export const GENERATOR_VERSION = 1;

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
  readonly how: string;
}

const DAY = 24 * 3600 * 1000;

export async function readMeta(database: Database, kind: string): Promise<GenerationMeta | undefined> {
  try {
    const { rows } = await sql<{ value: GenerationMeta }>`select value from bench_meta where key = ${kind}`.execute(database.db);
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

/** Opens the cached database when it holds a complete generation of this version; otherwise undefined. */
async function openCached(name: string, kind: string, target: number): Promise<{ database: Database; meta: GenerationMeta } | undefined> {
  if (!(await databaseExists(name))) return undefined;
  const database = connectPostgres({ connectionString: databaseUrl(name), maxConnections: 4, applicationName: 'bench-history' });
  const meta = await readMeta(database, kind);
  if (meta && meta.generatorVersion === GENERATOR_VERSION && meta.events >= target) return { database, meta };
  await database.close();
  return undefined;
}

interface CaseInProgress {
  state: CaseState;
  version: number;
  pending: EventToAppend[];
  life: Generator<LifeStep>;
  done: boolean;
}

interface HeapItem {
  readonly at: number;
  readonly seq: number;
  readonly caseId: string;
  readonly step: LifeStep;
}

/** A binary min-heap on (at, seq). */
class StepHeap {
  private readonly items: HeapItem[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): HeapItem | undefined {
    return this.items[0];
  }
  push(item: HeapItem): void {
    const items = this.items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!less(items[index], items[parent])) break;
      [items[index], items[parent]] = [items[parent], items[index]];
      index = parent;
    }
  }
  pop(): HeapItem | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < items.length && less(items[left], items[smallest])) smallest = left;
        if (right < items.length && less(items[right], items[smallest])) smallest = right;
        if (smallest === index) break;
        [items[index], items[smallest]] = [items[smallest], items[index]];
        index = smallest;
      }
    }
    return top;
  }
}

function less(a: HeapItem, b: HeapItem): boolean {
  return a.at !== b.at ? a.at < b.at : a.seq < b.seq;
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

/** Runs `work` over the items with `concurrency` workers. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Events per case of the simulated lives, estimated without a database. */
function averageEventsPerCase(seed: number, sample = 3000): number {
  const rng = new Rng(seed);
  let events = 0;
  const start = Date.UTC(2025, 0, 1);
  for (let index = 0; index < sample; index++) {
    const caseId = rng.uuid();
    let state = initialState;
    for (const step of caseLife(rng, caseId, start + index * 60_000)) {
      try {
        for (const event of decide(step.command, state)) {
          state = evolve(state, event);
          events++;
        }
      } catch (error) {
        if (!(error instanceof CaseRuleViolation)) throw error;
      }
    }
  }
  return events / sample;
}

export interface HistoryOptions {
  readonly targetEvents: number;
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

/**
 * The history database for the rebuild and as-of benchmarks: `bench_history_<n>`, at least n case events over
 * 2025 (Europe/Rome), kept between runs. Generated when missing (or of an older generator version); the time it
 * took is kept in the database and printed each time.
 *
 * How: case lives (lib/case-life.ts) start at a steady pace over the year; their commands are taken in time
 * order, a simulated week at a time, each decided by the domain's `decide` against the case's folded state,
 * and each case's events of that week appended in one append through PostgresEventStore with the expected
 * version (8 writers). The log therefore interleaves cases week by week, as a live service's log does.
 */
export async function ensureHistory(options: HistoryOptions): Promise<{ name: string; meta: GenerationMeta; generatedNow: boolean }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `bench_history_${options.targetEvents}`;
  const cached = await openCached(name, 'history', options.targetEvents);
  if (cached) {
    await cached.database.close();
    return { name, meta: cached.meta, generatedNow: false };
  }
  log(`  generating ${name}: ${fmt(options.targetEvents)} events through the event store (cached for later runs)…`);
  const started = performance.now();
  const url = await freshDatabase(name);
  const concurrency = options.concurrency ?? 8;
  const database = connectPostgres({ connectionString: url, maxConnections: concurrency, applicationName: 'bench-history' });
  try {
    await migrateToLatest(database.db);
    const store = new PostgresEventStore(database);
    const seed = 20250101;
    const perCase = averageEventsPerCase(seed + 1);
    const plannedCases = Math.ceil((options.targetEvents / perCase) * 1.03);
    const yearStart = DateTime.fromISO('2025-01-01T00:00:00', { zone: 'Europe/Rome' }).toMillis();
    const yearEnd = DateTime.fromISO('2026-01-01T00:00:00', { zone: 'Europe/Rome' }).toMillis();
    const rng = new Rng(seed);
    const heap = new StepHeap();
    const cases = new Map<string, CaseInProgress>();
    let seq = 0;
    let opened = 0;
    let events = 0;
    let appends = 0;
    let skipped = 0;
    let nextOpening = openingTime(rng, yearStart, yearEnd, 0);
    let windowStart = yearStart;
    let lastReport = 0;
    let firstEventAt: number | undefined;
    let lastEventAt = 0;

    const advance = (caseId: string, progress: CaseInProgress) => {
      const next = progress.life.next();
      if (next.done) progress.done = true;
      else heap.push({ at: next.value.at, seq: seq++, caseId, step: next.value });
    };

    while (events < options.targetEvents && (heap.size > 0 || opened < plannedCases)) {
      const windowEnd = windowStart + 7 * DAY;
      // Open the cases whose first contact falls in this window.
      while (opened < plannedCases && nextOpening < windowEnd) {
        const caseId = rng.uuid();
        const progress: CaseInProgress = { state: initialState, version: 0, pending: [], life: caseLife(rng, caseId, nextOpening), done: false };
        cases.set(caseId, progress);
        advance(caseId, progress);
        opened++;
        nextOpening = openingTime(rng, yearStart, yearEnd, opened / plannedCases);
      }
      // Decide every command of the window, in time order, against its case.
      const touched = new Set<string>();
      for (let top = heap.peek(); top && top.at < windowEnd; top = heap.peek()) {
        heap.pop();
        const progress = cases.get(top.caseId)!;
        const correlationId = rng.uuid();
        try {
          for (const event of decide(top.step.command, progress.state)) {
            progress.state = evolve(progress.state, event);
            progress.pending.push(toAppend(event, top.step.actor, correlationId));
          }
          touched.add(top.caseId);
          firstEventAt ??= top.at;
          lastEventAt = Math.max(lastEventAt, top.at);
        } catch (error) {
          if (!(error instanceof CaseRuleViolation)) throw error;
          skipped++;
        }
        advance(top.caseId, progress);
      }
      const batch = [...touched];
      await inParallel(batch, concurrency, async (caseId) => {
        const progress = cases.get(caseId)!;
        const pending = progress.pending;
        progress.pending = [];
        const result = await store.append(`case-${caseId}`, pending, { expectedVersion: progress.version === 0 ? 'no_stream' : progress.version });
        progress.version = result.nextExpectedVersion;
        events += pending.length;
        appends++;
      });
      for (const caseId of batch) if (cases.get(caseId)?.done) cases.delete(caseId);
      windowStart = windowEnd;
      if (events - lastReport >= options.targetEvents / 10) {
        lastReport = events;
        const elapsed = performance.now() - started;
        log(`    ${fmt(events)} events, ${fmt(opened)} cases, ${seconds(elapsed)} (${fmt((events / elapsed) * 1000)} events/s)`);
      }
    }
    await store.close();
    log('    vacuum analyze…');
    await sql`vacuum analyze events`.execute(database.db);
    await sql`vacuum analyze event_streams`.execute(database.db);
    const meta: GenerationMeta = {
      kind: 'history',
      generatorVersion: GENERATOR_VERSION,
      target: options.targetEvents,
      events,
      cases: opened,
      appends,
      skippedCommands: skipped,
      seconds: (performance.now() - started) / 1000,
      generatedAt: new Date().toISOString(),
      firstEventAt: firstEventAt ? new Date(firstEventAt).toISOString() : undefined,
      lastEventAt: new Date(lastEventAt).toISOString(),
      how: 'simulated case lives decided by the domain, appended through PostgresEventStore a simulated week at a time, 8 writers',
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
export async function ensureOpenCases(options: OpenCasesOptions): Promise<{ name: string; meta: GenerationMeta; generatedNow: boolean }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `bench_http_seed_${options.cases}`;
  const cached = await openCached(name, 'open-cases', options.cases);
  if (cached) {
    await cached.database.close();
    return { name, meta: cached.meta, generatedNow: false };
  }
  log(`  seeding ${name}: ${fmt(options.cases)} open cases through the event store, then the projections (cached for later runs)…`);
  const started = performance.now();
  const url = await freshDatabase(name);
  const concurrency = options.concurrency ?? 8;
  const database = connectPostgres({ connectionString: url, maxConnections: concurrency + 2, applicationName: 'bench-seed' });
  try {
    await migrateToLatest(database.db);
    const store = new PostgresEventStore(database);
    const rng = new Rng(4242);
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
      if (rng.chance(0.3)) commands.push({ type: 'AssignOperator', caseId, occurredAt: later(20), operatorId: operator.actorId });
      if (rng.chance(0.3)) commands.push({ type: 'FrameRequest', caseId, occurredAt: later(30), categories: ['listening'], note: { keyId: `case-key-${caseId}`, ciphertext: rng.hex(160) } });
      if (line.id === 'employee-support' || rng.chance(0.15)) {
        const callbackId = rng.uuid();
        commands.push({ type: 'RequestCallback', caseId, occurredAt: later(5), callbackId, number: { keyId: `callback-key-${callbackId}`, ciphertext: rng.hex(56) }, callerPseudonym: rng.hex(64) });
      }
      if (rng.chance(0.08)) commands.push({ type: 'FlagRisk', caseId, occurredAt: later(10), level: rng.pick(['moderate', 'high'] as const), kind: 'self_harm' });
      if (rng.chance(0.3)) commands.push({ type: 'RecordFollowUpContact', caseId, occurredAt: later(24 * 60), channel: 'phone', direction: 'inbound', outOfHours: false });
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
      if ((index + 1) % Math.ceil(options.cases / 5) === 0) log(`    ${fmt(index + 1)} cases, ${seconds(performance.now() - started)}`);
    });
    const appended = performance.now();
    log(`    ${fmt(events)} events appended in ${seconds(appended - started)}; rebuilding the projections…`);
    const runner = new ProjectionRunner({ database, eventStore: store, projections: [...allProjections], metrics: false });
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
