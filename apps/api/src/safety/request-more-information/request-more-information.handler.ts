import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { RequestMoreInformationDto } from '../dto/preventive-path.dto';

/** The police ask the unit for more information. */
export function requestMoreInformation(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: RequestMoreInformationDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
