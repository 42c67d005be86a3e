import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { ReframeProblemDto } from './reframe-problem.dto';

/** The "real problem" behind the request. */
export function reframeProblem(
  cases: CaseCommandHandler,
  caseId: string,
  body: ReframeProblemDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
