import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { AddSupervisionNote } from '@helpline/domain';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

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
