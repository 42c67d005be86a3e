import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { callerLookupHintOf, RequestCallback } from '@helpline/domain';
import { normalisePhoneNumber, pseudonymise } from '@helpline/privacy';
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

  /** The keyed pseudonym of the number (InvalidPhoneNumberError, naming the field, if it is not a number). */
  callerPseudonym(pseudonymSecret: string): string {
    return pseudonymise(pseudonymSecret, normalisePhoneNumber(this.number, 'number'));
  }

  async toCommand(
    caseId: string,
    building: CommandBuilding,
    callbackId: string,
    caller: { readonly pseudonym: string; readonly returningCaller: boolean },
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
      callerPseudonym: await building.seal('callerPseudonym', caller.pseudonym),
      callerLookupHint: callerLookupHintOf(caller.pseudonym),
      returningCaller: caller.returningCaller,
    };
  }
}
