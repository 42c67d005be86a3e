import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordCallerFeedbackDto } from './record-caller-feedback.dto';

/** The caller's rating of the service, on an open or a closed case (feedback often comes after closing). */
export function recordCallerFeedback(
  cases: CaseCommandHandler,
  caseId: string,
  body: RecordCallerFeedbackDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
