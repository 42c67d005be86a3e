import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import {
  AcceptHandoff,
  DECLINE_REASONS,
  DeclineHandoff,
  RecordAppointmentAttended,
  RecordAppointmentMissed,
  RecordTakenIntoCare,
  ScheduleAppointment,
} from '@helpline/domain';
import type { CommandBuilding } from '@helpline/cases';
import { Instant, OneOf } from '../common/dto-decorators';
import { CaseCommandBody } from '../cases/case-command.body';

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

/** Sets the first appointment, or moves it (the previous time is kept in the event). */
export class ScheduleAppointmentDto extends CaseCommandBody {
  @Instant('2026-11-28T09:00:00+01:00', 'When the person is expected at the service (ISO-8601 with offset)')
  appointmentAt!: string;

  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): ScheduleAppointment {
    return { type: 'ScheduleAppointment', caseId, occurredAt, referralId, appointmentAt: this.appointmentAt };
  }
}

export class RecordAppointmentAttendedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordAppointmentAttended {
    return { type: 'RecordAppointmentAttended', caseId, occurredAt, referralId };
  }
}

export class RecordAppointmentMissedDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordAppointmentMissed {
    return { type: 'RecordAppointmentMissed', caseId, occurredAt, referralId };
  }
}

export class RecordTakenIntoCareDto extends CaseCommandBody {
  toCommand(caseId: string, { occurredAt }: CommandBuilding, referralId: string): RecordTakenIntoCare {
    return { type: 'RecordTakenIntoCare', caseId, occurredAt, referralId };
  }
}
