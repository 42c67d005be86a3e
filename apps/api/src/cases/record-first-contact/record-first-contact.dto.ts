import {
  AGE_BANDS,
  CALLER_TYPES,
  CHANNELS,
  CONCERNS,
  findLine,
  GENDERS,
  HEARD_OF_LINE_SOURCES,
  isWithinOpeningHours,
} from '@helpline/domain';
import type { LineId, RecordFirstContact } from '@helpline/domain';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { LineIdField, OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

/** First contact: opens a case. The caller stays anonymous: nothing here identifies them. */
export class RecordFirstContactDto extends CaseCommandBody {
  @LineIdField({ description: 'The helpline the contact reached' })
  lineId!: LineId;

  @OneOf(CHANNELS, 'phone')
  channel!: (typeof CHANNELS)[number];

  @OneOf(CALLER_TYPES, 'family_or_acquaintance')
  callerType!: (typeof CALLER_TYPES)[number];

  @OneOf(AGE_BANDS, '40_50')
  ageBand!: (typeof AGE_BANDS)[number];

  @OneOf(GENDERS, 'female')
  gender!: (typeof GENDERS)[number];

  @OneOf(CONCERNS, 'cocaine')
  concern!: (typeof CONCERNS)[number];

  @OneOf(HEARD_OF_LINE_SOURCES, 'web_search', 'How they heard of the line')
  heardOfLine!: (typeof HEARD_OF_LINE_SOURCES)[number];

  @ApiPropertyOptional({
    example: false,
    default: false,
    description:
      "The case is assigned to you, who open it, and shows in /queues/mine at once; true opens it unassigned, for the line's queue",
  })
  @IsOptional()
  @IsBoolean()
  leaveUnassigned?: boolean;

  /** `openerId`: the principal opening the case, assigned unless the body says `leaveUnassigned`. */
  toCommand(caseId: string, { occurredAt }: CommandBuilding, openerId: string): RecordFirstContact {
    const line = findLine(this.lineId)!;
    return {
      type: 'RecordFirstContact',
      caseId,
      occurredAt,
      lineId: this.lineId,
      channel: this.channel,
      callerType: this.callerType,
      ageBand: this.ageBand,
      gender: this.gender,
      concern: this.concern,
      heardOfLine: this.heardOfLine,
      outOfHours: !isWithinOpeningHours(line, occurredAt),
      ...(this.leaveUnassigned === true ? {} : { assignTo: openerId }),
    };
  }
}
