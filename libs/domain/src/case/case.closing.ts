// Closing: a case closed with an outcome, reopened, its personal data erased (a legal duty that does not wait for
// a reopening), and the caller's feedback on the service, which often comes after the closing.
import type { CaseCommandOf, CloseCase } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import { event, optionalSealed, refuse, requireNotBefore, requireOneOf } from './case.rules';
import type { CaseState } from './case.state';
import {
  CALLER_FEEDBACK_RATINGS,
  CASE_OUTCOMES,
  ERASURE_REASONS,
  REOPEN_REASONS,
  type CounsellingPhase,
} from './vocabularies';

export type ClosingCommand = CaseCommandOf<'CloseCase' | 'ReopenCase' | 'ErasePersonalData' | 'RecordCallerFeedback'>;
export type ClosingEvent = CaseEventOf<'CaseClosed' | 'CaseReopened' | 'PersonalDataErased' | 'CallerFeedbackRecorded'>;

export function decideClosing(command: ClosingCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'CloseCase':
      return closeCase(command, state);
    case 'ReopenCase': {
      if (state.status !== 'closed') refuse('CASE_NOT_CLOSED', 'Only a closed case can be reopened');
      const reason = requireOneOf(REOPEN_REASONS, command.reason, 'reason');
      requireNotBefore(
        command.occurredAt,
        state.closedAt,
        'OCCURRED_BEFORE_PREVIOUS_STEP',
        'occurredAt is before the case was closed',
      );
      return [event('CaseReopened', { reason, occurredAt: command.occurredAt })];
    }
    case 'ErasePersonalData': {
      if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'Personal data of the case were already erased');
      const reason = requireOneOf(ERASURE_REASONS, command.reason, 'reason');
      return [event('PersonalDataErased', { reason, occurredAt: command.occurredAt })];
    }
    case 'RecordCallerFeedback': {
      // Open or closed alike (see COMMANDS_ACCEPTED_WHEN_CLOSED), and after erasure too: a rating is no personal value.
      const rating = requireOneOf(CALLER_FEEDBACK_RATINGS, command.rating, 'rating');
      return [event('CallerFeedbackRecorded', { rating, occurredAt: command.occurredAt })];
    }
  }
}

export function evolveClosing(state: CaseState, fact: ClosingEvent): CaseState {
  switch (fact.type) {
    case 'CaseClosed':
      return {
        ...state,
        status: 'closed',
        phaseBeforeClosing: counsellingPhaseOf(state),
        phase: 'closed',
        outcome: fact.data.outcome,
        closedAt: fact.data.occurredAt,
      };
    case 'CaseReopened':
      return {
        ...state,
        status: 'open',
        phase: state.phaseBeforeClosing ?? state.furthestPhase,
        phaseBeforeClosing: null,
        outcome: null,
        closedAt: null,
      };
    case 'PersonalDataErased':
      return {
        ...state,
        personalDataErased: true,
        erasedAt: fact.data.occurredAt,
        callbacks: Object.fromEntries(
          Object.entries(state.callbacks).map(([id, callback]) => [
            id,
            { ...callback, number: null, nameOrAlias: null },
          ]),
        ),
      };
    case 'CallerFeedbackRecorded':
      // A fact for evaluation: nothing the decider needs.
      return state;
  }
}

function closeCase(command: CloseCase, state: CaseState): CaseEvent[] {
  if (command.outcome === undefined || command.outcome === null) {
    refuse('OUTCOME_REQUIRED', 'A case is closed with an outcome', 'outcome');
  }
  const outcome = requireOneOf(CASE_OUTCOMES, command.outcome, 'outcome');
  // Numbers still held serve no one once the case is closed; they go before the closing so nothing follows it.
  const discarded: CaseEvent[] = Object.values(state.callbacks)
    .filter((callback) => callback.number)
    .map((callback) =>
      event('CallbackNumberDiscarded', {
        callbackId: callback.callbackId,
        reason: 'case_closed',
        occurredAt: command.occurredAt,
      }),
    );
  const closed = event('CaseClosed', {
    outcome,
    ...optionalSealed('note', command.note),
    occurredAt: command.occurredAt,
  });
  return [...discarded, closed];
}

function counsellingPhaseOf(state: CaseState): CounsellingPhase | null {
  return state.phase === 'closed' ? state.phaseBeforeClosing : state.phase;
}
