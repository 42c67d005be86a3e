import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { CancelSafetyRequestDto } from '../dto/preventive-path.dto';

/** The request cancelled before the meeting. */
export function cancelSafetyRequest(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: CancelSafetyRequestDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
