import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { TakeInChargeByLine } from '@helpline/domain';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** The line's own team takes the person in charge: the alternative to a referral (seed 001). */
export class TakeInChargeByLineDto extends CaseCommandBody {
  @ApiPropertyOptional({ example: 'psychologist-12', description: 'Defaults to you' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  professionalId?: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, actorId: string): TakeInChargeByLine {
    return { type: 'TakeInChargeByLine', caseId, occurredAt, professionalId: this.professionalId ?? actorId };
  }
}
