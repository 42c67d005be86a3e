import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { AcknowledgeSafetyRequestDto } from '../dto/preventive-path.dto';

/** The police acknowledge the request. */
export function acknowledgeSafetyRequest(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: AcknowledgeSafetyRequestDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
