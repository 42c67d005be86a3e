import {
  decideSafetyEmergency,
  initialSafetyEmergencyState,
  openEmergencyFromIncidentCommand,
  safetyEmergencyStreamName,
  safetyRequestStreamName,
  SafetyRuleViolation,
  upcastSafetyRequestEvent,
  type IncidentAtMeetingReported,
  type IncidentKind,
  type SafetyActor,
  type SafetyErasureReason,
  type SafetyEmergencyCommand,
  type SafetyEmergencyEvent,
  type SafetyRequestCommand,
  type SafetyRequestEvent,
  type SafetyRequestState,
  type Sealed,
} from '@helpline/domain';
import {
  clientIdempotencyKey,
  eventMetadataOf,
  EventSourcedCommandHandler,
  type CommandOutcome,
} from '@helpline/command-handling';
import {
  formatPosition,
  StreamVersionConflictError,
  type AppendResult,
  type RecordedEvent,
} from '@helpline/event-store';
import type { PersonalDataVault } from '@helpline/privacy';
import { safetyActorOf } from './safety-actor';
import { safetyEmergencyAggregate, safetyRequestAggregate } from './safety-aggregates';
import type { SafetyCommandContext } from './safety-command-context';
import type { SafetyStreamRepository } from './safety-stream.repository';

/** What a command's author gets to build the domain command from a request. */
export interface SafetyCommandBuilding<TState> {
  readonly loaded: { readonly id: string; readonly state: TState; readonly version: number };
  /** When it happened: the time the client gave, or now. */
  readonly occurredAt: string;
  /** The domain's actor for the caller. */
  readonly actor: SafetyActor;
  /** Seals a personal value with the record's own key (field = the property name in the event data). */
  seal(field: string, plaintext: string): Promise<Sealed>;
}

interface CommandRequest<TState, TCommand> {
  readonly context: SafetyCommandContext;
  /** When the client says it happened; defaults to now. */
  readonly occurredAt?: string;
  /** Drafting a request or recording an emergency: the stream must not exist yet. */
  readonly opens?: boolean;
  build(building: SafetyCommandBuilding<TState>): Promise<TCommand> | TCommand;
}

export interface SafetyRequestCommandRequest extends CommandRequest<SafetyRequestState, SafetyRequestCommand> {
  readonly requestId: string;
}

export interface SafetyEmergencyCommandRequest extends CommandRequest<
  typeof initialSafetyEmergencyState,
  SafetyEmergencyCommand
> {
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

/** The area director's erasure of a safety record's personal data. */
export interface SafetyErasureRequest {
  readonly context: SafetyCommandContext;
  readonly occurredAt?: string;
  readonly reason: SafetyErasureReason;
}

interface EmergencyOpening {
  readonly emergencyId: string;
  readonly events: SafetyEmergencyEvent[];
}

/**
 * The safety protocol's use of the one command path: requests and emergency records go through the generic
 * handler; the meeting's outcome, which can open an emergency record, adds the second record's append on top.
 */
export class SafetyCommandExecutor {
  constructor(
    private readonly handler: EventSourcedCommandHandler,
    private readonly streams: SafetyStreamRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  async executeRequestCommand(request: SafetyRequestCommandRequest): Promise<SafetyRequestResult> {
    const outcome = await this.handler.handle(safetyRequestAggregate, {
      id: request.requestId,
      ...this.common(request.requestId, request),
    });
    return { requestId: outcome.id, ...stepOf(outcome) };
  }

  async executeEmergencyCommand(request: SafetyEmergencyCommandRequest): Promise<SafetyEmergencyResult> {
    const outcome = await this.handler.handle(safetyEmergencyAggregate, {
      id: request.emergencyId,
      ...this.common(request.emergencyId, request),
    });
    return { emergencyId: outcome.id, ...stepOf(outcome) };
  }

  private common<TState, TCommand>(id: string, request: CommandRequest<TState, TCommand>) {
    const actor = safetyActorOf(request.context.principal);
    return {
      context: request.context,
      occurredAt: request.occurredAt,
      opens: request.opens,
      build: (input: {
        state: TState;
        version: number;
        occurredAt: string;
        seal: SafetyCommandBuilding<TState>['seal'];
      }) =>
        request.build({
          loaded: { id, state: input.state, version: input.version },
          occurredAt: input.occurredAt,
          actor,
          seal: input.seal,
        }),
    };
  }

  /**
   * The meeting's outcome. An incident opens the emergency record it names: both are decided before anything is
   * written (a refusal of either writes nothing), then the request's event is appended, then the emergency's. A
   * crash between the two is healed by the retry: the outcome is recorded once per request, so a retry is
   * recognised even without an Idempotency-Key (the key defaults to one per request), answered from the first
   * append, and the missing emergency record is appended then.
   */
  async recordMeetingOutcome(request: MeetingOutcomeRequest): Promise<SafetyRequestResult> {
    const { context, requestId, incident } = request;
    const key = clientIdempotencyKey(context) ?? `safety:meeting-outcome:${requestId}`;
    const actor = safetyActorOf(context.principal);
    let opening: EmergencyOpening | undefined;
    const outcome = await this.handler.handle(safetyRequestAggregate, {
      id: requestId,
      context,
      occurredAt: request.occurredAt,
      fallbackIdempotencyKey: key,
      build: ({ occurredAt }): SafetyRequestCommand => ({
        type: 'RecordMeetingOutcome',
        requestId,
        occurredAt,
        actor,
        outcome: incident ? 'incident' : 'no_incident',
        ...(incident ? { incidentKind: incident.incidentKind, emergencyId: request.newEmergencyId } : {}),
      }),
      beforeAppend: async (events, state) => {
        const reported = incidentIn(events);
        opening = reported && incident ? await this.decideOpening(reported, state, incident) : undefined;
      },
    });
    if (outcome.replayed) return this.completeIncident(outcome, request, key);
    const emergency = opening ? await this.appendOpening(opening, context, key) : undefined;
    return { requestId, ...stepOf(outcome), ...(emergency ? { emergency } : {}) };
  }

  /** Decides the emergency record an incident opens, on an empty stream: a refusal stops the outcome too. */
  private async decideOpening(
    reported: IncidentAtMeetingReported,
    state: SafetyRequestState,
    incident: IncidentReport,
  ): Promise<EmergencyOpening> {
    const emergencyId = reported.data.emergencyId;
    const location =
      incident.location === undefined
        ? undefined
        : await this.vault.seal(safetyEmergencyStreamName(emergencyId), 'location', incident.location);
    const command = openEmergencyFromIncidentCommand(reported, state, {
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
    opening: EmergencyOpening,
    context: SafetyCommandContext,
    key: string,
  ): Promise<SafetyEmergencyResult> {
    try {
      const appended = await this.streams.appendEmergency(
        opening.emergencyId,
        opening.events,
        'no_stream',
        eventMetadataOf(context),
        `${key}:emergency`,
      );
      return { emergencyId: opening.emergencyId, ...stepOfAppend(appended) };
    } catch (error) {
      // A concurrent retry opened it first: answer with what is there.
      if (!(error instanceof StreamVersionConflictError)) throw error;
      return this.emergencyAsItIs(opening.emergencyId);
    }
  }

  /** A retried outcome: the first answer, after appending the emergency record if the first attempt stopped before it. */
  private async completeIncident(
    earlier: CommandOutcome<SafetyRequestEvent>,
    request: MeetingOutcomeRequest,
    key: string,
  ): Promise<SafetyRequestResult> {
    const answer: SafetyRequestResult = { requestId: request.requestId, ...stepOf(earlier), replayed: true };
    const reported = incidentIn(
      earlier.recorded.map((recorded) =>
        upcastSafetyRequestEvent(recorded.type, recorded.schemaVersion, recorded.data),
      ),
    );
    if (!reported) return answer;
    const emergencyId = reported.data.emergencyId;
    const existing = await this.streams.loadEmergency(emergencyId);
    if (existing.version > 0) return { ...answer, emergency: await this.emergencyAsItIs(emergencyId) };
    if (!request.incident) return answer;
    const loaded = await this.streams.loadRequest(request.requestId);
    const opening = await this.decideOpening(reported, loaded.state, request.incident);
    return { ...answer, emergency: await this.appendOpening(opening, request.context, key) };
  }

  /**
   * Erases a request's personal data and its emergency record's (an incident at its meeting), which tell one story:
   * the emergency's place may be the meeting's address. Each record is decided first (a refusal destroys nothing),
   * then both keys are destroyed at once (`eraseMany`), then the erasure is appended to the request, then to the
   * emergency. A crash between the two appends is healed by the retry: with the same Idempotency-Key it gets the first
   * answer, without one the request's second erasure is refused (409) after the emergency's is completed.
   */
  async eraseRequestPersonalData(requestId: string, request: SafetyErasureRequest): Promise<SafetyRequestResult> {
    const actor = safetyActorOf(request.context.principal);
    let emergencyId: string | null = null;
    const erase = async (): Promise<SafetyRequestResult> => {
      const outcome = await this.handler.handle(safetyRequestAggregate, {
        id: requestId,
        context: request.context,
        occurredAt: request.occurredAt,
        build: ({ state, occurredAt }): SafetyRequestCommand => {
          emergencyId = state.emergencyId;
          return { type: 'EraseSafetyRequestPersonalData', requestId, occurredAt, actor, reason: request.reason };
        },
        beforeAppend: (_events, state) => this.destroyKeys(actor, requestId, state.emergencyId),
      });
      return { requestId, ...stepOf(outcome) };
    };
    const answer = await this.thenErase(
      erase,
      async () => emergencyId ?? (await this.streams.loadRequest(requestId)).state.emergencyId,
      (id) => this.eraseEmergencyOnly(id, request, actor),
    );
    return answer.linked ? { ...answer.first, emergency: answer.linked } : answer.first;
  }

  /**
   * Erases an emergency record's personal data, and its request's when it was opened from an incident at a meeting
   * (the same story; see `eraseRequestPersonalData`).
   */
  async eraseEmergencyPersonalData(emergencyId: string, request: SafetyErasureRequest): Promise<SafetyEmergencyResult> {
    const actor = safetyActorOf(request.context.principal);
    let requestId: string | null = null;
    const erase = async (): Promise<SafetyEmergencyResult> => {
      const outcome = await this.handler.handle(safetyEmergencyAggregate, {
        id: emergencyId,
        context: request.context,
        occurredAt: request.occurredAt,
        build: ({ state, occurredAt }): SafetyEmergencyCommand => {
          requestId = state.requestId;
          return { type: 'EraseSafetyEmergencyPersonalData', emergencyId, occurredAt, actor, reason: request.reason };
        },
        beforeAppend: (_events, state) => this.destroyKeys(actor, state.requestId, emergencyId),
      });
      return { emergencyId, ...stepOf(outcome) };
    };
    const answer = await this.thenErase(
      erase,
      async () => requestId ?? (await this.streams.loadEmergency(emergencyId)).state.requestId,
      (id) => this.eraseRequestOnly(id, request, actor),
    );
    return answer.first;
  }

  /**
   * The first record's erasure, then the linked record's, also when the first was already erased (a retry after a
   * crash between the two appends): that refusal is answered once the linked record is erased too. The linked id is
   * known from the decision; a replayed answer decides nothing, so it is read from the first record then.
   */
  private async thenErase<TFirst, TLinked>(
    eraseFirst: () => Promise<TFirst>,
    linkedId: () => Promise<string | null>,
    eraseLinked: (id: string) => Promise<TLinked>,
  ): Promise<{ first: TFirst; linked?: TLinked }> {
    let first: TFirst;
    try {
      first = await eraseFirst();
    } catch (error) {
      const id = await linkedId();
      if (id && error instanceof SafetyRuleViolation && error.code === 'PERSONAL_DATA_ERASED') await eraseLinked(id);
      throw error;
    }
    const id = await linkedId();
    return id ? { first, linked: await eraseLinked(id) } : { first };
  }

  /** Both records' keys at once: erasing either one erases the story. */
  private destroyKeys(erasedBy: SafetyActor, requestId: string | null, emergencyId: string | null): Promise<void> {
    const subjects = [
      ...(requestId ? [safetyRequestStreamName(requestId)] : []),
      ...(emergencyId ? [safetyEmergencyStreamName(emergencyId)] : []),
    ];
    return this.vault.eraseMany(subjects, erasedBy.id);
  }

  private async eraseEmergencyOnly(
    emergencyId: string,
    request: SafetyErasureRequest,
    actor: SafetyActor,
  ): Promise<SafetyEmergencyResult> {
    try {
      const outcome = await this.handler.handle(safetyEmergencyAggregate, {
        id: emergencyId,
        ...linkedStep(request.context, 'emergency'),
        occurredAt: request.occurredAt,
        build: ({ occurredAt }): SafetyEmergencyCommand => ({
          type: 'EraseSafetyEmergencyPersonalData',
          emergencyId,
          occurredAt,
          actor,
          reason: request.reason,
        }),
        beforeAppend: () => this.destroyKeys(actor, null, emergencyId),
      });
      return { emergencyId, ...stepOf(outcome) };
    } catch (error) {
      if (!(error instanceof SafetyRuleViolation && error.code === 'PERSONAL_DATA_ERASED')) throw error;
      return this.emergencyAsItIs(emergencyId);
    }
  }

  private async eraseRequestOnly(
    requestId: string,
    request: SafetyErasureRequest,
    actor: SafetyActor,
  ): Promise<SafetyRequestResult> {
    try {
      const outcome = await this.handler.handle(safetyRequestAggregate, {
        id: requestId,
        ...linkedStep(request.context, 'request'),
        occurredAt: request.occurredAt,
        build: ({ occurredAt }): SafetyRequestCommand => ({
          type: 'EraseSafetyRequestPersonalData',
          requestId,
          occurredAt,
          actor,
          reason: request.reason,
        }),
        beforeAppend: () => this.destroyKeys(actor, requestId, null),
      });
      return { requestId, ...stepOf(outcome) };
    } catch (error) {
      if (!(error instanceof SafetyRuleViolation && error.code === 'PERSONAL_DATA_ERASED')) throw error;
      return { requestId, ...stepAsItIs(await this.streams.loadRequest(requestId)) };
    }
  }

  private async emergencyAsItIs(emergencyId: string): Promise<SafetyEmergencyResult> {
    return { emergencyId, ...stepAsItIs(await this.streams.loadEmergency(emergencyId)) };
  }
}

/**
 * The linked record's step runs under the client's key with a suffix of its own (the client's key names the first
 * record's append), so that a retry with the same key is answered from both first appends.
 */
function linkedStep(context: SafetyCommandContext, suffix: string) {
  const key = clientIdempotencyKey(context);
  return {
    context: { ...context, idempotencyKey: undefined },
    ...(key ? { fallbackIdempotencyKey: `${key}:${suffix}` } : {}),
  };
}

function incidentIn(events: readonly SafetyRequestEvent[]): IncidentAtMeetingReported | undefined {
  return events.find((event): event is IncidentAtMeetingReported => event.type === 'IncidentAtMeetingReported');
}

function stepOf(outcome: CommandOutcome<unknown>): SafetyStepResult {
  return {
    version: outcome.version,
    position: outcome.position,
    events: outcome.recorded.map((event) => ({ type: event.type, version: event.streamVersion })),
    replayed: outcome.replayed,
  };
}

/** A record as it stands, answered as a replay: what an earlier request did to it. */
function stepAsItIs(loaded: {
  readonly version: number;
  readonly events: ReadonlyArray<{ readonly recorded: RecordedEvent }>;
}): SafetyStepResult {
  const last = loaded.events.at(-1)?.recorded;
  return {
    version: loaded.version,
    position: last ? formatPosition(last.position) : '0:0',
    events: loaded.events.map(({ recorded }) => ({ type: recorded.type, version: recorded.streamVersion })),
    replayed: true,
  };
}

function stepOfAppend(result: AppendResult): SafetyStepResult {
  return {
    version: result.nextExpectedVersion,
    position: formatPosition(result.position),
    events: result.events.map((event) => ({ type: event.type, version: event.streamVersion })),
    replayed: result.replayed,
  };
}
