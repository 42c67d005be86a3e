import type { SafetyCommandExecutor, SafetyRequestResult } from '@helpline/safety';
import type { CommandContext } from '../../common/command-context';
import type { SafetyErasureDto } from '../dto/safety-erasure.dto';

/**
 * The request's personal data erased, and its emergency record's (an incident at its meeting): both keys destroyed
 * (crypto-shredding), then the erasure recorded in each stream. Dates, steps and answers stay.
 */
export function eraseSafetyRequestPersonalData(
  safety: SafetyCommandExecutor,
  requestId: string,
  body: SafetyErasureDto,
  context: CommandContext,
): Promise<SafetyRequestResult> {
  return safety.eraseRequestPersonalData(requestId, { context, occurredAt: body.occurredAt, reason: body.reason });
}
