import { upcastCaseEvent, type CaseEvent } from '@helpline/domain';
import type { RecordedEvent } from '@helpline/event-store';

const CASE_STREAM_PREFIX = 'case-';

/** A case event read from the global log: the current shape of its data and the case it belongs to. */
export interface CaseLogEvent {
  readonly caseId: string;
  readonly event: CaseEvent;
}

/**
 * The case events of a batch, upcast to their current shape, in log order. Events of other streams (which may
 * share a type name) are left out. The case id comes from the stream (`case-<id>`), the one key every event of
 * the case has; FirstContactRecorded carries the same id in its data.
 */
export function caseEventsOf(events: readonly RecordedEvent[]): CaseLogEvent[] {
  const decoded: CaseLogEvent[] = [];
  for (const recorded of events) {
    if (!recorded.streamId.startsWith(CASE_STREAM_PREFIX)) continue;
    decoded.push({
      caseId: recorded.streamId.slice(CASE_STREAM_PREFIX.length),
      event: upcastCaseEvent(recorded.type, recorded.schemaVersion, recorded.data),
    });
  }
  return decoded;
}

/** Splits rows for multi-row statements, well below PostgreSQL's 65535 bind parameters. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
