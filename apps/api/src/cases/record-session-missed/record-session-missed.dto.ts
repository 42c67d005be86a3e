import { RecordSessionMissed } from '@helpline/domain';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class RecordSessionMissedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, sessionId: string): RecordSessionMissed {
    return { type: 'RecordSessionMissed', caseId, occurredAt, sessionId };
  }
}
