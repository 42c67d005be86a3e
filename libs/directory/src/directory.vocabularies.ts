import { BEHAVIOUR_CONCERNS, SUBSTANCE_CONCERNS, type BehaviourConcern, type SubstanceConcern } from '@helpline/domain';

/**
 * Closed vocabularies of the resource directory. Each is a const array (for validation at the edges, e.g.
 * `@IsIn(SERVICE_TYPES)`) and the union type derived from it. The order of each array is the canonical order in
 * which lists of its values are stored and exported.
 */

export function isOneOf<T extends string>(vocabulary: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (vocabulary as readonly string[]).includes(value);
}

export const ENTRY_STATUSES = ['active', 'retired'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** What kind of service it is, for the referral choice and the monthly report. */
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
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const TARGET_GROUPS = [
  'adults',
  'young_people',
  'minors',
  'families',
  'women',
  'migrants',
  'homeless',
  'lgbtq',
  'elderly',
  'people_in_detention',
  'sex_workers',
  'health_and_social_workers',
] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/**
 * Substances and behaviours a service treats: the case domain's concern codes, so that a caller's concern matches
 * a service directly.
 */
export const SUBSTANCES_TREATED: readonly SubstanceConcern[] = SUBSTANCE_CONCERNS;
export const BEHAVIOURS_TREATED: readonly BehaviourConcern[] = BEHAVIOUR_CONCERNS;
export type ConcernTreated = SubstanceConcern | BehaviourConcern;
export const CONCERNS_TREATED: readonly ConcernTreated[] = [...SUBSTANCES_TREATED, ...BEHAVIOURS_TREATED];

/** Milan's nine municipi, the city areas services are searched by. */
export const MUNICIPI = [
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
export type Municipio = (typeof MUNICIPI)[number];

/** RFC 5545 weekday codes, as HSDS `byday` uses them, Monday first (ISO weekday 1..7). */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** HSDS 3 phone types. */
export const PHONE_TYPES = ['voice', 'text', 'fax', 'cell', 'video', 'pager', 'textphone'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

/** HSDS 3 location types. */
export const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

/** The time zone every schedule of the directory is read in: Milan's wall clock. */
export const DIRECTORY_TIME_ZONE = 'Europe/Rome';

export const DIRECTORY_ENTITY_TYPES = ['organization', 'location', 'service', 'taxonomy_term'] as const;
export type DirectoryEntityType = (typeof DIRECTORY_ENTITY_TYPES)[number];

export const DIRECTORY_OPERATIONS = ['create', 'change', 'retire', 'reactivate'] as const;
export type DirectoryOperation = (typeof DIRECTORY_OPERATIONS)[number];

/** Where a change came from: an administrator's edit, a file import, or the bundled sample. */
export const DIRECTORY_CHANGE_ORIGINS = ['admin', 'import', 'sample'] as const;
export type DirectoryChangeOrigin = (typeof DIRECTORY_CHANGE_ORIGINS)[number];
