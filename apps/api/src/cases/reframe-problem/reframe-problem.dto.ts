import { PROBLEM_CATEGORIES, ReframeProblem } from '@helpline/domain';
import { ListOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody, sealIfGiven } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** The "real problem" behind the request. */
export class ReframeProblemDto extends CaseCommandBody {
  @ListOf(PROBLEM_CATEGORIES, ['relative_addiction', 'family_relationships'])
  categories!: Array<(typeof PROBLEM_CATEGORIES)[number]>;

  @PersonalText('The conflict at home is what she wants help with first.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<ReframeProblem> {
    return {
      type: 'ReframeProblem',
      caseId,
      occurredAt: building.occurredAt,
      categories: this.categories,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}
