import type { components } from '../../api/schema';

type Schemas = components['schemas'];
export type ServiceView = Schemas['DirectoryServiceView'];
export type ServiceCreation = Schemas['CreateServiceDto'];
export type ServiceChange = Schemas['ChangeServiceDto'];
export type DirectoryChange = Schemas['DirectoryChangesPage']['items'][number];
export type ServiceType = ServiceCreation['serviceType'];
export type TargetGroup = NonNullable<ServiceCreation['targetGroups']>[number];
export type ConcernTreated = NonNullable<ServiceCreation['concernsTreated']>[number];
export type Area = NonNullable<ServiceCreation['areas']>[number];

/** The directory's vocabularies, each checked against the generated request type. */
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
] as const satisfies readonly TargetGroup[];
export const CONCERNS_TREATED = [
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
] as const satisfies readonly ConcernTreated[];
