import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordAppointmentMissedDto } from './record-appointment-missed.dto';

/** The person missed the first appointment. Reached by the staff of the service the referral was sent to, for that referral only. */
export function recordAppointmentMissed(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: RecordAppointmentMissedDto,
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
