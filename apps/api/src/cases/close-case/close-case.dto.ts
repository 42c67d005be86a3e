import { CASE_OUTCOMES, CloseCase } from '@helpline/domain';
import { OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class CloseCaseDto extends CaseCommandBody {
  @OneOf(CASE_OUTCOMES, 'referred_to_service')
  outcome!: (typeof CASE_OUTCOMES)[number];

  @PersonalText('Family in contact with the SerD; will call again if needed.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<CloseCase> {
    return {
      type: 'CloseCase',
      caseId,
      occurredAt: building.occurredAt,
      outcome: this.outcome,
      note: this.note === undefined ? undefined : await building.seal('note', this.note),
    };
  }
}
