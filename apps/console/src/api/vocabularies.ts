import type { components } from './schema';

/**
 * The API's vocabularies the console offers as choices, each checked against the generated request types: a value
 * the API no longer accepts breaks the type check. (Their words are in i18n/<language>.ts, under `vocab`.)
 */
type Dto<Name extends keyof components['schemas']> = components['schemas'][Name];
type Member<T> = T extends ReadonlyArray<infer Item> ? Item : T;

export const LINES = [
  'sostienimi',
  'employee-support',
  'psych-emergency',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['lineId'][];
export const CHANNELS = [
  'phone',
  'sms',
  'whatsapp',
  'email',
  'chat_social',
  'voicemail',
  'video',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['channel'][];
export const CALLER_TYPES = [
  'person_concerned',
  'family_or_acquaintance',
  'social_or_health_worker',
  'media',
  'other',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['callerType'][];
export const AGE_BANDS = [
  'under_25',
  '25_30',
  '30_40',
  '40_50',
  '50_60',
  'over_60',
  'unknown',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['ageBand'][];
export const GENDERS = [
  'female',
  'male',
  'non_binary',
  'not_stated',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['gender'][];
export const CONCERNS = [
  'alcohol',
  'cocaine',
  'heroin_opioids',
  'cannabis',
  'synthetic_drugs',
  'prescription_drugs',
  'polydrug',
  'gambling',
  'gaming_internet',
  'other_behaviour',
  'other',
  'not_stated',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['concern'][];
export const HEARD_OF_LINE = [
  'web_search',
  'social_media',
  'press',
  'services',
  'word_of_mouth',
  'posters',
  'other',
  'not_stated',
] as const satisfies readonly Dto<'RecordFirstContactDto'>['heardOfLine'][];
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
] as const satisfies readonly Member<Dto<'FrameRequestDto'>['categories']>[];
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
] as const satisfies readonly Member<Dto<'ReframeProblemDto'>['categories']>[];
export const GOAL_KINDS = [
  'understand_the_problem',
  'contact_a_service',
  'start_treatment',
  'reduce_or_stop_use',
  'support_a_relative',
  'manage_emotions',
  'follow_up_with_line',
  'other',
] as const satisfies readonly Dto<'SetGoalDto'>['goalKind'][];
export const RISK_LEVELS = [
  'low',
  'moderate',
  'high',
  'imminent',
] as const satisfies readonly Dto<'FlagRiskDto'>['level'][];
export const RISK_KINDS = [
  'self_harm',
  'harm_to_others',
  'overdose',
  'violence_suffered',
  'medical',
  'other',
] as const satisfies readonly Dto<'FlagRiskDto'>['kind'][];
export const CALLBACK_RESOLUTIONS = [
  'caller_reached',
  'attempts_exhausted',
  'caller_recontacted_line',
  'wrong_number',
] as const satisfies readonly Dto<'CompleteCallbackDto'>['resolution'][];
export const SHARED_FIELDS = [
  'age_band',
  'gender',
  'concern',
  'callback_number',
  'first_name_alias',
  'summary_note',
] as const satisfies readonly Member<Dto<'SendHandoffDto'>['sharedFields']>[];
export const CONSENT_METHODS = ['verbal', 'written', 'message'] as const;
export const SESSION_MODES = ['phone', 'video'] as const satisfies readonly Dto<'ScheduleSessionDto'>['mode'][];
export const OUTCOMES = [
  'information_given',
  'referred_to_service',
  'taken_into_care',
  'taken_in_charge_by_line',
  'caller_withdrew',
  'not_reachable',
  'inappropriate_contact',
  'other',
] as const satisfies readonly Dto<'CloseCaseDto'>['outcome'][];
export const REOPEN_REASONS = [
  'caller_recontacted',
  'service_feedback',
  'closed_in_error',
  'other',
] as const satisfies readonly Dto<'ReopenCaseDto'>['reason'][];
export const ERASURE_REASONS = [
  'caller_request',
  'retention_policy',
] as const satisfies readonly Dto<'ErasePersonalDataDto'>['reason'][];
export const DECLINE_REASONS = [
  'no_capacity',
  'outside_catchment_area',
  'not_eligible',
  'not_appropriate_for_service',
  'already_in_care_elsewhere',
  'caller_unreachable',
  'other',
] as const satisfies readonly Dto<'DeclineHandoffDto'>['reason'][];
export const SERVICE_TYPES = [
  'serd',
  'smi',
  'therapeutic_community',
  'low_threshold_harm_reduction',
  'emergency',
  'mental_health_centre',
  'minors_and_families',
  'sti_testing',
  'shelter',
  'legal_aid',
  'police',
] as const;
export const AREAS = [
  'municipio_1',
  'municipio_2',
  'municipio_3',
  'municipio_4',
  'municipio_5',
  'municipio_6',
  'municipio_7',
  'municipio_8',
  'municipio_9',
] as const;
