import { FrameRequest, REQUEST_CATEGORIES } from '@helpline/domain';
import { ListOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody, sealIfGiven } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** The manifest request: what the caller asks for. */
export class FrameRequestDto extends CaseCommandBody {
  @ListOf(REQUEST_CATEGORIES, ['information_on_services', 'support_for_a_relative'])
  categories!: Array<(typeof REQUEST_CATEGORIES)[number]>;

  @PersonalText('Calls about her son, 19, who uses cocaine at weekends.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<FrameRequest> {
    return {
      type: 'FrameRequest',
      caseId,
      occurredAt: building.occurredAt,
      categories: this.categories,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}
