import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { FrameRequestDto } from './frame-request.dto';

/** The manifest request: what the caller asks for (its note sealed with the case's key). */
export function frameRequest(
  cases: CaseCommandHandler,
  caseId: string,
  body: FrameRequestDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
