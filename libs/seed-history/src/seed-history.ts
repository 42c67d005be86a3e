import type { Principal } from '@helpline/auth';
import { CaseCommandHandler, createCaseServices, type CommandBuilding } from '@helpline/cases';
import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import { DirectoryService } from '@helpline/directory';
import { callerLookupHintOf, type CaseCommand } from '@helpline/domain';
import type { EventStore } from '@helpline/event-store';
import { normalisePhoneNumber, pseudonymise } from '@helpline/privacy';
import { HISTORY_SERVICE_IDS, planHistory, PlannedCommand } from './history-plan';

export interface SeedHistoryOptions {
  /** Multiplies the volume, same shape (default 1: the 952 published contacts). */
  readonly scale?: number;
  /** The PRNG seed (default 2019): the same seed gives the same history, ids included. */
  readonly seed?: number;
  /** Called every `progressEvery` commands. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly progressEvery?: number;
  /**
   * How many commands are in flight at once, each on a different case, each case's commands in order. Default: 1
   * on embedded PGlite (one session: nothing to gain), 8 on a PostgreSQL server (appends wait on commits).
   */
  readonly concurrency?: number;
}

export interface SeedHistoryResult {
  readonly seed: number;
  readonly scale: number;
  readonly cases: number;
  readonly contacts: number;
  readonly commands: number;
  readonly milliseconds: number;
}

export class HistoryAlreadySeededError extends Error {
  constructor(readonly seed: number) {
    super(`The history of seed ${seed} is already in this store; use another --seed.`);
    this.name = 'HistoryAlreadySeededError';
  }
}

/**
 * Writes a realistic history (see history-plan.ts) through the domain: every command goes through the
 * CaseCommandHandler, as the API sends it (load, decide, append with the expected version), call-back numbers
 * sealed and pseudonymised as the API does. Nothing is written to a table directly. Imports the sample resource
 * directory first, since a referral can only target an active service of it.
 */
export async function seedHistory(
  database: Database,
  eventStore: EventStore,
  settings: Settings,
  options: SeedHistoryOptions = {},
): Promise<SeedHistoryResult> {
  const started = Date.now();
  const plan = planHistory({ seed: options.seed, scale: options.scale });
  const directory = DirectoryService.onDatabase(database);
  await directory.importSample('seed-history');
  for (const serviceId of HISTORY_SERVICE_IDS) {
    if (!(await directory.isActiveService(serviceId)))
      throw new Error(`The directory service ${serviceId} the history refers to is not active`);
  }
  const first = plan.commands[0];
  if (first && (await eventStore.streamVersion(`case-${first.caseId}`)) > 0)
    throw new HistoryAlreadySeededError(plan.seed);

  const { executor } = createCaseServices(database, eventStore, settings);
  const every = options.progressEvery ?? 500;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? (database.kind === 'pglite' ? 1 : 8)));
  let done = 0;
  const callers = new KnownCallers();
  await inCaseOrder(plan.commands, concurrency, async (planned, index) => {
    await send(executor, planned, settings.pseudonymSecret, callers, `seed-${plan.seed}-${index}`);
    done++;
    if (options.onProgress && done % every === 0) options.onProgress(done, plan.commands.length);
  });
  options.onProgress?.(plan.commands.length, plan.commands.length);
  return {
    seed: plan.seed,
    scale: plan.scale,
    cases: plan.cases,
    contacts: plan.contacts,
    commands: plan.commands.length,
    milliseconds: Date.now() - started,
  };
}

/**
 * Sends the commands in the plan's (time) order, up to `concurrency` at once, never two of one case together: a
 * case's commands go one after the other, so each is decided on the state the previous one left. With more than
 * one in flight the log's order may differ slightly from the time order; the history's content does not.
 */
async function inCaseOrder(
  commands: readonly PlannedCommand[],
  concurrency: number,
  send: (command: PlannedCommand, index: number) => Promise<void>,
): Promise<void> {
  const lastOfCase = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  let failure: { readonly error: unknown } | undefined;
  for (const [index, command] of commands.entries()) {
    while (inFlight.size >= concurrency && failure === undefined) await Promise.race(inFlight).catch(() => undefined);
    if (failure !== undefined) break;
    const sent = (lastOfCase.get(command.caseId) ?? Promise.resolve()).then(() => send(command, index));
    lastOfCase.set(command.caseId, sent);
    const tracked: Promise<void> = sent
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        inFlight.delete(tracked);
        if (lastOfCase.get(command.caseId) === sent) lastOfCase.delete(command.caseId);
      });
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure.error;
}

/**
 * Who called each line, as the API's look-up by number would answer while seeding (no read model runs then):
 * a caller is returning when another case of the line, not erased, has their pseudonym.
 */
class KnownCallers {
  private readonly casesOf = new Map<string, Set<string>>();

  recognise(lineId: string, pseudonym: string, caseId: string): boolean {
    const cases = this.casesOf.get(`${lineId}|${pseudonym}`) ?? new Set<string>();
    const returning = [...cases].some((other) => other !== caseId);
    this.casesOf.set(`${lineId}|${pseudonym}`, cases.add(caseId));
    return returning;
  }

  forget(caseId: string): void {
    for (const cases of this.casesOf.values()) cases.delete(caseId);
  }
}

const OPERATOR: Principal = { id: 'seed-history-operator', role: 'operator', lines: ['sostienimi'] };

function principalOf(planned: PlannedCommand): Principal {
  if (planned.actor.role === 'service_staff')
    return {
      id: `seed-history-${planned.actor.serviceId}`,
      role: 'service_staff',
      lines: ['sostienimi'],
      serviceId: planned.actor.serviceId,
    };
  return OPERATOR;
}

async function send(
  executor: CaseCommandHandler,
  planned: PlannedCommand,
  pseudonymSecret: string,
  callers: KnownCallers,
  requestId: string,
): Promise<void> {
  const { caseId, at, step } = planned;
  await executor.execute({
    caseId,
    occurredAt: at,
    opensCase: planned.opensCase,
    context: { principal: principalOf(planned), requestId, fingerprint: requestId },
    build: async (building: CommandBuilding): Promise<CaseCommand> => {
      if (step.kind === 'callback') {
        const number = normalisePhoneNumber(step.phone, 'number');
        const pseudonym = pseudonymise(pseudonymSecret, number);
        return {
          type: 'RequestCallback',
          caseId,
          occurredAt: building.occurredAt,
          callbackId: step.callbackId,
          number: await building.sealFor(`callback-${step.callbackId}`, 'number', number),
          callerPseudonym: await building.seal('callerPseudonym', pseudonym),
          callerLookupHint: callerLookupHintOf(pseudonym),
          returningCaller: callers.recognise(building.loaded.state.lineId ?? '', pseudonym, caseId),
        };
      }
      if (step.command.type === 'ErasePersonalData') {
        await building.eraseAll(OPERATOR.id);
        callers.forget(caseId);
      }
      return { ...step.command, caseId, occurredAt: building.occurredAt };
    },
  });
}
