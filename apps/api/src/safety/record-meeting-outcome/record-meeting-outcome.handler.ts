import { randomUUID } from 'node:crypto';
import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { RecordMeetingOutcomeDto } from '../dto/preventive-path.dto';

/**
 * How the meeting went. An incident opens an emergency record, with a new id (a retried request keeps the first
 * one): both records are decided before either is written.
 */
export function recordMeetingOutcome(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: RecordMeetingOutcomeDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.recordMeetingOutcome({
    requestId,
    context,
    occurredAt: body.occurredAt,
    incident: body.incident(),
    newEmergencyId: randomUUID(),
  });
}
