import { REOPEN_REASONS, ReopenCase } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class ReopenCaseDto extends CaseCommandBody {
  @OneOf(REOPEN_REASONS, 'caller_recontacted')
  reason!: (typeof REOPEN_REASONS)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding): ReopenCase {
    return { type: 'ReopenCase', caseId, occurredAt, reason: this.reason };
  }
}
