import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { RecordPatrolReportDto } from '../dto/emergency-path.dto';

/** The patrol's report. */
export function recordPatrolReport(
  safety: SafetyCommandExecutor,
  emergencyId: string,
  body: RecordPatrolReportDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  return safety.executeEmergencyCommand({
    emergencyId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(emergencyId, building),
  });
}
