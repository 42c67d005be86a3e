import { Injectable } from '@nestjs/common';
import type { Principal } from '@helpline/auth';
import { entryOf, type CaseCommand, type CaseEvent, type CaseState, type Sealed } from '@helpline/domain';
import { EventSourcedCommandHandler, type CommandContext, type CommandOutcome } from '@helpline/command-handling';
import { PersonalDataVault } from '@helpline/privacy';
import { caseAggregate } from './case-aggregate';
import { callbackSubject, caseStreamId } from './case-stream.repository';
import { CaseNotFoundError } from './case-errors';
import { ErasureLedger } from './erasure-ledger';

/** What a case command's author gets, on each attempt, to build the domain command from what it prepared. */
export interface CommandBuilding {
  readonly loaded: { readonly caseId: string; readonly state: CaseState; readonly version: number };
  /** When it happened: the time the client gave, or now. */
  readonly occurredAt: string;
  /** Seals a personal value with the case's key (field = the property name in the event data). */
  seal(field: string, plaintext: string): Promise<Sealed>;
  /** Seals with a key of its own (a call-back's contact), destroyed separately. */
  sealFor(subjectSuffix: string, field: string, plaintext: string): Promise<Sealed>;
  /** Destroys every key of the case (its own and its call-backs'): crypto-shredding. */
  eraseAll(actorId: string): Promise<void>;
}

export interface CaseCommandRequest {
  readonly caseId: string;
  readonly context: CommandContext<Principal>;
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

/**
 * The case's use of the one command path: what is particular to a case (a referral's service reaching only its
 * own steps, the erasure of every key, a discarded call-back number losing its key, the answer's ids) around
 * the generic handler, which does the rest.
 */
@Injectable()
export class CaseCommandHandler {
  constructor(
    private readonly handler: EventSourcedCommandHandler,
    private readonly vault: PersonalDataVault,
    /** Where erasures are recorded outside the database, for a restore to re-apply (docs/deploy.md, "Backups"). */
    private readonly erasures?: ErasureLedger,
  ) {}

  async execute(request: CaseCommandRequest): Promise<CaseCommandResult> {
    const { caseId, context } = request;
    const reach = request.reachability ?? 'line';
    const outcome = await this.handler.handle(caseAggregate, {
      id: caseId,
      context,
      occurredAt: request.occurredAt,
      opens: request.opensCase,
      ...(reach === 'line' ? {} : { reachable: (state: CaseState) => sentToCallersService(state, context, reach) }),
      build: async ({ state, version, occurredAt, ...sealing }) => {
        const command = await request.build({
          loaded: { caseId, state, version },
          occurredAt,
          seal: (field, plaintext) => sealing.seal(field, plaintext),
          sealFor: (suffix, field, plaintext) => sealing.sealFor(suffix, field, plaintext),
          // Every key of the case at once: its own and each call-back's, in one erasure.
          eraseAll: (actorId) =>
            this.vault.eraseMany(
              [
                ...Object.keys(state.callbacks).map((callbackId) => callbackSubject(caseId, callbackId)),
                caseStreamId(caseId),
              ],
              actorId,
            ),
        });
        if (reach !== 'line' && !withinReferral(command, reach.referralId)) throw new CaseNotFoundError();
        return command;
      },
    });
    await this.destroyDiscardedCallbackNumbers(caseId, outcome.appended);
    await this.recordErasures(caseId, context.principal.id, outcome.appended);
    return caseResultOf(outcome);
  }

  private async recordErasures(caseId: string, erasedBy: string, events: readonly CaseEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'PersonalDataErased')
        await this.erasures?.record({ caseId, reason: event.data.reason, occurredAt: event.data.occurredAt, erasedBy });
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
}

function sentToCallersService(
  state: CaseState,
  context: CommandContext<Principal>,
  reach: { readonly referralId: string },
): boolean {
  const { principal } = context;
  const referral = entryOf(state.referrals, reach.referralId);
  return (
    principal.role === 'service_staff' &&
    !!principal.serviceId &&
    referral?.serviceId === principal.serviceId &&
    referral.sentAt !== null
  );
}

/** Reached through a referral, only that referral's service steps may be taken. */
function withinReferral(command: CaseCommand, referralId: string): boolean {
  return SERVICE_STAFF_COMMANDS.has(command.type) && (command as { referralId?: string }).referralId === referralId;
}

export function caseResultOf(outcome: CommandOutcome<CaseEvent>): CaseCommandResult {
  return {
    caseId: outcome.id,
    version: outcome.version,
    position: outcome.position,
    events: outcome.recorded.map((event) => ({ type: event.type, version: event.streamVersion, ...idsIn(event.data) })),
    replayed: outcome.replayed,
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
