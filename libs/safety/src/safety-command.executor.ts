import {
  decideSafetyEmergency,
  initialSafetyEmergencyState,
  openEmergencyFromIncidentCommand,
  safetyEmergencyStreamName,
  upcastSafetyRequestEvent,
  type IncidentAtMeetingReported,
  type IncidentKind,
  type SafetyActor,
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
import { formatPosition, StreamVersionConflictError, type AppendResult } from '@helpline/event-store';
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

function stepOfAppend(result: AppendResult): SafetyStepResult {
  return {
    version: result.nextExpectedVersion,
    position: formatPosition(result.position),
    events: result.events.map((event) => ({ type: event.type, version: event.streamVersion })),
    replayed: result.replayed,
  };
}
