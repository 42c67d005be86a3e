import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { EscalateSafetyDto } from './escalate-safety.dto';

/** A safety escalation. */
export function escalateSafety(
  cases: CaseCommandHandler,
  caseId: string,
  body: EscalateSafetyDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
