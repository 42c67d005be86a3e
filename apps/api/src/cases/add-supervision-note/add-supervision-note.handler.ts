import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { AddSupervisionNoteDto } from './add-supervision-note.dto';

/** A supervisor's note on the case, signed by the supervisor. */
export function addSupervisionNote(
  cases: CaseCommandHandler,
  caseId: string,
  body: AddSupervisionNoteDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, context.principal.id),
  });
}
