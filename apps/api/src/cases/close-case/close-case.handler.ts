import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { CloseCaseDto } from './close-case.dto';

/** The case closed with its outcome. */
export function closeCase(
  cases: CaseCommandHandler,
  caseId: string,
  body: CloseCaseDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
