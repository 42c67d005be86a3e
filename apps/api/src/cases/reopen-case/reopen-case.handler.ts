import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { ReopenCaseDto } from './reopen-case.dto';

/** A closed case reopened. */
export function reopenCase(
  cases: CaseCommandHandler,
  caseId: string,
  body: ReopenCaseDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
