// Counselling: the manifest request framed, the real problem reframed, a goal set, risk flagged and escalated,
// legal advice given. Most of these only move the case's phase, which the decider does for every area.
import type { CaseCommandOf } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import { event, optionalSealed, refuse, requireOneOf, unique } from './case.rules';
import type { CaseState } from './case.state';
import {
  GOAL_KINDS,
  LEGAL_ADVICE_TOPICS,
  PROBLEM_CATEGORIES,
  REQUEST_CATEGORIES,
  RISK_KINDS,
  RISK_LEVELS,
  SAFETY_ESCALATION_ACTIONS,
} from './vocabularies';

export type CounsellingCommand = CaseCommandOf<
  'FrameRequest' | 'ReframeProblem' | 'SetGoal' | 'FlagRisk' | 'EscalateSafety' | 'GiveLegalAdvice'
>;
export type CounsellingEvent = CaseEventOf<
  'RequestFramed' | 'ProblemReframed' | 'GoalSet' | 'RiskFlagged' | 'SafetyEscalated' | 'LegalAdviceGiven'
>;

export function decideCounselling(command: CounsellingCommand): CaseEvent[] {
  switch (command.type) {
    case 'FrameRequest':
      return [
        event('RequestFramed', {
          categories: requireCategories(REQUEST_CATEGORIES, command.categories),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'ReframeProblem':
      return [
        event('ProblemReframed', {
          categories: requireCategories(PROBLEM_CATEGORIES, command.categories),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'SetGoal':
      return [
        event('GoalSet', {
          goalKind: requireOneOf(GOAL_KINDS, command.goalKind, 'goalKind'),
          ...optionalSealed('description', command.description),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'FlagRisk':
      return [
        event('RiskFlagged', {
          level: requireOneOf(RISK_LEVELS, command.level, 'level'),
          kind: requireOneOf(RISK_KINDS, command.kind, 'kind'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'EscalateSafety':
      return [
        event('SafetyEscalated', {
          action: requireOneOf(SAFETY_ESCALATION_ACTIONS, command.action, 'action'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
    case 'GiveLegalAdvice':
      return [
        event('LegalAdviceGiven', {
          topic: requireOneOf(LEGAL_ADVICE_TOPICS, command.topic, 'topic'),
          ...optionalSealed('note', command.note),
          occurredAt: command.occurredAt,
        }),
      ];
  }
}

export function evolveCounselling(state: CaseState, fact: CounsellingEvent): CaseState {
  switch (fact.type) {
    case 'RiskFlagged':
      return {
        ...state,
        risk: {
          level: fact.data.level,
          kinds: unique([...(state.risk?.kinds ?? []), fact.data.kind]),
          flaggedAt: fact.data.occurredAt,
        },
      };
    case 'SafetyEscalated':
      return { ...state, safetyEscalations: state.safetyEscalations + 1 };
    case 'RequestFramed':
    case 'ProblemReframed':
    case 'GoalSet':
    case 'LegalAdviceGiven':
      // They move the phase (or not) and change nothing else the decider needs.
      return state;
  }
}

/** At least one category, each from the vocabulary, each once. */
function requireCategories<T extends string>(vocabulary: readonly T[], values: readonly unknown[]): T[] {
  if (!Array.isArray(values) || values.length === 0) {
    refuse('VALUE_REQUIRED', 'At least one category is required', 'categories');
  }
  return unique(values.map((value) => requireOneOf(vocabulary, value, 'categories')));
}
