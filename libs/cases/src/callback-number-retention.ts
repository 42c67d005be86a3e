import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Principal } from '@helpline/auth';
import { SETTINGS } from '@helpline/config';
import type { Settings } from '@helpline/config';
import type { Database } from '@helpline/database';
import { callbackNumberDiscardDueAt, entryOf, findLine } from '@helpline/domain';
import { PersonalDataVault } from '@helpline/privacy';
import { DATABASE } from '@helpline/kernel';
import { CaseCommandHandler } from './case-command.handler';
import { callbackSubject, CaseStreamRepository } from './case-stream.repository';

const SYSTEM: Principal = { id: 'system:callback-number-retention', role: 'admin', lines: ['*'] };
const CALLBACK_SUBJECT = /^case-([0-9a-f-]{36})\/callback-([0-9a-f-]{36})$/;

export interface RetentionSweepResult {
  /** Numbers discarded now because their retention time ran out (an event on each case). */
  readonly discarded: number;
  /** Keys destroyed whose number the case no longer held (e.g. a crash between the event and the erasure). */
  readonly orphanKeysDestroyed: number;
}

/**
 * A call-back number is kept only while a call-back needs it: at most the line's retention time, and never more
 * than CALLBACK_NUMBER_RETENTION_HOURS. Safe to run twice at once: each discard is an idempotent command.
 */
@Injectable()
export class CallbackNumberRetention {
  private readonly db: Kysely<{ subject_keys: { subject_id: string; wrapped_key: unknown } }>;

  constructor(
    @Inject(DATABASE) database: Database,
    private readonly streams: CaseStreamRepository,
    private readonly executor: CaseCommandHandler,
    private readonly vault: PersonalDataVault,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {
    this.db = database.db as typeof this.db;
  }

  async sweep(now: Date = new Date()): Promise<RetentionSweepResult> {
    const keys = await this.db
      .selectFrom('subject_keys')
      .select('subject_id')
      .where('subject_id', 'like', 'case-%/callback-%')
      .where('wrapped_key', 'is not', null)
      .execute();
    let discarded = 0;
    let orphanKeysDestroyed = 0;
    for (const { subject_id } of keys) {
      const match = CALLBACK_SUBJECT.exec(subject_id);
      const [, caseId, callbackId] = match ?? [];
      if (!caseId || !callbackId) continue;
      const { state } = await this.streams.load(caseId);
      const callback = entryOf(state.callbacks, callbackId);
      const line = findLine(state.lineId);
      if (!callback || !callback.number || !line) {
        await this.vault.erase(callbackSubject(caseId, callbackId), SYSTEM.id);
        orphanKeysDestroyed++;
        continue;
      }
      const byLine = Date.parse(callbackNumberDiscardDueAt(line, callback.requestedAt));
      const byConfiguration = Date.parse(callback.requestedAt) + this.settings.callbackNumberRetentionHours * 3_600_000;
      if (now.getTime() < Math.min(byLine, byConfiguration)) continue;
      await this.executor.execute({
        caseId,
        context: {
          principal: SYSTEM,
          requestId: `retention-${callbackId}`,
          idempotencyKey: `retention-${callbackId}`,
          fingerprint: `retention:${caseId}:${callbackId}`,
        },
        occurredAt: now.toISOString(),
        build: ({ occurredAt }) => ({
          type: 'DiscardCallbackNumber',
          caseId,
          occurredAt,
          callbackId,
          reason: 'retention_elapsed',
        }),
      });
      discarded++;
    }
    return { discarded, orphanKeysDestroyed };
  }
}
