import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DIRECTORATE_SHARED_ITEMS, INCIDENT_KINDS, POLICE_FORCES, type SafetyEmergencyCommand } from '@helpline/domain';
import type { SafetyEmergencyState } from '@helpline/domain';
import type { SafetyCommandBuilding } from '@helpline/safety';
import { Instant, ListOf, OneOf, OptionalInstant } from '../../common/dto-decorators';
import { RequiredPersonalText, SafetyCommandBody } from '../safety-command.body';

type Building = SafetyCommandBuilding<SafetyEmergencyState>;

/** A social worker records a violent event in progress (aggression, threat, damage). */
export class RecordEmergencyInProgressDto extends SafetyCommandBody {
  @OneOf(INCIDENT_KINDS, 'physical_aggression')
  kind!: (typeof INCIDENT_KINDS)[number];

  @Instant('2026-11-25T10:02:00+01:00', 'When the violent event began')
  startedAt!: string;

  @ApiProperty({ example: true, description: 'Whether other staff on duty were called to help (step 1)' })
  @IsBoolean()
  colleaguesCalled!: boolean;

  @ApiPropertyOptional({ example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  colleaguesCount?: number;

  @OptionalInstant('When the operations centre was phoned (step 2), if it already was')
  operationsCentreCalledAt?: string;

  @RequiredPersonalText('Reception desk, Via Esempio 1', 'Where it is happening.', 500)
  location!: string;

  async toCommand(emergencyId: string, unitId: string, b: Building): Promise<SafetyEmergencyCommand> {
    return {
      type: 'RecordEmergencyInProgress',
      emergencyId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      unitId,
      kind: this.kind,
      startedAt: this.startedAt,
      colleaguesCalled: this.colleaguesCalled,
      ...(this.colleaguesCount === undefined ? {} : { colleaguesCount: this.colleaguesCount }),
      ...(this.operationsCentreCalledAt === undefined
        ? {}
        : { operationsCentreCalledAt: this.operationsCentreCalledAt }),
      location: await b.seal('location', this.location),
    };
  }
}

/** A step that is only its time: the call, the dispatch, the arrival, the closing. */
export class EmergencyStepDto extends SafetyCommandBody {
  toCommand(
    type: 'RecordOperationsCentreCall' | 'RecordPatrolDispatch' | 'RecordPatrolArrival' | 'CloseEmergency',
    emergencyId: string,
    b: Building,
  ): SafetyEmergencyCommand {
    return { type, emergencyId, occurredAt: b.occurredAt, actor: b.actor };
  }
}

export class RecordOtherForcesAlertedDto extends SafetyCommandBody {
  @ListOf(POLICE_FORCES, ['carabinieri'], 'The forces the operations centre alerted')
  forces!: Array<(typeof POLICE_FORCES)[number]>;

  toCommand(emergencyId: string, b: Building): SafetyEmergencyCommand {
    return {
      type: 'RecordOtherForcesAlerted',
      emergencyId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      forces: this.forces,
    };
  }
}

export class RecordPatrolReportDto extends SafetyCommandBody {
  @ListOf(
    DIRECTORATE_SHARED_ITEMS,
    ['report_summary'],
    "What the command shared with the social-policies directorate, or ['none']",
  )
  sharedWithDirectorate!: Array<(typeof DIRECTORATE_SHARED_ITEMS)[number]>;

  toCommand(emergencyId: string, b: Building): SafetyEmergencyCommand {
    return {
      type: 'RecordPatrolReport',
      emergencyId,
      occurredAt: b.occurredAt,
      actor: b.actor,
      sharedWithDirectorate: this.sharedWithDirectorate,
    };
  }
}
