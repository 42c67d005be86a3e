import { GiveLegalAdvice, LEGAL_ADVICE_TOPICS } from '@helpline/domain';
import { OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody, sealIfGiven } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class GiveLegalAdviceDto extends CaseCommandBody {
  @OneOf(LEGAL_ADVICE_TOPICS, 'drug_law_sanctions')
  topic!: (typeof LEGAL_ADVICE_TOPICS)[number];

  @PersonalText('Explained the administrative sanctions for personal use.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<GiveLegalAdvice> {
    return {
      type: 'GiveLegalAdvice',
      caseId,
      occurredAt: building.occurredAt,
      topic: this.topic,
      note: await sealIfGiven(building, 'note', this.note),
    };
  }
}
