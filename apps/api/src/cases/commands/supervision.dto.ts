import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AddSupervisionNote, AssignOperator } from '@helpline/domain';
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

export class AddSupervisionNoteDto extends CaseCommandBody {
  @ApiProperty({
    example: 'Propose the family group on Thursdays.',
    description: 'Personal: encrypted with the case key',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  note!: string;

  async toCommand(caseId: string, building: CommandBuilding, supervisorId: string): Promise<AddSupervisionNote> {
    return {
      type: 'AddSupervisionNote',
      caseId,
      occurredAt: building.occurredAt,
      supervisorId,
      note: await building.seal('note', this.note),
    };
  }
}
