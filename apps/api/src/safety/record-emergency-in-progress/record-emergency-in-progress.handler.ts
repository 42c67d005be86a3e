import { randomUUID } from 'node:crypto';
import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { RecordEmergencyInProgressDto } from '../dto/emergency-path.dto';

/** An emergency in progress recorded by a unit's staff, with a new id; its place sealed with the record's key. */
export function recordEmergencyInProgress(
  safety: SafetyCommandExecutor,
  body: RecordEmergencyInProgressDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  const emergencyId = randomUUID();
  return safety.executeEmergencyCommand({
    emergencyId,
    context,
    occurredAt: body.occurredAt,
    opens: true,
    build: (building) => body.toCommand(emergencyId, context.principal.unitId ?? '', building),
  });
}
