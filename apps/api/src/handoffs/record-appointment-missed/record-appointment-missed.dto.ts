import { RecordAppointmentMissed } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { CaseCommandBody } from '../../cases/case-command.body';

export class RecordAppointmentMissedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordAppointmentMissed {
    return { type: 'RecordAppointmentMissed', caseId, occurredAt, referralId };
  }
}
