import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { SendHandoffDto } from './send-handoff.dto';

/** The handoff sent to the service's dedicated contact, with the caller's consent and the fields shared. */
export function sendHandoff(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: SendHandoffDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, referralId),
  });
}
