import { RecordTakenIntoCare } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { CaseCommandBody } from '../../cases/case-command.body';

export class RecordTakenIntoCareDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordTakenIntoCare {
    return { type: 'RecordTakenIntoCare', caseId, occurredAt, referralId };
  }
}
