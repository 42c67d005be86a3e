import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { EmergencyStepDto } from '../dto/emergency-path.dto';

/** The emergency record closed. */
export function closeEmergency(
  safety: SafetyCommandExecutor,
  emergencyId: string,
  body: EmergencyStepDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  return safety.executeEmergencyCommand({
    emergencyId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand('CloseEmergency', emergencyId, building),
  });
}
