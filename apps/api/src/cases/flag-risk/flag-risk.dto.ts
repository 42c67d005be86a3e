import { FlagRisk, RISK_KINDS, RISK_LEVELS } from '@helpline/domain';
import { OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class FlagRiskDto extends CaseCommandBody {
  @OneOf(RISK_LEVELS, 'high')
  level!: (typeof RISK_LEVELS)[number];

  @OneOf(RISK_KINDS, 'self_harm')
  kind!: (typeof RISK_KINDS)[number];

  @PersonalText('Mentioned thoughts of ending it; no plan.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding): Promise<FlagRisk> {
    return {
      type: 'FlagRisk',
      caseId,
      occurredAt: building.occurredAt,
      level: this.level,
      kind: this.kind,
      note: this.note === undefined ? undefined : await building.seal('note', this.note),
    };
  }
}
