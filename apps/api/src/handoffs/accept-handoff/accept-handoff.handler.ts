import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { AcceptHandoffDto } from './accept-handoff.dto';

/** The service accepts the handoff sent to it. Reached by the staff of the service the referral was sent to, for that referral only. */
export function acceptHandoff(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: AcceptHandoffDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    reachability: { referralId },
    build: (building) => body.toCommand(caseId, building, referralId),
  });
}
