import type { Sealed } from '@helpline/domain';
import {
  formatPosition,
  IdempotencyKeyReusedError,
  StreamVersionConflictError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@helpline/event-store';
import type { PersonalDataVault } from '@helpline/privacy';
import type { AggregateDefinition, DomainEventShape } from './aggregate-definition';
import type { CommandContext, CommandPrincipal } from './command-context';
import {
  FutureOccurrenceError,
  IdempotencyKeyReusedForAnotherRequestError,
  StaleVersionError,
  StreamContendedError,
} from './command-errors';

/** What a use case gets, on each attempt, to build its domain command from what it prepared. */
export interface CommandInput<TState> {
  /** The aggregate's state, folded from its stream as read on this attempt. */
  readonly state: TState;
  /** The stream's version on this attempt (0: no stream yet). */
  readonly version: number;
  /** When it happened: the time the client gave, or now (the same on every attempt). */
  readonly occurredAt: string;
  /** Seals a personal value with the aggregate's own key (field: the property name in the event data). */
  seal(field: string, plaintext: string): Promise<Sealed>;
  /** Seals with a key of its own under the aggregate's (a call-back's number), destroyed separately. */
  sealFor(subjectSuffix: string, field: string, plaintext: string): Promise<Sealed>;
}

export interface CommandRequest<TState, TCommand, TEvent, TPrincipal extends CommandPrincipal> {
  /** The aggregate's id (a new one when the command opens it). */
  readonly id: string;
  readonly context: CommandContext<TPrincipal>;
  /** When the client says it happened; defaults to now; refused beyond a few minutes in the future. */
  readonly occurredAt?: string;
  /** The command opens the aggregate: no reachability check (the decider refuses a second opening). */
  readonly opens?: boolean;
  /** Who may reach the aggregate for this use case, when it differs from the definition's `reachableBy`. */
  readonly reachable?: (state: TState, version: number) => boolean;
  /**
   * The key when the client sent none, for a command that must happen once per aggregate whatever the client
   * does (a retry is then answered from the first append; another request under it is left to the decider).
   */
  readonly fallbackIdempotencyKey?: string;
  /**
   * Builds the domain command. It runs on every attempt, inside the retry loop: look-ups (the directory, another
   * aggregate) belong before the handler is called, never here.
   */
  build(input: CommandInput<TState>): TCommand | Promise<TCommand>;
  /** Runs after `decide`, before the append: a refusal here writes nothing (a second aggregate decided alongside). */
  beforeAppend?(events: readonly TEvent[], state: TState): void | Promise<void>;
}

export interface CommandOutcome<TEvent> {
  readonly id: string;
  readonly streamId: string;
  /** The stream's version after the append: what the client sends as If-Match next time. */
  readonly version: number;
  /** Where the append's last event stands in the global log. */
  readonly position: string;
  /** The events appended, as recorded (on a replay, those of the first append). */
  readonly recorded: readonly RecordedEvent[];
  /** The events this call decided and appended (empty on a replay). */
  readonly appended: readonly TEvent[];
  /** True when the answer is the first append of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
}

export interface RetryPolicy {
  /** How long a command without an asserted version keeps retrying a lost race before answering "try later". */
  readonly budgetMs: number;
  /** First back-off; each further one doubles, up to `maxBackoffMs`; each is drawn at random below it (jitter). */
  readonly firstBackoffMs: number;
  readonly maxBackoffMs: number;
}

const DEFAULT_RETRY_POLICY: RetryPolicy = { budgetMs: 5_000, firstBackoffMs: 5, maxBackoffMs: 200 };
const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The one command path of every event-sourced aggregate (after Emmett's CommandHandler): answer a retried request
 * from its first append (Idempotency-Key), read the stream and fold it, answer "not found" for an aggregate the
 * caller may not reach, refuse a version the client saw that is no longer the stream's (If-Match), build the
 * command with the aggregate's sealing key, decide, and append at the version read. A write that loses the race to
 * another is retried on the new state, with jittered back-off, for a bounded time, unless the client asserted
 * the version it saw; a client that asserted none is never told its version is stale.
 */
export class EventSourcedCommandHandler {
  constructor(
    private readonly eventStore: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  async handle<TState, TCommand, TEvent extends DomainEventShape, TPrincipal extends CommandPrincipal>(
    aggregate: AggregateDefinition<TState, TCommand, TEvent, TPrincipal>,
    request: CommandRequest<TState, TCommand, TEvent, TPrincipal>,
  ): Promise<CommandOutcome<TEvent>> {
    const { context } = request;
    const clientKey = clientIdempotencyKey(context);
    const idempotencyKey = clientKey ?? request.fallbackIdempotencyKey;
    const earlierAnswer = async (): Promise<CommandOutcome<TEvent> | undefined> => {
      const earlier = idempotencyKey ? await this.eventStore.findAppend(idempotencyKey) : undefined;
      if (!earlier) return undefined;
      if (answersThisRequest(aggregate, earlier, request)) return outcomeOf(aggregate, earlier, [], true);
      if (clientKey) throw new IdempotencyKeyReusedForAnotherRequestError();
      return undefined;
    };
    const answered = await earlierAnswer();
    if (answered) return answered;
    const occurredAt = checkedOccurredAt(request.occurredAt);
    const streamId = aggregate.streamName(request.id);
    const deadline = Date.now() + this.retryPolicy.budgetMs;
    for (let attempt = 0; ; attempt++) {
      const { state, version } = await this.load(aggregate, streamId);
      const reachable = request.reachable ?? ((s: TState, v: number) => aggregate.reachableBy(context.principal, s, v));
      if (!request.opens && !reachable(state, version)) throw aggregate.notFound();
      if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
        // An overlapping retry of a request that has just been appended moved the version: answer it as a retry.
        const retried = await earlierAnswer();
        if (retried) return retried;
        throw new StaleVersionError(streamId, context.expectedVersion, version, context.expectedVersionFrom ?? 'body');
      }
      const command = await request.build({
        state,
        version,
        occurredAt,
        seal: (field, plaintext) => this.vault.seal(streamId, field, plaintext),
        sealFor: (suffix, field, plaintext) => this.vault.seal(`${streamId}/${suffix}`, field, plaintext),
      });
      const events = aggregate.decide(command, state);
      await request.beforeAppend?.(events, state);
      try {
        const result = await this.eventStore.append(
          streamId,
          events.map((event) => ({
            type: event.type,
            schemaVersion: aggregate.schemaVersionOf(event),
            data: event.data,
            metadata: eventMetadataOf(context),
            occurredAt: event.data.occurredAt,
          })),
          { expectedVersion: version === 0 ? 'no_stream' : version, idempotencyKey },
        );
        if (!result.replayed) return outcomeOf(aggregate, result, events, false);
        if (answersThisRequest(aggregate, result, request)) return outcomeOf(aggregate, result, [], true);
        throw new IdempotencyKeyReusedForAnotherRequestError();
      } catch (error) {
        if (error instanceof IdempotencyKeyReusedError && idempotencyKey) {
          // The key was claimed meanwhile by a request on another stream: an overlapping retry of a command that
          // opens an aggregate drew another id. The same request gets the first one's answer.
          const first = await this.eventStore.findAppend(idempotencyKey);
          if (first && answersThisRequest(aggregate, first, request)) return outcomeOf(aggregate, first, [], true);
          throw new IdempotencyKeyReusedForAnotherRequestError();
        }
        if (!(error instanceof StreamVersionConflictError)) throw error;
        const retried = await earlierAnswer();
        if (retried) return retried;
        if (context.expectedVersion !== undefined)
          throw new StaleVersionError(
            streamId,
            context.expectedVersion,
            error.actualVersion,
            context.expectedVersionFrom ?? 'body',
          );
        if (Date.now() >= deadline) throw new StreamContendedError(1);
        await this.backOff(attempt);
      }
    }
  }

  /** Reads an aggregate's stream and folds it, for a use case that must look before it prepares its command. */
  async load<TState, TEvent extends DomainEventShape>(
    aggregate: Pick<AggregateDefinition<TState, unknown, TEvent, never>, 'upcast' | 'evolve' | 'initialState'>,
    streamId: string,
  ): Promise<{ state: TState; version: number; events: ReadonlyArray<{ recorded: RecordedEvent; event: TEvent }> }> {
    const recorded = await this.eventStore.readStream(streamId);
    const events = recorded.map((entry) => ({
      recorded: entry,
      event: aggregate.upcast(entry.type, entry.schemaVersion, entry.data),
    }));
    const state = events.reduce((folded, { event }) => aggregate.evolve(folded, event), aggregate.initialState);
    return { state, version: recorded.at(-1)?.streamVersion ?? 0, events };
  }

  private backOff(attempt: number): Promise<void> {
    const ceiling = Math.min(this.retryPolicy.maxBackoffMs, this.retryPolicy.firstBackoffMs * 2 ** attempt);
    return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}

/**
 * An earlier append answers this request when the request is the same (its fingerprint) and it went to this
 * aggregate; a command that opens an aggregate draws a new id on each try, so any stream of the aggregate's kind.
 */
function answersThisRequest<TEvent extends DomainEventShape>(
  aggregate: AggregateDefinition<unknown, unknown, TEvent, never>,
  earlier: AppendResult,
  request: { readonly id: string; readonly opens?: boolean; readonly context: CommandContext<CommandPrincipal> },
): boolean {
  const sameRequest = earlier.events[0]?.metadata.requestFingerprint === request.context.fingerprint;
  const sameAggregate = request.opens
    ? aggregate.streamName(aggregate.idOfStream(earlier.streamId)) === earlier.streamId
    : earlier.streamId === aggregate.streamName(request.id);
  return sameRequest && sameAggregate;
}

function outcomeOf<TEvent>(
  aggregate: { idOfStream(streamId: string): string },
  result: AppendResult,
  appended: readonly TEvent[],
  replayed: boolean,
): CommandOutcome<TEvent> {
  return {
    id: aggregate.idOfStream(result.streamId),
    streamId: result.streamId,
    version: result.nextExpectedVersion,
    position: formatPosition(result.position),
    recorded: result.events,
    appended,
    replayed,
  };
}

/** The key a client's Idempotency-Key is stored under: scoped to the client, so two clients never collide. */
export function clientIdempotencyKey(context: CommandContext<CommandPrincipal>): string | undefined {
  return context.idempotencyKey ? `api:${context.principal.id}:${context.idempotencyKey}` : undefined;
}

/** Who appended and on behalf of which request: the metadata every event of a command carries. */
export function eventMetadataOf(context: CommandContext<CommandPrincipal>): EventMetadata {
  return {
    actorId: context.principal.id,
    actorRole: context.principal.role,
    correlationId: context.correlationId ?? context.requestId,
    causationId: context.requestId,
    requestFingerprint: context.fingerprint,
  };
}

function checkedOccurredAt(given: string | undefined): string {
  const now = Date.now();
  if (given === undefined) return new Date(now).toISOString();
  if (Date.parse(given) > now + ALLOWED_CLOCK_SKEW_MS) throw new FutureOccurrenceError();
  return given;
}
