import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { WithdrawReferralDto } from './withdraw-referral.dto';

/** A referral withdrawn. */
export function withdrawReferral(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: WithdrawReferralDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, referralId),
  });
}
