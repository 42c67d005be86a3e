import { Injectable } from '@nestjs/common';
import { worksOnLine } from '@helpline/auth';
import { CaseCommand, CaseEvent, decide, entryOf, Sealed } from '@helpline/domain';
import { AppendResult, formatPosition, StreamVersionConflictError } from '@helpline/event-store';
import { PersonalDataVault } from '@helpline/privacy';
import type { CommandContext } from './command-context';
import { CaseNotFoundError, FutureTimeError, IdempotencyKeyMismatchError } from './case-errors';
import { caseIdOfStream, caseStreamId, CaseStreamRepository, LoadedCase } from './case-stream.repository';

/** What a command's author gets to build the domain command from a request. */
export interface CommandBuilding {
  readonly loaded: LoadedCase;
  /** When it happened: the time the client gave, or now. */
  readonly occurredAt: string;
  /** Seals a personal value with the case's key (field = the property name in the event data). */
  seal(field: string, plaintext: string): Promise<Sealed>;
  /** Seals with a key of its own (a call-back's contact), destroyed separately. */
  sealFor(subjectSuffix: string, field: string, plaintext: string): Promise<Sealed>;
  /** Destroys every key of the case (its own and its call-backs'): crypto-shredding. */
  eraseAll(actorId: string): Promise<void>;
}

export const callbackSubject = (caseId: string, callbackId: string) => `${caseStreamId(caseId)}/callback-${callbackId}`;

export interface CaseCommandRequest {
  readonly caseId: string;
  readonly context: CommandContext;
  /** When the client says it happened; defaults to now. */
  readonly occurredAt?: string;
  /** Opening a case: the stream must not exist yet. */
  readonly opensCase?: boolean;
  /**
   * Who may reach the case. `line` (default): a user of the case's line. `{ referralId }`: service_staff of the
   * service that referral was sent to, for that referral's own steps only; anything else is "not found".
   */
  readonly reachability?: CaseReachability;
  build(building: CommandBuilding): Promise<CaseCommand> | CaseCommand;
}

export type CaseReachability = 'line' | { readonly referralId: string };

/** What a service's staff may record on a handoff sent to their service. */
const SERVICE_STAFF_COMMANDS: ReadonlySet<CaseCommand['type']> = new Set([
  'AcceptHandoff',
  'DeclineHandoff',
  'ScheduleAppointment',
  'RecordAppointmentAttended',
  'RecordAppointmentMissed',
  'RecordTakenIntoCare',
]);

export interface CaseCommandResult {
  readonly caseId: string;
  readonly version: number;
  readonly position: string;
  /** Each event appended, with the ids it carries (a new referral's, call-back's or session's). */
  readonly events: Array<{
    type: string;
    version: number;
    referralId?: string;
    callbackId?: string;
    sessionId?: string;
  }>;
  readonly replayed: boolean;
}

const MAX_ATTEMPTS = 3;
const ALLOWED_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The one path every case command takes: answer a retried request from its first result, load and fold the
 * stream, check the caller's line and the version they saw, decide, append with the version read. Without an
 * If-Match the client did not assert a version, so a concurrent write is retried on the new state.
 */
@Injectable()
export class CaseCommandExecutor {
  constructor(
    private readonly streams: CaseStreamRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute(request: CaseCommandRequest): Promise<CaseCommandResult> {
    const { context } = request;
    const idempotencyKey = context.idempotencyKey ? `api:${context.principal.id}:${context.idempotencyKey}` : undefined;
    if (idempotencyKey) {
      const earlier = await this.streams.findAppend(idempotencyKey);
      if (earlier) return this.replay(earlier, request);
    }
    const occurredAt = this.occurredAt(request.occurredAt);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.streams.load(request.caseId);
      this.assertReachable(loaded, request);
      if (context.expectedVersion !== undefined && context.expectedVersion !== loaded.version) {
        throw new StreamVersionConflictError(caseStreamId(request.caseId), context.expectedVersion, loaded.version);
      }
      const subject = caseStreamId(request.caseId);
      const command = await request.build({
        loaded,
        occurredAt,
        seal: (field, plaintext) => this.vault.seal(subject, field, plaintext),
        sealFor: (suffix, field, plaintext) => this.vault.seal(`${subject}/${suffix}`, field, plaintext),
        eraseAll: async (actorId) => {
          for (const callbackId of Object.keys(loaded.state.callbacks))
            await this.vault.erase(callbackSubject(request.caseId, callbackId), actorId);
          await this.vault.erase(subject, actorId);
        },
      });
      this.assertWithinReach(command, request);
      const events: CaseEvent[] = decide(command, loaded.state);
      try {
        const result = await this.streams.append(
          request.caseId,
          events,
          loaded.version === 0 ? 'no_stream' : loaded.version,
          {
            actorId: context.principal.id,
            actorRole: context.principal.role,
            correlationId: context.correlationId ?? context.requestId,
            causationId: context.requestId,
            requestFingerprint: context.fingerprint,
          },
          idempotencyKey,
        );
        if (result.replayed) return this.replay(result, request);
        await this.destroyDiscardedCallbackNumbers(request.caseId, events);
        return toResult(result);
      } catch (error) {
        const retry =
          error instanceof StreamVersionConflictError &&
          context.expectedVersion === undefined &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  /** A call-back number the case no longer needs loses its key, so no copy of it stays readable anywhere. */
  private async destroyDiscardedCallbackNumbers(caseId: string, events: readonly CaseEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'CallbackNumberDiscarded') {
        await this.vault.erase(callbackSubject(caseId, event.data.callbackId), 'system:callback-number-retention');
      }
    }
  }

  private assertReachable(loaded: LoadedCase, request: CaseCommandRequest): void {
    if (request.opensCase) return; // the decider refuses a second first contact
    const reach = request.reachability ?? 'line';
    if (reach !== 'line') {
      const { principal } = request.context;
      const referral = entryOf(loaded.state.referrals, reach.referralId);
      const sentToCaller =
        principal.role === 'service_staff' &&
        !!principal.serviceId &&
        referral?.serviceId === principal.serviceId &&
        referral.sentAt !== null;
      if (!sentToCaller) throw new CaseNotFoundError();
      return;
    }
    const lineId = loaded.state.lineId;
    if (loaded.state.status === 'not_opened' || !lineId || !worksOnLine(request.context.principal, lineId)) {
      throw new CaseNotFoundError();
    }
  }

  /** Reached through a referral, only that referral's service steps may be taken. */
  private assertWithinReach(command: CaseCommand, request: CaseCommandRequest): void {
    const reach = request.reachability ?? 'line';
    if (reach === 'line') return;
    if (
      !SERVICE_STAFF_COMMANDS.has(command.type) ||
      (command as { referralId?: string }).referralId !== reach.referralId
    )
      throw new CaseNotFoundError();
  }

  private replay(earlier: AppendResult, request: CaseCommandRequest): CaseCommandResult {
    const first = earlier.events[0];
    const sameRequest = first?.metadata.requestFingerprint === request.context.fingerprint;
    const sameCase = request.opensCase || caseIdOfStream(earlier.streamId) === request.caseId;
    if (!sameRequest || !sameCase) throw new IdempotencyKeyMismatchError();
    return { ...toResult(earlier), replayed: true };
  }

  private occurredAt(given: string | undefined): string {
    const now = Date.now();
    if (given === undefined) return new Date(now).toISOString();
    if (Date.parse(given) > now + ALLOWED_CLOCK_SKEW_MS) throw new FutureTimeError();
    return given;
  }
}

function toResult(result: AppendResult): CaseCommandResult {
  return {
    caseId: caseIdOfStream(result.streamId),
    version: result.nextExpectedVersion,
    position: formatPosition(result.position),
    events: result.events.map((event) => ({ type: event.type, version: event.streamVersion, ...idsIn(event.data) })),
    replayed: result.replayed,
  };
}

function idsIn(data: unknown): { referralId?: string; callbackId?: string; sessionId?: string } {
  const { referralId, callbackId, sessionId } = (data ?? {}) as Record<string, unknown>;
  return {
    ...(typeof referralId === 'string' ? { referralId } : {}),
    ...(typeof callbackId === 'string' ? { callbackId } : {}),
    ...(typeof sessionId === 'string' ? { sessionId } : {}),
  };
}
