import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Principal } from '@helpline/auth';
import type { Database } from '@helpline/database';
import { findLine, type CaseState } from '@helpline/domain';
import { DATABASE } from '@helpline/kernel';
import { CaseCommandHandler } from './case-command.handler';
import { CaseStreamRepository } from './case-stream.repository';

const SYSTEM: Principal = { id: 'system:retention-policy', role: 'admin', lines: ['*'] };
/** `case-<id>` or `case-<id>/callback-<id>`: a key of a case. */
const CASE_SUBJECT = /^case-([0-9a-f-]{36})(?:\/|$)/;
const DAY_MS = 86_400_000;

/** What a run did: counts only, never a case id or anything personal. */
export interface RetentionRunResult {
  /** Cases that still hold personal data (a live key). */
  readonly examined: number;
  /** Of those, closed longer ago than their line keeps personal data: erased now (or, on a dry run, to erase). */
  readonly erased: number;
  /** Per line, the cases erased. */
  readonly erasedByLine: Readonly<Record<string, number>>;
  readonly dryRun: boolean;
}

/**
 * Erasure by policy: a closed case's personal data are kept for its line's `personalDataRetentionDays` after the
 * closing, then erased (reason `retention_policy`) as a supervisor's erasure would: every key of the case
 * destroyed, then PersonalDataErased recorded. Idempotent: an erased case has no live key left, so a second run
 * finds nothing; two runs at once record one erasure per case (the same idempotency key).
 */
@Injectable()
export class CaseRetention {
  private readonly db: Kysely<{ subject_keys: { subject_id: string; wrapped_key: unknown } }>;

  constructor(
    @Inject(DATABASE) database: Database,
    private readonly streams: CaseStreamRepository,
    private readonly executor: CaseCommandHandler,
  ) {
    this.db = database.db as typeof this.db;
  }

  async run(now: Date = new Date(), options: { dryRun?: boolean } = {}): Promise<RetentionRunResult> {
    const dryRun = options.dryRun === true;
    const keys = await this.db
      .selectFrom('subject_keys')
      .select('subject_id')
      .where('subject_id', 'like', 'case-%')
      .where('wrapped_key', 'is not', null)
      .execute();
    const caseIds = [...new Set(keys.map(({ subject_id }) => CASE_SUBJECT.exec(subject_id)?.[1]))].filter(
      (caseId): caseId is string => caseId !== undefined,
    );
    const erasedByLine: Record<string, number> = {};
    let erased = 0;
    for (const caseId of caseIds) {
      const { state } = await this.streams.load(caseId);
      if (!retentionElapsed(state, now)) continue;
      if (!dryRun) await this.erase(caseId, now);
      erased++;
      erasedByLine[state.lineId!] = (erasedByLine[state.lineId!] ?? 0) + 1;
    }
    return { examined: caseIds.length, erased, erasedByLine, dryRun };
  }

  private async erase(caseId: string, now: Date): Promise<void> {
    await this.executor.execute({
      caseId,
      context: {
        principal: SYSTEM,
        requestId: `retention-policy-${caseId}`,
        idempotencyKey: `retention-policy-${caseId}`,
        fingerprint: `retention-policy:${caseId}`,
      },
      occurredAt: now.toISOString(),
      build: async (building) => {
        await building.eraseAll(SYSTEM.id);
        return { type: 'ErasePersonalData', caseId, occurredAt: building.occurredAt, reason: 'retention_policy' };
      },
    });
  }
}

/** Closed, not erased yet, and closed longer ago than its line keeps personal data. */
export function retentionElapsed(state: CaseState, now: Date): boolean {
  const line = findLine(state.lineId);
  if (state.status !== 'closed' || state.personalDataErased || !line || state.closedAt === null) return false;
  return Date.parse(state.closedAt) + line.personalDataRetentionDays * DAY_MS <= now.getTime();
}
