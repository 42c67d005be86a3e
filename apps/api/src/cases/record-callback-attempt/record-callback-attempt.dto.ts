import { CALLBACK_ATTEMPT_OUTCOMES, RecordCallbackAttempt } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class RecordCallbackAttemptDto extends CaseCommandBody {
  @OneOf(CALLBACK_ATTEMPT_OUTCOMES, 'no_answer')
  outcome!: (typeof CALLBACK_ATTEMPT_OUTCOMES)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding, callbackId: string): RecordCallbackAttempt {
    return { type: 'RecordCallbackAttempt', caseId, occurredAt, callbackId, outcome: this.outcome };
  }
}
