// Call-backs: a caller asks to be called back, the line tries, reaches them, and the number goes as soon as it
// is no longer needed.
import { callbackDueAt } from '../lines/opening-hours';
import type {
  CaseCommandOf,
  CompleteCallback,
  DiscardCallbackNumber,
  RecordCallbackAttempt,
  RequestCallback,
} from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import {
  event,
  lineOf,
  optionalSealed,
  requireBoolean,
  refuse,
  requireNotBefore,
  requireCollectedOrUnknown,
  requireOneOf,
  requireSealed,
  requireText,
} from './case.rules';
import { entryOf, type CallbackState, type CaseState } from './case.state';
import { CALLBACK_ATTEMPT_OUTCOMES, CALLBACK_RESOLUTIONS, REQUESTED_DISCARD_REASONS } from './vocabularies';

export type CallbackCommand = CaseCommandOf<
  'RequestCallback' | 'RecordCallbackAttempt' | 'CompleteCallback' | 'DiscardCallbackNumber'
>;
export type CallbackEvent = CaseEventOf<
  'CallbackRequested' | 'CallbackAttempted' | 'CallbackCompleted' | 'CallbackNumberDiscarded'
>;

export function decideCallbacks(command: CallbackCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'RequestCallback':
      return requestCallback(command, state);
    case 'RecordCallbackAttempt':
      return recordCallbackAttempt(command, state);
    case 'CompleteCallback':
      return completeCallback(command, state);
    case 'DiscardCallbackNumber':
      return discardCallbackNumber(command, state);
  }
}

export function evolveCallbacks(state: CaseState, fact: CallbackEvent): CaseState {
  switch (fact.type) {
    case 'CallbackRequested': {
      const { callbackId, number, nameOrAlias, dueAt, occurredAt } = fact.data;
      return withCallback(state, {
        callbackId,
        requestedAt: occurredAt,
        dueAt,
        status: 'pending',
        attempts: 0,
        lastAttemptOutcome: null,
        resolution: null,
        completedAt: null,
        number: state.personalDataErased ? null : number,
        nameOrAlias: state.personalDataErased ? null : (nameOrAlias ?? null),
        numberDiscardedAt: null,
      });
    }
    case 'CallbackAttempted':
      return updateCallback(state, fact.data.callbackId, (callback) => ({
        ...callback,
        attempts: callback.attempts + 1,
        lastAttemptOutcome: fact.data.outcome,
      }));
    case 'CallbackCompleted':
      return updateCallback(state, fact.data.callbackId, (callback) => ({
        ...callback,
        status: 'completed',
        resolution: fact.data.resolution,
        completedAt: fact.data.occurredAt,
      }));
    case 'CallbackNumberDiscarded':
      return updateCallback(state, fact.data.callbackId, (callback) => ({
        ...callback,
        number: null,
        nameOrAlias: null,
        numberDiscardedAt: fact.data.occurredAt,
      }));
  }
}

function requestCallback(command: RequestCallback, state: CaseState): CaseEvent[] {
  const line = lineOf(state);
  const callbackId = requireText(command.callbackId, 'callbackId');
  if (entryOf(state.callbacks, callbackId)) {
    refuse('CALLBACK_ALREADY_REQUESTED', 'A call-back with this id was already requested', 'callbackId');
  }
  requireCollectedOrUnknown(line, 'callback_number', true, 'number');
  const number = requireSealed(command.number, 'number');
  if (command.nameOrAlias != null) requireCollectedOrUnknown(line, 'first_name_alias', true, 'nameOrAlias');
  return [
    event('CallbackRequested', {
      callbackId,
      number,
      callerPseudonym: requireSealed(command.callerPseudonym, 'callerPseudonym'),
      callerLookupHint: requireLookupHint(command.callerLookupHint),
      returningCaller: requireBoolean(command.returningCaller, 'returningCaller'),
      ...optionalSealed('nameOrAlias', command.nameOrAlias),
      dueAt: callbackDueAt(line, command.occurredAt),
      occurredAt: command.occurredAt,
    }),
  ];
}

function requireLookupHint(value: unknown): string {
  const hint = requireText(value, 'callerLookupHint');
  if (!/^[A-Za-z0-9_-]$/.test(hint)) {
    refuse('INVALID_VALUE', 'callerLookupHint must be one character of the pseudonym', 'callerLookupHint');
  }
  return hint;
}

function recordCallbackAttempt(command: RecordCallbackAttempt, state: CaseState): CaseEvent[] {
  const callback = requirePendingCallback(state, command.callbackId, command.occurredAt);
  if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'The call-back number was erased', 'callbackId');
  if (!callback.number) refuse('CALLBACK_NUMBER_DISCARDED', 'The call-back number was discarded', 'callbackId');
  const outcome = requireOneOf(CALLBACK_ATTEMPT_OUTCOMES, command.outcome, 'outcome');
  return [event('CallbackAttempted', { callbackId: callback.callbackId, outcome, occurredAt: command.occurredAt })];
}

function completeCallback(command: CompleteCallback, state: CaseState): CaseEvent[] {
  const callback = requirePendingCallback(state, command.callbackId, command.occurredAt);
  const resolution = requireOneOf(CALLBACK_RESOLUTIONS, command.resolution, 'resolution');
  const { callbackId } = callback;
  const events: CaseEvent[] = [event('CallbackCompleted', { callbackId, resolution, occurredAt: command.occurredAt })];
  // A number is kept only as long as the call-back needs it.
  if (callback.number) {
    const { occurredAt } = command;
    events.push(event('CallbackNumberDiscarded', { callbackId, reason: 'callback_completed', occurredAt }));
  }
  return events;
}

function discardCallbackNumber(command: DiscardCallbackNumber, state: CaseState): CaseEvent[] {
  const callback = requireCallback(state, command.callbackId);
  if (state.personalDataErased) refuse('PERSONAL_DATA_ERASED', 'The call-back number was already erased', 'callbackId');
  if (!callback.number) refuse('CALLBACK_NUMBER_DISCARDED', 'The call-back number was already discarded', 'callbackId');
  const reason = requireOneOf(REQUESTED_DISCARD_REASONS, command.reason, 'reason');
  return [
    event('CallbackNumberDiscarded', { callbackId: callback.callbackId, reason, occurredAt: command.occurredAt }),
  ];
}

function requireCallback(state: CaseState, callbackId: string): CallbackState {
  const callback = entryOf(state.callbacks, callbackId);
  if (!callback) return refuse('CALLBACK_NOT_REQUESTED', 'No call-back with this id was requested', 'callbackId');
  return callback;
}

/** A pending call-back, and an attempt or completion not dated before it was requested. */
function requirePendingCallback(state: CaseState, callbackId: string, occurredAt: string): CallbackState {
  const callback = requireCallback(state, callbackId);
  requireNotBefore(
    occurredAt,
    callback.requestedAt,
    'OCCURRED_BEFORE_PREVIOUS_STEP',
    'occurredAt is before the call-back was requested',
  );
  if (callback.status === 'completed') {
    refuse('CALLBACK_ALREADY_COMPLETED', 'The call-back was already completed', 'callbackId');
  }
  return callback;
}

function withCallback(state: CaseState, callback: CallbackState): CaseState {
  return { ...state, callbacks: { ...state.callbacks, [callback.callbackId]: callback } };
}

function updateCallback(
  state: CaseState,
  callbackId: string,
  change: (callback: CallbackState) => CallbackState,
): CaseState {
  const callback = entryOf(state.callbacks, callbackId);
  return callback ? withCallback(state, change(callback)) : state;
}
