import {
  decideSafetyEmergency,
  decideSafetyRequest,
  initialSafetyEmergencyState,
  openEmergencyFromIncidentCommand,
  safetyEmergencyStreamName,
  safetyRequestStreamName,
  SAFETY_EMERGENCY_STREAM_PREFIX,
  SAFETY_REQUEST_STREAM_PREFIX,
  upcastSafetyRequestEvent,
  type IncidentAtMeetingReported,
  type IncidentKind,
  type SafetyActor,
  type SafetyEmergencyCommand,
  type SafetyEmergencyEvent,
  type SafetyRequestCommand,
  type SafetyRequestEvent,
  type Sealed,
} from '@helpline/domain';
import {
  formatPosition,
  StreamVersionConflictError,
  type AppendResult,
  type EventMetadata,
  type ExpectedVersion,
} from '@helpline/event-store';
import type { PersonalDataVault } from '@helpline/privacy';
import type { Principal } from '@helpline/auth';
import { canSeeEmergency, canSeeRequest } from './safety-access';
import { safetyActorOf } from './safety-actor';
import type { SafetyCommandContext } from './safety-command-context';
import {
  SafetyEmergencyNotFoundError,
  SafetyFutureTimeError,
  SafetyIdempotencyKeyReusedError,
  SafetyRequestNotFoundError,
} from './safety-errors';
import {
  emergencyIdOfStream,
  requestIdOfStream,
  SafetyStreamRepository,
  type Loaded,
  type LoadedSafetyEmergency,
  type LoadedSafetyRequest,
} from './safety-stream.repository';

/** What a command's author gets to build the domain command from a request. */
export interface SafetyCommandBuilding<TLoaded> {
  readonly loaded: TLoaded;
  /** When it happened: the time the client gave, or now. */
  readonly occurredAt: string;
  /** The domain's actor for the caller. */
  readonly actor: SafetyActor;
  /** Seals a personal value with the record's own key (field = the property name in the event data). */
  seal(field: string, plaintext: string): Promise<Sealed>;
}

interface CommandRequest<TLoaded, TCommand> {
  readonly context: SafetyCommandContext;
  /** When the client says it happened; defaults to now. */
  readonly occurredAt?: string;
  /** Drafting a request or recording an emergency: the stream must not exist yet. */
  readonly opens?: boolean;
  build(building: SafetyCommandBuilding<TLoaded>): Promise<TCommand> | TCommand;
}

export interface SafetyRequestCommandRequest extends CommandRequest<LoadedSafetyRequest, SafetyRequestCommand> {
  readonly requestId: string;
}

export interface SafetyEmergencyCommandRequest extends CommandRequest<LoadedSafetyEmergency, SafetyEmergencyCommand> {
  readonly emergencyId: string;
}

/** What only the person reporting an incident at a meeting knows (plain values: the executor seals the place). */
export interface IncidentReport {
  readonly incidentKind: IncidentKind;
  readonly startedAt: string;
  readonly colleaguesCalled: boolean;
  readonly colleaguesCount?: number;
  readonly operationsCentreCalledAt?: string;
  /** Where it happened, when not at the meeting's address (which the request already holds). */
  readonly location?: string;
}

export interface MeetingOutcomeRequest {
  readonly requestId: string;
  readonly context: SafetyCommandContext;
  readonly occurredAt?: string;
  /** `undefined` for a meeting without incident. */
  readonly incident?: IncidentReport;
  /** The id of the emergency record an incident opens; a retried request keeps the first one. */
  readonly newEmergencyId: string;
}

export interface SafetyStepResult {
  readonly version: number;
  readonly position: string;
  readonly events: Array<{ type: string; version: number }>;
  readonly replayed: boolean;
}

export interface SafetyRequestResult extends SafetyStepResult {
  readonly requestId: string;
  /** The emergency record an incident at the meeting opened. */
  readonly emergency?: SafetyEmergencyResult;
}

export interface SafetyEmergencyResult extends SafetyStepResult {
  readonly emergencyId: string;
}

const MAX_ATTEMPTS = 3;
const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

interface Aggregate<TLoaded extends Loaded<unknown, TEvent>, TCommand, TEvent> {
  readonly prefix: string;
  load(id: string): Promise<TLoaded>;
  visible(principal: Principal, loaded: TLoaded): boolean;
  notFound(): Error;
  decide(command: TCommand, loaded: TLoaded): TEvent[];
  append(
    id: string,
    events: readonly TEvent[],
    expectedVersion: ExpectedVersion,
    metadata: EventMetadata,
    idempotencyKey?: string,
  ): Promise<AppendResult>;
}

/**
 * The one path every safety command takes, as for the helpline's cases: answer a retried request from its first
 * result (Idempotency-Key), load and fold the stream, answer 404 for a record the caller may not see, check the
 * version the client saw (If-Match), seal personal values with the record's own key (subject: the stream id), decide,
 * and append with the version read. Without an If-Match a concurrent write is retried on the new state.
 */
export class SafetyCommandExecutor {
  private readonly requests: Aggregate<LoadedSafetyRequest, SafetyRequestCommand, SafetyRequestEvent>;
  private readonly emergencies: Aggregate<LoadedSafetyEmergency, SafetyEmergencyCommand, SafetyEmergencyEvent>;

  constructor(
    private readonly streams: SafetyStreamRepository,
    private readonly vault: PersonalDataVault,
  ) {
    this.requests = {
      prefix: SAFETY_REQUEST_STREAM_PREFIX,
      load: (id) => streams.loadRequest(id),
      visible: (principal, loaded) => canSeeRequest(principal, loaded.state),
      notFound: () => new SafetyRequestNotFoundError(),
      decide: (command, loaded) => decideSafetyRequest(command, loaded.state),
      append: (...args) => streams.appendRequest(...args),
    };
    this.emergencies = {
      prefix: SAFETY_EMERGENCY_STREAM_PREFIX,
      load: (id) => streams.loadEmergency(id),
      visible: (principal, loaded) => canSeeEmergency(principal, loaded.state),
      notFound: () => new SafetyEmergencyNotFoundError(),
      decide: (command, loaded) => decideSafetyEmergency(command, loaded.state),
      append: (...args) => streams.appendEmergency(...args),
    };
  }

  async executeRequestCommand(request: SafetyRequestCommandRequest): Promise<SafetyRequestResult> {
    const result = await this.execute(this.requests, request.requestId, request);
    return { requestId: requestIdOfStream(result.streamId), ...stepOf(result) };
  }

  async executeEmergencyCommand(request: SafetyEmergencyCommandRequest): Promise<SafetyEmergencyResult> {
    const result = await this.execute(this.emergencies, request.emergencyId, request);
    return { emergencyId: emergencyIdOfStream(result.streamId), ...stepOf(result) };
  }

  /**
   * The meeting's outcome. An incident opens the emergency record it names: both are decided before anything is
   * written (a refusal of either writes nothing), then the request's event is appended, then the emergency's. A
   * crash between the two is healed by the retry: the outcome is recorded once per request, so a retry is
   * recognised even without an Idempotency-Key (the key defaults to one per request), answered from the first
   * append, and the missing emergency record is appended then.
   */
  async recordMeetingOutcome(request: MeetingOutcomeRequest): Promise<SafetyRequestResult> {
    const { context, requestId } = request;
    const clientKey = clientIdempotencyKey(context);
    const key = clientKey ?? `safety:meeting-outcome:${requestId}`;
    const earlier = await this.streams.findAppend(key);
    if (earlier) {
      const same = isSameRequest(earlier, context) && earlier.streamId === safetyRequestStreamName(requestId);
      if (same) return this.completeIncident(earlier, request, key);
      if (clientKey) throw new SafetyIdempotencyKeyReusedError();
      // Another outcome for a request whose outcome is recorded: the decider refuses it below.
    }
    const occurredAt = checkedOccurredAt(request.occurredAt);
    const actor = safetyActorOf(context.principal);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.loadVisible(this.requests, requestId, context);
      const events = decideSafetyRequest(
        {
          type: 'RecordMeetingOutcome',
          requestId,
          occurredAt,
          actor,
          outcome: request.incident ? 'incident' : 'no_incident',
          ...(request.incident
            ? { incidentKind: request.incident.incidentKind, emergencyId: request.newEmergencyId }
            : {}),
        },
        loaded.state,
      );
      const reported = events.find(
        (event): event is IncidentAtMeetingReported => event.type === 'IncidentAtMeetingReported',
      );
      const opening =
        reported && request.incident ? await this.decideOpening(reported, loaded, request.incident) : undefined;
      let appended: AppendResult;
      try {
        appended = await this.streams.appendRequest(
          requestId,
          events,
          expectedVersionOf(loaded),
          metadataOf(context),
          key,
        );
      } catch (error) {
        if (retryable(error, context, attempt)) continue;
        throw error;
      }
      if (appended.replayed) return this.completeIncident(appended, request, key);
      const emergency = opening ? await this.appendOpening(opening, context, key) : undefined;
      return { requestId, ...stepOf(appended), ...(emergency ? { emergency } : {}) };
    }
  }

  private async execute<TLoaded extends Loaded<unknown, TEvent>, TCommand, TEvent>(
    aggregate: Aggregate<TLoaded, TCommand, TEvent>,
    id: string,
    request: CommandRequest<TLoaded, TCommand>,
  ): Promise<AppendResult> {
    const { context } = request;
    const key = clientIdempotencyKey(context);
    if (key) {
      const earlier = await this.streams.findAppend(key);
      if (earlier) return this.replay(aggregate, earlier, id, request);
    }
    const occurredAt = checkedOccurredAt(request.occurredAt);
    const actor = safetyActorOf(context.principal);
    for (let attempt = 1; ; attempt++) {
      const loaded = request.opens ? await aggregate.load(id) : await this.loadVisible(aggregate, id, context);
      const subject = loaded.streamId;
      const command = await request.build({
        loaded,
        occurredAt,
        actor,
        seal: (field, plaintext) => this.vault.seal(subject, field, plaintext),
      });
      const events = aggregate.decide(command, loaded);
      try {
        const result = await aggregate.append(id, events, expectedVersionOf(loaded), metadataOf(context), key);
        return result.replayed ? this.replay(aggregate, result, id, request) : result;
      } catch (error) {
        if (retryable(error, context, attempt)) continue;
        throw error;
      }
    }
  }

  private async loadVisible<TLoaded extends Loaded<unknown, TEvent>, TCommand, TEvent>(
    aggregate: Aggregate<TLoaded, TCommand, TEvent>,
    id: string,
    context: SafetyCommandContext,
  ): Promise<TLoaded> {
    const loaded = await aggregate.load(id);
    if (loaded.version === 0 || !aggregate.visible(context.principal, loaded)) throw aggregate.notFound();
    if (context.expectedVersion !== undefined && context.expectedVersion !== loaded.version) {
      throw new StreamVersionConflictError(loaded.streamId, context.expectedVersion, loaded.version);
    }
    return loaded;
  }

  private replay<TLoaded extends Loaded<unknown, TEvent>, TCommand, TEvent>(
    aggregate: Aggregate<TLoaded, TCommand, TEvent>,
    earlier: AppendResult,
    id: string,
    request: CommandRequest<TLoaded, TCommand>,
  ): AppendResult {
    const sameRecord = request.opens
      ? earlier.streamId.startsWith(aggregate.prefix)
      : earlier.streamId === `${aggregate.prefix}${id}`;
    if (!isSameRequest(earlier, request.context) || !sameRecord) throw new SafetyIdempotencyKeyReusedError();
    return { ...earlier, replayed: true };
  }

  /** Decides the emergency record an incident opens, on an empty stream: a refusal stops the outcome too. */
  private async decideOpening(
    reported: IncidentAtMeetingReported,
    loaded: LoadedSafetyRequest,
    incident: IncidentReport,
  ) {
    const emergencyId = reported.data.emergencyId;
    const location =
      incident.location === undefined
        ? undefined
        : await this.vault.seal(safetyEmergencyStreamName(emergencyId), 'location', incident.location);
    const command = openEmergencyFromIncidentCommand(reported, loaded.state, {
      startedAt: incident.startedAt,
      colleaguesCalled: incident.colleaguesCalled,
      ...(incident.colleaguesCount === undefined ? {} : { colleaguesCount: incident.colleaguesCount }),
      ...(incident.operationsCentreCalledAt === undefined
        ? {}
        : { operationsCentreCalledAt: incident.operationsCentreCalledAt }),
      ...(location === undefined ? {} : { location }),
    });
    return { emergencyId, events: decideSafetyEmergency(command, initialSafetyEmergencyState) };
  }

  private async appendOpening(
    opening: { emergencyId: string; events: SafetyEmergencyEvent[] },
    context: SafetyCommandContext,
    key: string,
  ): Promise<SafetyEmergencyResult> {
    try {
      const appended = await this.streams.appendEmergency(
        opening.emergencyId,
        opening.events,
        'no_stream',
        metadataOf(context),
        `${key}:emergency`,
      );
      return { emergencyId: opening.emergencyId, ...stepOf(appended) };
    } catch (error) {
      // A concurrent retry opened it first: answer with what is there.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      return this.emergencyAsItIs(opening.emergencyId);
    }
  }

  /** A retried outcome: the first answer, after appending the emergency record if the first attempt stopped before it. */
  private async completeIncident(
    earlier: AppendResult,
    request: MeetingOutcomeRequest,
    key: string,
  ): Promise<SafetyRequestResult> {
    const answer: SafetyRequestResult = { requestId: request.requestId, ...stepOf(earlier), replayed: true };
    const reported = earlier.events
      .map((recorded) => upcastSafetyRequestEvent(recorded.type, recorded.schemaVersion, recorded.data))
      .find((event): event is IncidentAtMeetingReported => event.type === 'IncidentAtMeetingReported');
    if (!reported) return answer;
    const emergencyId = reported.data.emergencyId;
    const existing = await this.streams.loadEmergency(emergencyId);
    if (existing.version > 0) return { ...answer, emergency: await this.emergencyAsItIs(emergencyId) };
    if (!request.incident) return answer;
    const loaded = await this.streams.loadRequest(request.requestId);
    const opening = await this.decideOpening(reported, loaded, request.incident);
    return { ...answer, emergency: await this.appendOpening(opening, request.context, key) };
  }

  private async emergencyAsItIs(emergencyId: string): Promise<SafetyEmergencyResult> {
    const loaded = await this.streams.loadEmergency(emergencyId);
    const last = loaded.events.at(-1)?.recorded;
    return {
      emergencyId,
      version: loaded.version,
      position: last ? formatPosition(last.position) : '0:0',
      events: loaded.events.map(({ recorded }) => ({ type: recorded.type, version: recorded.streamVersion })),
      replayed: true,
    };
  }
}

function clientIdempotencyKey(context: SafetyCommandContext): string | undefined {
  return context.idempotencyKey ? `api:${context.principal.id}:${context.idempotencyKey}` : undefined;
}

function isSameRequest(earlier: AppendResult, context: SafetyCommandContext): boolean {
  return earlier.events[0]?.metadata.requestFingerprint === context.fingerprint;
}

function expectedVersionOf(loaded: { version: number }): ExpectedVersion {
  return loaded.version === 0 ? 'no_stream' : loaded.version;
}

/** A write that lost a race is retried on the new state, unless the client asserted the version it saw. */
function retryable(error: unknown, context: SafetyCommandContext, attempt: number): boolean {
  return error instanceof StreamVersionConflictError && context.expectedVersion === undefined && attempt < MAX_ATTEMPTS;
}

function metadataOf(context: SafetyCommandContext): EventMetadata {
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
  if (Date.parse(given) > now + ALLOWED_CLOCK_SKEW_MS) throw new SafetyFutureTimeError();
  return given;
}

function stepOf(result: AppendResult): SafetyStepResult {
  return {
    version: result.nextExpectedVersion,
    position: formatPosition(result.position),
    events: result.events.map((event) => ({ type: event.type, version: event.streamVersion })),
    replayed: result.replayed,
  };
}
