import { RecordAppointmentAttended } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { CaseCommandBody } from '../../cases/case-command.body';

export class RecordAppointmentAttendedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordAppointmentAttended {
    return { type: 'RecordAppointmentAttended', caseId, occurredAt, referralId };
  }
}
