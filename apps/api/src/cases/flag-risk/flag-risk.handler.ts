import type { CaseCommandHandler, CaseCommandResult } from '@helpline/cases';
import type { CommandContext } from '../../common/command-context';
import type { FlagRiskDto } from './flag-risk.dto';

/** A risk flagged (level and kind): cases at risk come first in the queues. */
export function flagRisk(
  cases: CaseCommandHandler,
  caseId: string,
  body: FlagRiskDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building),
  });
}
