import { CALLBACK_RESOLUTIONS, CompleteCallback } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class CompleteCallbackDto extends CaseCommandBody {
  @OneOf(CALLBACK_RESOLUTIONS, 'caller_reached')
  resolution!: (typeof CALLBACK_RESOLUTIONS)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding, callbackId: string): CompleteCallback {
    return { type: 'CompleteCallback', caseId, occurredAt, callbackId, resolution: this.resolution };
  }
}
