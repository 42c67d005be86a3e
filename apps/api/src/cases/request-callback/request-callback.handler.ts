import { randomUUID } from 'node:crypto';
import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RequestCallbackDto } from './request-callback.dto';

/** A call-back requested: its number sealed with a key of its own, its pseudonym keyed by the line's secret. */
export function requestCallback(
  cases: CaseCommandHandler,
  caseId: string,
  body: RequestCallbackDto,
  context: CommandContext,
  pseudonymSecret: string,
): Promise<CaseCommandResult> {
  const callbackId = randomUUID();
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, callbackId, pseudonymSecret),
  });
}
