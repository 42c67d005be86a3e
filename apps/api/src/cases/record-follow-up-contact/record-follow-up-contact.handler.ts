import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordFollowUpContactDto } from './record-follow-up-contact.dto';

/** Another contact with the caller: in or out of the line's hours, by the case's line. */
export function recordFollowUpContact(
  cases: CaseCommandHandler,
  caseId: string,
  body: RecordFollowUpContactDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
