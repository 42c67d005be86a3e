import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordSessionHeldDto } from './record-session-held.dto';

/** A session held. */
export function recordSessionHeld(
  cases: CaseCommandHandler,
  caseId: string,
  sessionId: string,
  body: RecordSessionHeldDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, sessionId),
  });
}
