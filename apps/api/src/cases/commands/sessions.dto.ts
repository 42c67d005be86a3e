import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  RecordSessionHeld,
  RecordSessionMissed,
  ScheduleSession,
  SESSION_MODES,
  TakeInChargeByLine,
} from '@helpline/domain';
import { Instant, OneOf, PersonalText } from '../../common/dto-decorators';
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

export class RecordSessionHeldDto extends CaseCommandBody {
  @PersonalText('Worked on how to talk with her son.')
  note?: string;

  async toCommand(caseId: string, building: CommandBuilding, sessionId: string): Promise<RecordSessionHeld> {
    return {
      type: 'RecordSessionHeld',
      caseId,
      occurredAt: building.occurredAt,
      sessionId,
      note: this.note === undefined ? undefined : await building.seal('note', this.note),
    };
  }
}

export class RecordSessionMissedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, sessionId: string): RecordSessionMissed {
    return { type: 'RecordSessionMissed', caseId, occurredAt, sessionId };
  }
}

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
