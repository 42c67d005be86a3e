import type { Principal } from '@helpline/auth';
import type { CaseCommandHandler } from './case-command.handler';
import type { CaseStreamRepository } from './case-stream.repository';
import type { ErasureLedger } from './erasure-ledger';

const RESTORE: Principal = { id: 'system:restore', role: 'admin', lines: ['*'] };

export interface ReappliedErasures {
  /** Cases the restored database held unerased although they had been erased: erased again, with the same reason. */
  readonly reapplied: readonly string[];
  /** Erasures the restored database already holds. */
  readonly alreadyRecorded: number;
  /** Erased cases the restored database does not hold (opened after the backup was taken). */
  readonly notInDatabase: number;
}

/**
 * After a restore: every erasure recorded in the ledger that the restored database does not hold is recorded again,
 * through the same command as the first time (every key of the case destroyed, `PersonalDataErased` appended with
 * the original reason and time, by `system:restore`). Idempotent: a second run finds them recorded.
 */
export async function reapplyErasures(
  services: { readonly streams: CaseStreamRepository; readonly executor: CaseCommandHandler },
  ledger: ErasureLedger,
): Promise<ReappliedErasures> {
  const reapplied: string[] = [];
  let alreadyRecorded = 0;
  let notInDatabase = 0;
  const seen = new Set<string>();
  for (const erasure of await ledger.read()) {
    if (seen.has(erasure.caseId)) continue;
    seen.add(erasure.caseId);
    const { state, version } = await services.streams.load(erasure.caseId);
    if (version === 0) {
      notInDatabase++;
      continue;
    }
    if (state.personalDataErased) {
      alreadyRecorded++;
      continue;
    }
    await services.executor.execute({
      caseId: erasure.caseId,
      context: {
        principal: RESTORE,
        requestId: `restore-erasure-${erasure.caseId}`,
        fingerprint: `restore-erasure:${erasure.caseId}`,
      },
      occurredAt: erasure.occurredAt,
      build: async (building) => {
        await building.eraseAll(RESTORE.id);
        return {
          type: 'ErasePersonalData',
          caseId: erasure.caseId,
          occurredAt: building.occurredAt,
          reason: erasure.reason,
        };
      },
    });
    reapplied.push(erasure.caseId);
  }
  return { reapplied, alreadyRecorded, notInDatabase };
}
