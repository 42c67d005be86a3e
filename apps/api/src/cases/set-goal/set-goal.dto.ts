import { GOAL_KINDS, SetGoal } from '@helpline/domain';
import { OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody, sealIfGiven } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class SetGoalDto extends CaseCommandBody {
  @OneOf(GOAL_KINDS, 'contact_a_service')
  goalKind!: (typeof GOAL_KINDS)[number];

  @PersonalText('Book a first meeting at the SerD for the family.')
  description?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<SetGoal> {
    return {
      type: 'SetGoal',
      caseId,
      occurredAt: building.occurredAt,
      goalKind: this.goalKind,
      description: await sealIfGiven(building, 'description', this.description),
    };
  }
}
