import { EscalateSafety, FlagRisk, RISK_KINDS, RISK_LEVELS, SAFETY_ESCALATION_ACTIONS } from '@helpline/domain';
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
