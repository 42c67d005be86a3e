import type { SafetyCommandExecutor, SafetyEmergencyResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { SafetyErasureDto } from '../dto/safety-erasure.dto';

/**
 * The emergency record's personal data erased, and its request's when it was opened from an incident at a meeting:
 * both keys destroyed, then the erasure recorded in each stream. The timeline stays.
 */
export function eraseSafetyEmergencyPersonalData(
  safety: SafetyCommandExecutor,
  emergencyId: string,
  body: SafetyErasureDto,
  context: CommandContext,
): Promise<SafetyEmergencyResult> {
  return safety.eraseEmergencyPersonalData(emergencyId, { context, occurredAt: body.occurredAt, reason: body.reason });
}
