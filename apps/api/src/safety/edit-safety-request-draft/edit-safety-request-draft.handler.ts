import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { EditSafetyRequestDraftDto } from '../dto/preventive-path.dto';

/** The draft edited before it is sent. */
export function editSafetyRequestDraft(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: EditSafetyRequestDraftDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
