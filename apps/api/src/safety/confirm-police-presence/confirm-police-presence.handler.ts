import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { ConfirmPolicePresenceDto } from '../dto/preventive-path.dto';

/** The police confirm their presence at the meeting. */
export function confirmPolicePresence(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: ConfirmPolicePresenceDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
