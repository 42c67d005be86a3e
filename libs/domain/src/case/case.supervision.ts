// Supervision: who works the case, and the notes supervisors leave on it.
import type { CaseCommandOf } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import { event, refuse, requireSealed, requireText } from './case.rules';
import type { CaseState } from './case.state';

export type SupervisionCommand = CaseCommandOf<'AssignOperator' | 'AddSupervisionNote'>;
export type SupervisionEvent = CaseEventOf<'OperatorAssigned' | 'SupervisionNoteAdded'>;

export function decideSupervision(command: SupervisionCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'AssignOperator': {
      const operatorId = requireText(command.operatorId, 'operatorId');
      if (operatorId === state.assignedOperatorId) {
        refuse('OPERATOR_ALREADY_ASSIGNED', 'The operator is already assigned to the case', 'operatorId');
      }
      return [event('OperatorAssigned', { operatorId, occurredAt: command.occurredAt })];
    }
    case 'AddSupervisionNote':
      return [
        event('SupervisionNoteAdded', {
          supervisorId: requireText(command.supervisorId, 'supervisorId'),
          note: requireSealed(command.note, 'note'),
          occurredAt: command.occurredAt,
        }),
      ];
  }
}

export function evolveSupervision(state: CaseState, fact: SupervisionEvent): CaseState {
  switch (fact.type) {
    case 'OperatorAssigned':
      return { ...state, assignedOperatorId: fact.data.operatorId };
    case 'SupervisionNoteAdded':
      return state;
  }
}
