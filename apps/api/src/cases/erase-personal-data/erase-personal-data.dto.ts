import { ERASURE_REASONS, ErasePersonalData } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class ErasePersonalDataDto extends CaseCommandBody {
  @OneOf(ERASURE_REASONS, 'caller_request')
  reason!: (typeof ERASURE_REASONS)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding): ErasePersonalData {
    return { type: 'ErasePersonalData', caseId, occurredAt, reason: this.reason };
  }
}
