import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { SetGoalDto } from './set-goal.dto';

/** The goal agreed with the caller. */
export function setGoal(
  cases: CaseCommandHandler,
  caseId: string,
  body: SetGoalDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
