import { randomUUID } from 'node:crypto';
import type { CallerLookup, CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RequestCallbackDto } from './request-callback.dto';

/**
 * A call-back requested: its number sealed with a key of its own, the caller's pseudonym (keyed by the line's
 * secret) sealed with the case's key, and whether the line already had a case of this caller that is not erased.
 */
export async function requestCallback(
  cases: CaseCommandHandler,
  callers: CallerLookup,
  caseId: string,
  body: RequestCallbackDto,
  context: CommandContext,
  pseudonymSecret: string,
): Promise<CaseCommandResult> {
  const callbackId = randomUUID();
  const pseudonym = body.callerPseudonym(pseudonymSecret);
  const casesOfCaller = await callers.casesOf(pseudonym, context.principal.lines);
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => {
      const lineId = building.loaded.state.lineId;
      const returningCaller = casesOfCaller.some((found) => found.caseId !== caseId && found.lineId === lineId);
      return body.toCommand(caseId, building, callbackId, { pseudonym, returningCaller });
    },
  });
}
