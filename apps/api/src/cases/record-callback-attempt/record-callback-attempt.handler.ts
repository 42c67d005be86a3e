import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordCallbackAttemptDto } from './record-callback-attempt.dto';

/** A call-back attempt and how it went. */
export function recordCallbackAttempt(
  cases: CaseCommandHandler,
  caseId: string,
  callbackId: string,
  body: RecordCallbackAttemptDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, callbackId),
  });
}
