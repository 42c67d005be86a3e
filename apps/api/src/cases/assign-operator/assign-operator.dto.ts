import { AssignOperator } from '@helpline/domain';
import { Identifier } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class AssignOperatorDto extends CaseCommandBody {
  @Identifier('operator-7', 'Operators may assign only themselves; supervisors anyone')
  operatorId!: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding): AssignOperator {
    return { type: 'AssignOperator', caseId, occurredAt, operatorId: this.operatorId };
  }
}
