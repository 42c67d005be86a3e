import { RecordSessionHeld } from '@helpline/domain';
import { PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class RecordSessionHeldDto extends CaseCommandBody {
  @PersonalText('Worked on how to talk with her son.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding, sessionId: string): Promise<RecordSessionHeld> {
    return {
      type: 'RecordSessionHeld',
      caseId,
      occurredAt: building.occurredAt,
      sessionId,
      note: this.note === undefined ? undefined : await building.seal('note', this.note),
    };
  }
}
