import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DECLINE_REASONS, DeclineHandoff } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../../cases/case-command.body';

/** The service cannot take the person: why, and optionally a better-suited service of the directory. */
export class DeclineHandoffDto extends CaseCommandBody {
  @OneOf(DECLINE_REASONS, 'outside_catchment_area')
  reason!: (typeof DECLINE_REASONS)[number];

  @ApiPropertyOptional({
    example: 'esempio-serd-nord',
    description: 'An active service of the directory better suited to the person',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, { message: 'suggestedServiceId must be a directory service id' })
  suggestedServiceId?: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): DeclineHandoff {
    return {
      type: 'DeclineHandoff',
      caseId,
      occurredAt,
      referralId,
      ...(this.suggestedServiceId === undefined ? {} : { suggestedServiceId: this.suggestedServiceId }),
      reason: this.reason,
    };
  }
}
