import { CALLER_FEEDBACK_RATINGS, RecordCallerFeedback } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';

export class RecordCallerFeedbackDto extends CaseCommandBody {
  @OneOf(CALLER_FEEDBACK_RATINGS, 'satisfied', "The caller's own rating of the service")
  rating!: (typeof CALLER_FEEDBACK_RATINGS)[number];

  toCommand(caseId: string, building: CommandBuilding): RecordCallerFeedback {
    return { type: 'RecordCallerFeedback', caseId, occurredAt: building.occurredAt, rating: this.rating };
  }
}
