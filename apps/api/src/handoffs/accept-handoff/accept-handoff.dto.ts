import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { AcceptHandoff } from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { CaseCommandBody } from '../../cases/case-command.body';

/** The service takes the handoff, optionally giving the first appointment at once. */
export class AcceptHandoffDto extends CaseCommandBody {
  @ApiPropertyOptional({
    example: '2026-11-27T10:30:00+01:00',
    description: 'The first appointment, if already set (ISO-8601 with offset)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, {
    message: 'appointmentAt must be an ISO-8601 instant with an offset',
  })
  appointmentAt?: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): AcceptHandoff {
    return {
      type: 'AcceptHandoff',
      caseId,
      occurredAt,
      referralId,
      ...(this.appointmentAt === undefined ? {} : { appointmentAt: this.appointmentAt }),
    };
  }
}
