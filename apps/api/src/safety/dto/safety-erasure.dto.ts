import { SAFETY_ERASURE_REASONS, type SafetyErasureReason } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { SafetyCommandBody } from '../safety-command.body';

/** The area director erases a safety record's personal data, saying why. */
export class SafetyErasureDto extends SafetyCommandBody {
  @OneOf(SAFETY_ERASURE_REASONS, 'data_subject_request')
  reason!: SafetyErasureReason;
}
