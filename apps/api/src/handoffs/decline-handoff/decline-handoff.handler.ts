import { ServiceNotInDirectoryError, type CaseCommandHandler, type CaseCommandResult } from '@helpline/cases';
import type { DirectoryService } from '@helpline/directory';
import type { CommandContext } from '../../common/command-context';
import type { DeclineHandoffDto } from './decline-handoff.dto';

/**
 * The service declines the handoff, with a reason, perhaps suggesting a better-suited service: one of the
 * directory's active services, looked up once, before the command path.
 */
export async function declineHandoff(
  cases: CaseCommandHandler,
  directory: DirectoryService,
  caseId: string,
  referralId: string,
  body: DeclineHandoffDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  if (body.suggestedServiceId !== undefined && !(await directory.isActiveService(body.suggestedServiceId)))
    throw new ServiceNotInDirectoryError();
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    reachability: { referralId },
    build: (building) => body.toCommand(caseId, building, referralId),
  });
}
