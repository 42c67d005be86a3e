import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { GiveLegalAdviceDto } from './give-legal-advice.dto';

/** Legal advice given. */
export function giveLegalAdvice(
  cases: CaseCommandHandler,
  caseId: string,
  body: GiveLegalAdviceDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
