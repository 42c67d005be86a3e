import { EscalateSafety, SAFETY_ESCALATION_ACTIONS } from '@helpline/domain';
import { OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class EscalateSafetyDto extends CaseCommandBody {
  @OneOf(SAFETY_ESCALATION_ACTIONS, 'supervisor_alerted')
  action!: (typeof SAFETY_ESCALATION_ACTIONS)[number];

  @PersonalText('Supervisor joined the call.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<EscalateSafety> {
    return {
      type: 'EscalateSafety',
      caseId,
      occurredAt: building.occurredAt,
      action: this.action,
      note: this.note === undefined ? undefined : await building.seal('note', this.note),
    };
  }
}
