import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { ScheduleAppointmentDto } from './schedule-appointment.dto';

/** The first appointment set, or moved. Reached by the staff of the service the referral was sent to, for that referral only. */
export function scheduleAppointment(
  cases: CaseCommandHandler,
  caseId: string,
  referralId: string,
  body: ScheduleAppointmentDto,
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
