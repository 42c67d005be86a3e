/**
 * Closed vocabularies of the case stream. Each is a const array (for validation at the edges, e.g.
 * `@IsIn(CHANNELS)`) and the union type derived from it.
 */

export function isOneOf<T extends string>(vocabulary: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (vocabulary as readonly string[]).includes(value);
}

/** Who is calling, in the categories of SostieniMi's monthly report (seed 004). */
export const CALLER_TYPES = [
  'person_concerned',
  'family_or_acquaintance',
  'social_or_health_worker',
  'media',
  'other',
] as const;
export type CallerType = (typeof CALLER_TYPES)[number];

export const CHANNELS = ['phone', 'sms', 'whatsapp', 'email', 'chat_social', 'voicemail', 'video'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * The bands SostieniMi reports in (seed 004: 25-30, 40-50, 50-60 and "the younger ones"), completed so that every
 * age falls in exactly one band. Lower bound included, upper excluded: `25_30` is 25 to 29.
 */
export const AGE_BANDS = ['under_25', '25_30', '30_40', '40_50', '50_60', 'over_60', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const GENDERS = ['female', 'male', 'non_binary', 'not_stated'] as const;
export type Gender = (typeof GENDERS)[number];

export const SUBSTANCE_CONCERNS = [
  'alcohol',
  'cocaine',
  'heroin_opioids',
  'cannabis',
  'synthetic_drugs',
  'prescription_drugs',
  'polydrug',
] as const;
export const BEHAVIOUR_CONCERNS = ['gambling', 'gaming_internet', 'other_behaviour'] as const;
export const CONCERNS = [...SUBSTANCE_CONCERNS, ...BEHAVIOUR_CONCERNS, 'other', 'not_stated'] as const;
export type SubstanceConcern = (typeof SUBSTANCE_CONCERNS)[number];
export type BehaviourConcern = (typeof BEHAVIOUR_CONCERNS)[number];
export type Concern = (typeof CONCERNS)[number];

/** How the caller heard of the line (seed 004: most find the number on the web). */
export const HEARD_OF_LINE_SOURCES = [
  'web_search',
  'social_media',
  'press',
  'services',
  'word_of_mouth',
  'posters',
  'other',
  'not_stated',
] as const;
export type HeardOfLineSource = (typeof HEARD_OF_LINE_SOURCES)[number];

export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const CASE_OUTCOMES = [
  'information_given',
  'referred_to_service',
  'taken_into_care',
  'taken_in_charge_by_line',
  'caller_withdrew',
  'not_reachable',
  'inappropriate_contact',
  'other',
] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

/** The counselling path (seed 004), in order; `closed` ends it. */
export const CASE_PHASES = [
  'first_contact',
  'framing',
  'reframing',
  'goal',
  'orientation',
  'accompaniment',
  'closed',
] as const;
export type CasePhase = (typeof CASE_PHASES)[number];
export type CounsellingPhase = Exclude<CasePhase, 'closed'>;
export const COUNSELLING_PHASES: readonly CounsellingPhase[] = CASE_PHASES.filter(
  (phase): phase is CounsellingPhase => phase !== 'closed',
);

export const RISK_LEVELS = ['low', 'moderate', 'high', 'imminent'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RISK_KINDS = ['self_harm', 'harm_to_others', 'overdose', 'violence_suffered', 'medical', 'other'] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

/** What was done when a risk called for more than the operator alone (seeds 001 and 002). */
export const SAFETY_ESCALATION_ACTIONS = [
  'supervisor_alerted',
  'emergency_services_called',
  'caller_directed_to_emergency_services',
  'psychiatric_emergency_contacted',
  'local_police_requested',
] as const;
export type SafetyEscalationAction = (typeof SAFETY_ESCALATION_ACTIONS)[number];

/** The manifest request: what the caller asks for (seed 004: listening, information, support, legal advice...). */
export const REQUEST_CATEGORIES = [
  'listening',
  'psychological_support',
  'information_on_services',
  'information_on_substances',
  'information_on_addictions',
  'legal_information',
  'accompaniment_to_services',
  'support_for_a_relative',
  'other',
] as const;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];

/** The "real problem" the counselling brings to light behind the request. */
export const PROBLEM_CATEGORIES = [
  'own_substance_use',
  'own_behavioural_addiction',
  'relative_addiction',
  'family_relationships',
  'mental_health',
  'trauma_or_grief',
  'work_stress',
  'loneliness_isolation',
  'housing_or_income',
  'legal_problems',
  'violence',
  'physical_health',
  'other',
] as const;
export type ProblemCategory = (typeof PROBLEM_CATEGORIES)[number];

export const GOAL_KINDS = [
  'understand_the_problem',
  'contact_a_service',
  'start_treatment',
  'reduce_or_stop_use',
  'support_a_relative',
  'manage_emotions',
  'follow_up_with_line',
  'other',
] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

export const LEGAL_ADVICE_TOPICS = [
  'drug_law_sanctions',
  'criminal_proceedings',
  'victim_rights',
  'family_law',
  'employment',
  'housing',
  'debt',
  'other',
] as const;
export type LegalAdviceTopic = (typeof LEGAL_ADVICE_TOPICS)[number];

export const CALLBACK_ATTEMPT_OUTCOMES = ['reached', 'no_answer', 'busy', 'wrong_number', 'voicemail_left'] as const;
export type CallbackAttemptOutcome = (typeof CALLBACK_ATTEMPT_OUTCOMES)[number];

/** How a call-back request ended. */
export const CALLBACK_RESOLUTIONS = [
  'caller_reached',
  'attempts_exhausted',
  'caller_recontacted_line',
  'wrong_number',
] as const;
export type CallbackResolution = (typeof CALLBACK_RESOLUTIONS)[number];

/** Why a call-back number was destroyed. The first and third are decided by the domain itself. */
export const CALLBACK_NUMBER_DISCARD_REASONS = [
  'callback_completed',
  'retention_elapsed',
  'case_closed',
  'caller_request',
] as const;
export type CallbackNumberDiscardReason = (typeof CALLBACK_NUMBER_DISCARD_REASONS)[number];
/** The reasons a `DiscardCallbackNumber` command may give; the others come with completion and closing. */
export const REQUESTED_DISCARD_REASONS = ['retention_elapsed', 'caller_request'] as const;
export type RequestedDiscardReason = (typeof REQUESTED_DISCARD_REASONS)[number];

export const SESSION_MODES = ['phone', 'video'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export const REFERRAL_STATUSES = [
  'proposed',
  'sent',
  'accepted',
  'declined',
  'appointment_set',
  'attended',
  'no_show',
  'taken_into_care',
  'withdrawn',
  'expired',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** A referral still under way: no second one to the same service while it is. */
export const OPEN_REFERRAL_STATUSES = ['proposed', 'sent', 'accepted', 'appointment_set', 'attended'] as const;
export type OpenReferralStatus = (typeof OPEN_REFERRAL_STATUSES)[number];

export const DECLINE_REASONS = [
  'no_capacity',
  'outside_catchment_area',
  'not_eligible',
  'not_appropriate_for_service',
  'already_in_care_elsewhere',
  'caller_unreachable',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const REFERRAL_WITHDRAWAL_REASONS = [
  'caller_changed_mind',
  'caller_unreachable',
  'service_no_longer_appropriate',
  'taken_in_charge_by_line',
  'other',
] as const;
export type ReferralWithdrawalReason = (typeof REFERRAL_WITHDRAWAL_REASONS)[number];

/** The only fields a handoff may pass to a service. */
export const SHARED_FIELDS = [
  'age_band',
  'gender',
  'concern',
  'callback_number',
  'first_name_alias',
  'summary_note',
] as const;
export type SharedField = (typeof SHARED_FIELDS)[number];
/** Shared fields whose value is personal and sealed: unavailable once personal data is erased. */
export const PERSONAL_SHARED_FIELDS = ['callback_number', 'first_name_alias', 'summary_note'] as const;

export const CONSENT_METHODS = ['verbal', 'written', 'message'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** What a line may ask the caller. A field a line does not collect stays `unknown` / `not_stated`. */
export const COLLECTED_FIELDS = [
  'age_band',
  'gender',
  'concern',
  'heard_of_line',
  'callback_number',
  'first_name_alias',
] as const;
export type CollectedField = (typeof COLLECTED_FIELDS)[number];

export const REOPEN_REASONS = ['caller_recontacted', 'service_feedback', 'closed_in_error', 'other'] as const;
export type ReopenReason = (typeof REOPEN_REASONS)[number];

export const ERASURE_REASONS = ['caller_request', 'retention_policy'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/** How the caller rated the help the line gave them: a closed scale, so that it can be counted and never identifies. */
export const CALLER_FEEDBACK_RATINGS = ['satisfied', 'neutral', 'dissatisfied'] as const;
export type CallerFeedbackRating = (typeof CALLER_FEEDBACK_RATINGS)[number];
