import {
  foldSafetyEmergencyEvents,
  foldSafetyRequestEvents,
  safetyEmergencyEventSchemaVersions,
  safetyEmergencyStreamName,
  safetyRequestEventSchemaVersions,
  safetyRequestStreamName,
  SAFETY_EMERGENCY_STREAM_PREFIX,
  SAFETY_REQUEST_STREAM_PREFIX,
  upcastSafetyEmergencyEvent,
  upcastSafetyRequestEvent,
  type SafetyEmergencyEvent,
  type SafetyEmergencyState,
  type SafetyRequestEvent,
  type SafetyRequestState,
} from '@helpline/domain';
import type { AppendResult, EventMetadata, EventStore, ExpectedVersion, RecordedEvent } from '@helpline/event-store';

export interface Loaded<TState, TEvent> {
  readonly id: string;
  readonly streamId: string;
  readonly state: TState;
  /** Number of events in the stream: the version a writer expects (0: no stream). */
  readonly version: number;
  readonly events: ReadonlyArray<{ readonly recorded: RecordedEvent; readonly event: TEvent }>;
}

export type LoadedSafetyRequest = Loaded<SafetyRequestState, SafetyRequestEvent>;
export type LoadedSafetyEmergency = Loaded<SafetyEmergencyState, SafetyEmergencyEvent>;

export const requestIdOfStream = (streamId: string) => streamId.slice(SAFETY_REQUEST_STREAM_PREFIX.length);
export const emergencyIdOfStream = (streamId: string) => streamId.slice(SAFETY_EMERGENCY_STREAM_PREFIX.length);

/** The safety streams in the event store: read with upcasting and folding, written with the expected version. */
export class SafetyStreamRepository {
  constructor(private readonly eventStore: EventStore) {}

  async loadRequest(requestId: string): Promise<LoadedSafetyRequest> {
    const streamId = safetyRequestStreamName(requestId);
    const recorded = await this.eventStore.readStream(streamId);
    const events = recorded.map((r) => ({
      recorded: r,
      event: upcastSafetyRequestEvent(r.type, r.schemaVersion, r.data),
    }));
    return {
      id: requestId,
      streamId,
      state: foldSafetyRequestEvents(events.map((e) => e.event)),
      version: versionOf(recorded),
      events,
    };
  }

  async loadEmergency(emergencyId: string): Promise<LoadedSafetyEmergency> {
    const streamId = safetyEmergencyStreamName(emergencyId);
    const recorded = await this.eventStore.readStream(streamId);
    const events = recorded.map((r) => ({
      recorded: r,
      event: upcastSafetyEmergencyEvent(r.type, r.schemaVersion, r.data),
    }));
    return {
      id: emergencyId,
      streamId,
      state: foldSafetyEmergencyEvents(events.map((e) => e.event)),
      version: versionOf(recorded),
      events,
    };
  }

  appendRequest(
    requestId: string,
    events: readonly SafetyRequestEvent[],
    expectedVersion: ExpectedVersion,
    metadata: EventMetadata,
    idempotencyKey?: string,
  ): Promise<AppendResult> {
    return this.eventStore.append(
      safetyRequestStreamName(requestId),
      events.map((event) => ({
        type: event.type,
        schemaVersion: safetyRequestEventSchemaVersions[event.type],
        data: event.data,
        metadata,
        occurredAt: event.data.occurredAt,
      })),
      { expectedVersion, idempotencyKey },
    );
  }

  appendEmergency(
    emergencyId: string,
    events: readonly SafetyEmergencyEvent[],
    expectedVersion: ExpectedVersion,
    metadata: EventMetadata,
    idempotencyKey?: string,
  ): Promise<AppendResult> {
    return this.eventStore.append(
      safetyEmergencyStreamName(emergencyId),
      events.map((event) => ({
        type: event.type,
        schemaVersion: safetyEmergencyEventSchemaVersions[event.type],
        data: event.data,
        metadata,
        occurredAt: event.data.occurredAt,
      })),
      { expectedVersion, idempotencyKey },
    );
  }
}

function versionOf(recorded: readonly RecordedEvent[]): number {
  return recorded.at(-1)?.streamVersion ?? 0;
}
