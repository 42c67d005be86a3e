// Sessions: when the line's own team takes the case in charge, its professionals hold sessions with the caller
// (the psychological emergency line, seed 001) instead of, or before, a referral to a service.
import type { CaseCommandOf, ScheduleSession } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import {
  event,
  lineOf,
  optionalSealed,
  refuse,
  requireChannelOf,
  requireInstant,
  requireNotBefore,
  requireOneOf,
  requireText,
} from './case.rules';
import { entryOf, type CaseState, type SessionState } from './case.state';
import { SESSION_MODES } from './vocabularies';

export type SessionCommand = CaseCommandOf<
  'TakeInChargeByLine' | 'ScheduleSession' | 'RecordSessionHeld' | 'RecordSessionMissed'
>;
export type SessionEvent = CaseEventOf<'TakenInChargeByLine' | 'SessionScheduled' | 'SessionHeld' | 'SessionMissed'>;

export function decideSessions(command: SessionCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'TakeInChargeByLine': {
      if (state.takenInChargeByLine)
        refuse('ALREADY_TAKEN_IN_CHARGE', "The line's team already took the case in charge");
      const professionalId = requireText(command.professionalId, 'professionalId');
      return [event('TakenInChargeByLine', { professionalId, occurredAt: command.occurredAt })];
    }
    case 'ScheduleSession':
      return scheduleSession(command, state);
    case 'RecordSessionHeld':
      requireSessionDue(command, requireScheduledSession(state, command.sessionId));
      return [
        event('SessionHeld', {
          sessionId: command.sessionId,
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'RecordSessionMissed':
      requireSessionDue(command, requireScheduledSession(state, command.sessionId));
      return [event('SessionMissed', { sessionId: command.sessionId, occurredAt: command.occurredAt })];
  }
}

export function evolveSessions(state: CaseState, fact: SessionEvent): CaseState {
  switch (fact.type) {
    case 'TakenInChargeByLine':
      return { ...state, takenInChargeByLine: true };
    case 'SessionScheduled': {
      const { sessionId, scheduledFor, mode, professionalId } = fact.data;
      return {
        ...state,
        sessions: {
          ...state.sessions,
          [sessionId]: { sessionId, scheduledFor, mode, professionalId, status: 'scheduled' },
        },
      };
    }
    case 'SessionHeld':
      return updateSession(state, fact.data.sessionId, 'held');
    case 'SessionMissed':
      return updateSession(state, fact.data.sessionId, 'missed');
  }
}

function scheduleSession(command: ScheduleSession, state: CaseState): CaseEvent[] {
  const sessionId = requireText(command.sessionId, 'sessionId');
  if (entryOf(state.sessions, sessionId)) {
    refuse('SESSION_ALREADY_SCHEDULED', 'A session with this id was already scheduled', 'sessionId');
  }
  const mode = requireOneOf(SESSION_MODES, command.mode, 'mode');
  requireChannelOf(lineOf(state), mode, 'mode');
  return [
    event('SessionScheduled', {
      sessionId,
      scheduledFor: requireInstant(command.scheduledFor, 'scheduledFor'),
      mode,
      professionalId: requireText(command.professionalId, 'professionalId'),
      occurredAt: command.occurredAt,
    }),
  ];
}

function requireScheduledSession(state: CaseState, sessionId: string): SessionState {
  const session = entryOf(state.sessions, sessionId);
  if (session?.status !== 'scheduled') {
    refuse('SESSION_NOT_SCHEDULED', 'No session with this id is waiting to take place', 'sessionId');
  }
  return session;
}

/** Like a referral's appointment: held or missed once its time has come, not before. */
function requireSessionDue(
  command: CaseCommandOf<'RecordSessionHeld' | 'RecordSessionMissed'>,
  session: SessionState,
): void {
  requireNotBefore(
    command.occurredAt,
    session.scheduledFor,
    'APPOINTMENT_NOT_YET_DUE',
    'occurredAt is before the session: record it held or missed once its time has come',
  );
}

function updateSession(state: CaseState, sessionId: string, status: SessionState['status']): CaseState {
  const session = entryOf(state.sessions, sessionId);
  return session ? { ...state, sessions: { ...state.sessions, [sessionId]: { ...session, status } } } : state;
}
