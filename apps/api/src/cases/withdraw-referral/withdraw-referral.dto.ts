import { REFERRAL_WITHDRAWAL_REASONS, WithdrawReferral } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class WithdrawReferralDto extends CaseCommandBody {
  @OneOf(REFERRAL_WITHDRAWAL_REASONS, 'caller_changed_mind')
  reason!: (typeof REFERRAL_WITHDRAWAL_REASONS)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): WithdrawReferral {
    return { type: 'WithdrawReferral', caseId, occurredAt, referralId, reason: this.reason };
  }
}
