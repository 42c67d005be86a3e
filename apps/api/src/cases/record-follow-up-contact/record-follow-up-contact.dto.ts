import { CHANNELS, CONTACT_DIRECTIONS, findLine, isWithinOpeningHours, RecordFollowUpContact } from '@helpline/domain';
import { OneOf } from '../../common/dto-decorators';
import { CaseCommandBody } from '../case-command.body';
import type { CommandBuilding } from '@helpline/cases';

export class RecordFollowUpContactDto extends CaseCommandBody {
  @OneOf(CHANNELS, 'whatsapp')
  channel!: (typeof CHANNELS)[number];

  @OneOf(CONTACT_DIRECTIONS, 'inbound', 'Whether the caller reached the line or the line reached the caller')
  direction!: (typeof CONTACT_DIRECTIONS)[number];

  toCommand(caseId: string, { occurredAt, loaded }: CommandBuilding): RecordFollowUpContact {
    const line = findLine(loaded.state.lineId)!;
    return {
      type: 'RecordFollowUpContact',
      caseId,
      occurredAt,
      channel: this.channel,
      direction: this.direction,
      outOfHours: !isWithinOpeningHours(line, occurredAt),
    };
  }
}
