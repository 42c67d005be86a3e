import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { EmergencyStepDto } from '../dto/emergency-path.dto';

/** The patrol arrived. */
export function recordPatrolArrival(
  safety: SafetyCommandExecutor,
  emergencyId: string,
  body: EmergencyStepDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  return safety.executeEmergencyCommand({
    emergencyId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand('RecordPatrolArrival', emergencyId, building),
  });
}
