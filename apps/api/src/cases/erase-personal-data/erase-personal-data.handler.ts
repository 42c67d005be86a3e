import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { ErasePersonalDataDto } from './erase-personal-data.dto';

/** The case's personal data erased: every key of the case destroyed (crypto-shredding), then the erasure recorded. */
export function erasePersonalData(
  cases: CaseCommandHandler,
  caseId: string,
  body: ErasePersonalDataDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: async (building) => {
      await building.eraseAll(context.principal.id);
      return body.toCommand(caseId, building);
    },
  });
}
