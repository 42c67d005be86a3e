import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { SendSafetyRequestDto } from '../dto/preventive-path.dto';

/** The request sent to the police; flagged late with less than the configured notice. */
export function sendSafetyRequest(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: SendSafetyRequestDto,
  context: CommandContext,
  noticeHours: number,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, noticeHours, building),
  });
}
