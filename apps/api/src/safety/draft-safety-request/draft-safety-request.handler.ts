import { randomUUID } from 'node:crypto';
import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { DraftSafetyRequestDto } from '../dto/preventive-path.dto';

/** A request for police presence at a meeting drafted by a unit's staff, with a new id; personal values sealed with the request's key. */
export function draftSafetyRequest(
  safety: SafetyCommandExecutor,
  body: DraftSafetyRequestDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  const requestId = randomUUID();
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    opens: true,
    build: (building) => body.toCommand(requestId, context.principal.unitId ?? '', building),
  });
}
