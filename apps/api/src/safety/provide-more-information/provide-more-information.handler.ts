import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { ProvideMoreInformationDto } from '../dto/preventive-path.dto';

/** The unit provides the information asked for. */
export function provideMoreInformation(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: ProvideMoreInformationDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.executeRequestCommand({
    requestId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(requestId, building),
  });
}
