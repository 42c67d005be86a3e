import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  CALLBACK_ATTEMPT_OUTCOMES,
  CALLBACK_RESOLUTIONS,
  CompleteCallback,
  RecordCallbackAttempt,
  RequestCallback,
} from '@helpline/domain';
import { normalisePhoneNumber, pseudonymise } from '@helpline/privacy';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** A call-back: the only place a number is kept, encrypted with a key of its own, destroyed when done. */
export class RequestCallbackDto extends CaseCommandBody {
  @ApiProperty({
    example: '+39 333 123 4567',
    description: 'Personal: encrypted, destroyed when the call-back completes or after the retention time',
  })
  @IsString()
  @Length(4, 40)
  number!: string;

  @ApiPropertyOptional({ example: 'Marco', description: 'Personal, employee line only: a name or alias to ask for' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  nameOrAlias?: string;

  async toCommand(
    caseId: string,
    building: CommandBuilding,
    callbackId: string,
    pseudonymSecret: string,
  ): Promise<RequestCallback> {
    const normalised = normalisePhoneNumber(this.number, 'number');
    const suffix = `callback-${callbackId}`;
    return {
      type: 'RequestCallback',
      caseId,
      occurredAt: building.occurredAt,
      callbackId,
      number: await building.sealFor(suffix, 'number', normalised),
      nameOrAlias:
        this.nameOrAlias === undefined ? undefined : await building.sealFor(suffix, 'nameOrAlias', this.nameOrAlias),
      callerPseudonym: pseudonymise(pseudonymSecret, normalised),
    };
  }
}

export class RecordCallbackAttemptDto extends CaseCommandBody {
  @OneOf(CALLBACK_ATTEMPT_OUTCOMES, 'no_answer')
  outcome!: (typeof CALLBACK_ATTEMPT_OUTCOMES)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding, callbackId: string): RecordCallbackAttempt {
    return { type: 'RecordCallbackAttempt', caseId, occurredAt, callbackId, outcome: this.outcome };
  }
}

export class CompleteCallbackDto extends CaseCommandBody {
  @OneOf(CALLBACK_RESOLUTIONS, 'caller_reached')
  resolution!: (typeof CALLBACK_RESOLUTIONS)[number];

  toCommand(caseId: string, { occurredAt }: CommandBuilding, callbackId: string): CompleteCallback {
    return { type: 'CompleteCallback', caseId, occurredAt, callbackId, resolution: this.resolution };
  }
}
