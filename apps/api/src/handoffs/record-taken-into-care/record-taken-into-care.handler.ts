import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordTakenIntoCareDto } from './record-taken-into-care.dto';

/** The service took the person into care: the referral's loop is closed. Reached by the staff of the service the referral was sent to, for that referral only. */
export function recordTakenIntoCare(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: RecordTakenIntoCareDto,
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
