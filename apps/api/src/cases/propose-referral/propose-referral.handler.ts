import { randomUUID } from 'node:crypto';
import { ServiceNotInDirectoryError, type CaseCommandHandler, type CaseCommandResult } from '@helpline/cases';
import type { DirectoryService } from '@helpline/directory';
import type { CommandContext } from '../../common/command-context';
import type { ProposeReferralDto } from './propose-referral.dto';

/**
 * A referral proposed to a service: only an active service of the resource directory, looked up once, before the
 * command path (whose retries re-read only the case).
 */
export async function proposeReferral(
  cases: CaseCommandHandler,
  directory: DirectoryService,
  caseId: string,
  body: ProposeReferralDto,
  context: CommandContext,
): Promise<CaseCommandResult> {
  if (!(await directory.isActiveService(body.serviceId))) throw new ServiceNotInDirectoryError();
  const referralId = randomUUID();
  return cases.execute({
    caseId,
    context,
    occurredAt: body.occurredAt,
    build: (building) => body.toCommand(caseId, building, referralId),
  });
}
