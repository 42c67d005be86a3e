import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { DeclinePolicePresenceDto } from '../dto/preventive-path.dto';

/** The police decline, with a reason. */
export function declinePolicePresence(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: DeclinePolicePresenceDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
