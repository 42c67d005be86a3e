import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { RecordOtherForcesAlertedDto } from '../dto/emergency-path.dto';

/** Other forces alerted. */
export function recordOtherForcesAlerted(
  safety: SafetyCommandExecutor,
  emergencyId: string,
  body: RecordOtherForcesAlertedDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  return safety.executeEmergencyCommand({
    emergencyId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(emergencyId, building),
  });
}
