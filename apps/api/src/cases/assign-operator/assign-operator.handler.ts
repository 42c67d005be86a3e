import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { AssignOperatorDto } from './assign-operator.dto';

/** The case assigned to an operator. */
export function assignOperator(
  cases: CaseCommandHandler,
  caseId: string,
  body: AssignOperatorDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
