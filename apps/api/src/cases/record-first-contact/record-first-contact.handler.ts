import { randomUUID } from 'node:crypto';
import { worksOnLine } from '@helpline/auth';
import { LineNotAllowedError, type CaseCommandHandler, type CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { RecordFirstContactDto } from './record-first-contact.dto';

/**
 * A first contact opens a case, with a new id, on a line the operator works on (nothing identifies the caller),
 * assigned to whoever opens it unless they leave it unassigned.
 */
export function recordFirstContact(
  cases: CaseCommandHandler,
  body: RecordFirstContactDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  if (!worksOnLine(context.principal, body.lineId)) throw new LineNotAllowedError();
  const caseId = randomUUID();
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    opensCase: true,
    build: (building) => body.toCommand(caseId, building, context.principal.id),
  });
}
