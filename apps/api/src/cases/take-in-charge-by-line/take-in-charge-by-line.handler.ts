import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { TakeInChargeByLineDto } from './take-in-charge-by-line.dto';

/** The line's own team takes the person in charge (the alternative to a referral). */
export function takeInChargeByLine(
  cases: CaseCommandHandler,
  caseId: string,
  body: TakeInChargeByLineDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, context.principal.id),
  });
}
