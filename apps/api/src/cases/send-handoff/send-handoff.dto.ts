import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, ValidateNested } from 'class-validator';
import { CONSENT_METHODS, SendHandoff, SHARED_FIELDS } from '@helpline/domain';
import { ListOf, OneOf, PersonalText } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class ConsentDto {
  @ApiProperty({ example: true, description: 'The caller agreed to the handoff and to the fields shared' })
  @IsBoolean()
  given!: boolean;

  @OneOf(CONSENT_METHODS, 'verbal')
  method!: (typeof CONSENT_METHODS)[number];
}

/** The handoff to the service's dedicated contact, with the caller's consent and only the fields they agreed to share. */
export class SendHandoffDto extends CaseCommandBody {
  @ApiProperty({ type: ConsentDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentDto)
  consent!: ConsentDto;

  @ListOf(SHARED_FIELDS, ['age_band', 'concern', 'callback_number'], 'Exactly the fields the service will see')
  sharedFields!: Array<(typeof SHARED_FIELDS)[number]>;

  @PersonalText(
    'Mother of a young man using cocaine; would like an appointment this week.',
    'Personal: what the service reads, if summary_note is shared',
  )
  summaryNote?: string;

  async toCommand(caseId: string, building: CommandBuilding, referralId: string): Promise<SendHandoff> {
    return {
      type: 'SendHandoff',
      caseId,
      occurredAt: building.occurredAt,
      referralId,
      consent: { given: this.consent.given, method: this.consent.method },
      sharedFields: this.sharedFields,
      summaryNote: this.summaryNote === undefined ? undefined : await building.seal('summaryNote', this.summaryNote),
    };
  }
}
