import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordSessionMissedDto } from './record-session-missed.dto';

/** A session missed. */
export function recordSessionMissed(
  cases: CaseCommandHandler,
  caseId: string,
  sessionId: string,
  body: RecordSessionMissedDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, sessionId),
  });
}
