import { randomUUID } from 'node:crypto';
import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { ScheduleSessionDto } from './schedule-session.dto';

/** A session scheduled with one of the line's professionals, with a new id. */
export function scheduleSession(
  cases: CaseCommandHandler,
  caseId: string,
  body: ScheduleSessionDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  const sessionId = randomUUID();
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, sessionId, context.principal.id),
  });
}
