import { ScheduleAppointment } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { Instant } from '../../common/dto-decorators';
import { CaseCommandBody } from '../../cases/case-command.body';

/** Sets the first appointment, or moves it (the previous time is kept in the event). */
export class ScheduleAppointmentDto extends CaseCommandBody {
  @Instant('2026-11-28T09:00:00+01:00', 'When the person is expected at the service (ISO-8601 with offset)')
  appointmentAt!: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): ScheduleAppointment {
    return { type: 'ScheduleAppointment', caseId, occurredAt, referralId, appointmentAt: this.appointmentAt };
  }
}
