import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ScheduleSession, SESSION_MODES } from '@helpline/domain';
import { Instant, OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** A meeting with one of the line's own professionals, by phone or video. */
export class ScheduleSessionDto extends CaseCommandBody {
  @Instant('2026-12-01T15:00:00+01:00')
  scheduledFor!: string;

  @OneOf(SESSION_MODES, 'video')
  mode!: (typeof SESSION_MODES)[number];

  @ApiPropertyOptional({ example: 'psychologist-12', description: 'Defaults to you' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  professionalId?: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, sessionId: string, actorId: string): ScheduleSession {
    return {
      type: 'ScheduleSession',
      caseId,
      occurredAt,
      sessionId,
      scheduledFor: this.scheduledFor,
      mode: this.mode,
      professionalId: this.professionalId ?? actorId,
    };
  }
}
