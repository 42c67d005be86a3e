import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { CompleteCallbackDto } from './complete-callback.dto';

/** A call-back done: the decider discards its number, whose key is then destroyed. */
export function completeCallback(
  cases: CaseCommandHandler,
  caseId: string,
  callbackId: string,
  body: CompleteCallbackDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, callbackId),
  });
}
