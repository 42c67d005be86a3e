import { ProposeReferral } from '@helpline/domain';
import { Identifier } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class ProposeReferralDto extends CaseCommandBody {
  @Identifier('esempio-serd-centro', 'An active service of the resource directory')
  serviceId!: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): ProposeReferral {
    return { type: 'ProposeReferral', caseId, occurredAt, referralId, serviceId: this.serviceId };
  }
}
