import { it } from '../i18n/it';
import type {
  Channel,
  CallerType,
  AgeBand,
  Gender,
  Concern,
  HeardOfLine,
  RequestCategory,
  ProblemCategory,
  GoalKind,
  RiskLevel,
  RiskKind,
  CallbackResolution,
  DeclineReason,
  SharedField,
  ConsentMethod,
  SessionMode,
  Outcome,
  ReopenReason,
  ErasureReason,
  ServiceType,
  Area,
} from './enums';

export type * from './enums';

/**
 * The API's vocabularies as the forms offer them. Their values are listed once, as the keys of their Italian labels
 * (i18n/it.ts, each a `Record<Vocabulary, string>` of the generated enum, api/enums.ts): a value the API adds or
 * drops is a type error there, and every other language has the same keys (i18n/en.ts).
 */
/** A vocabulary's values, in the order of its labels. */
function valuesOf<Value extends string>(labels: Record<Value, string>): readonly Value[] {
  return Object.keys(labels) as Value[];
}

/**
 * The lines are configuration (LINES_FILE), not a vocabulary of the API: the console offers a user their own, and
 * those it has words for to a user of every line (`*`).
 */
export const KNOWN_LINES = Object.keys(it.vocab.line);
export const CHANNELS = valuesOf<Channel>(it.vocab.channel);
export const CALLER_TYPES = valuesOf<CallerType>(it.vocab.callerType);
export const AGE_BANDS = valuesOf<AgeBand>(it.vocab.ageBand);
export const GENDERS = valuesOf<Gender>(it.vocab.gender);
export const CONCERNS = valuesOf<Concern>(it.vocab.concern);
export const HEARD_OF_LINE = valuesOf<HeardOfLine>(it.vocab.heardOfLine);
export const REQUEST_CATEGORIES = valuesOf<RequestCategory>(it.vocab.requestCategory);
export const PROBLEM_CATEGORIES = valuesOf<ProblemCategory>(it.vocab.problemCategory);
export const GOAL_KINDS = valuesOf<GoalKind>(it.vocab.goalKind);
export const RISK_LEVELS = valuesOf<RiskLevel>(it.vocab.riskLevel);
export const RISK_KINDS = valuesOf<RiskKind>(it.vocab.riskKind);
export const CALLBACK_RESOLUTIONS = valuesOf<CallbackResolution>(it.vocab.callbackResolution);
export const SHARED_FIELDS = valuesOf<SharedField>(it.vocab.sharedField);
export const CONSENT_METHODS = valuesOf<ConsentMethod>(it.vocab.consentMethod);
export const SESSION_MODES = valuesOf<SessionMode>(it.vocab.sessionMode);
export const OUTCOMES = valuesOf<Outcome>(it.vocab.outcome);
export const REOPEN_REASONS = valuesOf<ReopenReason>(it.vocab.reopenReason);
export const ERASURE_REASONS = valuesOf<ErasureReason>(it.vocab.erasureReason);
export const DECLINE_REASONS = valuesOf<DeclineReason>(it.vocab.declineReason);
export const SERVICE_TYPES = valuesOf<ServiceType>(it.vocab.serviceType);
export const AREAS = valuesOf<Area>(it.vocab.area);
