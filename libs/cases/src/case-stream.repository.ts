import { Inject, Injectable } from '@nestjs/common';
import { CaseEvent, CaseState, caseEventSchemaVersions, evolve, initialState, upcastCaseEvent } from '@helpline/domain';
import type { AppendResult, EventMetadata, EventStore, ExpectedVersion, RecordedEvent } from '@helpline/event-store';
import { EVENT_STORE } from '@helpline/kernel';

export const caseStreamId = (caseId: string) => `case-${caseId}`;
export const caseIdOfStream = (streamId: string) => streamId.replace(/^case-/, '');
/** A call-back's own key, under the case's: destroyed when the number is no longer needed. */
export const callbackSubject = (caseId: string, callbackId: string) => `${caseStreamId(caseId)}/callback-${callbackId}`;

export interface LoadedCase {
  readonly caseId: string;
  readonly state: CaseState;
  /** Number of events in the stream: the version a writer expects. */
  readonly version: number;
  readonly events: ReadonlyArray<{ recorded: RecordedEvent; event: CaseEvent }>;
}

/** The case streams in the event store: read with upcasting and folding, written with the expected version. */
@Injectable()
export class CaseStreamRepository {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  async load(caseId: string): Promise<LoadedCase> {
    const recorded = await this.eventStore.readStream(caseStreamId(caseId));
    const events = recorded.map((r) => ({ recorded: r, event: upcastCaseEvent(r.type, r.schemaVersion, r.data) }));
    const state = events.reduce((s, { event }) => evolve(s, event), initialState);
    return { caseId, state, version: recorded.at(-1)?.streamVersion ?? 0, events };
  }

  append(
    caseId: string,
    events: readonly CaseEvent[],
    expectedVersion: ExpectedVersion,
    metadata: EventMetadata,
    idempotencyKey?: string,
  ): Promise<AppendResult> {
    return this.eventStore.append(
      caseStreamId(caseId),
      events.map((event) => ({
        type: event.type,
        schemaVersion: caseEventSchemaVersions[event.type],
        data: event.data,
        metadata,
        occurredAt: event.data.occurredAt,
      })),
      { expectedVersion, idempotencyKey },
    );
  }
}
