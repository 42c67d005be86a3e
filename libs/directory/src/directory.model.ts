import type {
  ConcernTreated,
  DirectoryChangeOrigin,
  DirectoryEntityType,
  DirectoryOperation,
  EntryStatus,
  LocationType,
  Municipio,
  PhoneType,
  ServiceType,
  TargetGroup,
  Weekday,
} from './directory.vocabularies';

/*
 * The directory's entries, shaped on Open Referral HSDS 3 (organization, location, service, phone, schedule,
 * service_area, service_at_location, taxonomy_term/attribute) with this project's extensions on services.
 * Field names are HSDS's in camelCase. Optional values are `null`, never missing, in what the directory returns.
 */

export interface Phone {
  id: string;
  number: string;
  extension: string | null;
  type: PhoneType | null;
  description: string | null;
}

/**
 * A weekly opening interval on Milan's wall clock (Europe/Rome): HSDS `freq=WEEKLY` with `byday`, `opens_at`,
 * `closes_at`. Opens is inclusive, closes exclusive. A closing time at or before the opening time runs past midnight
 * into the next day (22:00-06:00); `00:00`-`00:00` is the whole day.
 */
export interface WeeklySchedule {
  id: string;
  byday: Weekday[];
  /** HH:MM, 24-hour. */
  opensAt: string;
  /** HH:MM, 24-hour. */
  closesAt: string;
  description: string | null;
  /** When the hours are those of one of the service's locations. */
  locationId: string | null;
}

/** The desk a service dedicated to the line's handoffs (seed 004: SerD and SMI gave the line named contacts). */
export interface HandoffContact {
  deskName: string;
  phone: string | null;
  email: string | null;
  /** The response time agreed with the line, in hours (e.g. 48 or 72). */
  responseTimeHours: number | null;
}

export interface Address {
  address1: string;
  address2: string | null;
  city: string;
  postalCode: string | null;
  stateProvince: string | null;
  /** ISO 3166-1 alpha-2, e.g. IT. */
  country: string;
}

export interface OrganizationEntry {
  id: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  email: string | null;
  website: string | null;
  phones: Phone[];
  status: EntryStatus;
  version: number;
}

export interface LocationEntry {
  id: string;
  organizationId: string;
  locationType: LocationType;
  name: string;
  alternateName: string | null;
  description: string | null;
  transportation: string | null;
  latitude: number | null;
  longitude: number | null;
  address: Address | null;
  /** The municipio the location is in. */
  municipio: Municipio | null;
  phones: Phone[];
  status: EntryStatus;
  version: number;
}

export interface ServiceEntry {
  id: string;
  organizationId: string;
  name: string;
  alternateName: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: EntryStatus;
  applicationProcess: string | null;
  feesDescription: string | null;
  /** HSDS 3 eligibility: a description and an age range. */
  eligibilityDescription: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  serviceType: ServiceType;
  targetGroups: TargetGroup[];
  /** Substances and behaviours treated, in the case domain's concern codes. */
  concernsTreated: ConcernTreated[];
  /** The municipi the service takes people from (HSDS service_area). */
  areas: Municipio[];
  handoffContact: HandoffContact | null;
  phones: Phone[];
  schedules: WeeklySchedule[];
  /** HSDS service_at_location: where the service is delivered. */
  locationIds: string[];
  /** HSDS attribute links to taxonomy terms. */
  taxonomyTermIds: string[];
  version: number;
}

export interface TaxonomyTermEntry {
  id: string;
  code: string | null;
  name: string;
  description: string | null;
  parentId: string | null;
  /** The taxonomy the term belongs to, e.g. `helpline-milano`. */
  taxonomy: string | null;
  version: number;
}

/** An entry as stored, without its concurrency version: what is compared, audited and exported. */
export type OrganizationData = Omit<OrganizationEntry, 'version'>;
export type LocationData = Omit<LocationEntry, 'version'>;
export type ServiceData = Omit<ServiceEntry, 'version'>;
export type TaxonomyTermData = Omit<TaxonomyTermEntry, 'version'>;

// ---- Inputs. Optional values may be omitted or null; blank strings count as absent. ----

export interface PhoneInput {
  /** Derived from the owner's id when omitted (`<owner>-phone-<n>`). */
  id?: string;
  number: string;
  extension?: string | null;
  type?: PhoneType | null;
  description?: string | null;
}

export interface ScheduleInput {
  /** Derived from the service's id when omitted (`<service>-schedule-<n>`). */
  id?: string;
  byday: Weekday[];
  opensAt: string;
  closesAt: string;
  description?: string | null;
  locationId?: string | null;
}

export interface HandoffContactInput {
  deskName: string;
  phone?: string | null;
  email?: string | null;
  responseTimeHours?: number | null;
}

export interface AddressInput {
  address1: string;
  address2?: string | null;
  city: string;
  postalCode?: string | null;
  stateProvince?: string | null;
  country?: string | null;
}

export interface NewOrganization {
  /** A stable id (letters, digits, `._:@-`); a UUID is generated when omitted. */
  id?: string;
  name: string;
  alternateName?: string | null;
  description?: string | null;
  email?: string | null;
  website?: string | null;
  phones?: PhoneInput[];
}
export type OrganizationChanges = Partial<Omit<NewOrganization, 'id'>>;

export interface NewLocation {
  id?: string;
  organizationId: string;
  locationType?: LocationType;
  name: string;
  alternateName?: string | null;
  description?: string | null;
  transportation?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  address?: AddressInput | null;
  municipio?: Municipio | null;
  phones?: PhoneInput[];
}
/** A location stays with its organisation: `organizationId` cannot be changed. */
export type LocationChanges = Partial<Omit<NewLocation, 'id' | 'organizationId'>>;

export interface NewService {
  id?: string;
  organizationId: string;
  name: string;
  alternateName?: string | null;
  description?: string | null;
  url?: string | null;
  email?: string | null;
  applicationProcess?: string | null;
  feesDescription?: string | null;
  eligibilityDescription?: string | null;
  minimumAge?: number | null;
  maximumAge?: number | null;
  serviceType: ServiceType;
  targetGroups?: TargetGroup[];
  concernsTreated?: ConcernTreated[];
  areas?: Municipio[];
  handoffContact?: HandoffContactInput | null;
  phones?: PhoneInput[];
  schedules?: ScheduleInput[];
  locationIds?: string[];
  taxonomyTermIds?: string[];
}
/** A service stays with its organisation: `organizationId` cannot be changed. Lists given replace the old ones. */
export type ServiceChanges = Partial<Omit<NewService, 'id' | 'organizationId'>>;

export interface TaxonomyTermInput {
  id: string;
  code?: string | null;
  name: string;
  description?: string | null;
  parentId?: string | null;
  taxonomy?: string | null;
}

// ---- Reading ----

/** A service with everything an operator needs to refer someone to it. */
export interface ServiceView extends ServiceEntry {
  organization: OrganizationEntry;
  /** The locations the service is delivered at, in id order, retired ones included (see `status`). */
  locations: LocationEntry[];
  taxonomyTerms: TaxonomyTermEntry[];
  /** Whether a schedule is open at the `at` of the request; absent when no `at` was given. */
  openNow?: boolean;
}

export interface ServiceSearchQuery {
  /** Each filter matches any of its values; filters combine with AND. */
  serviceTypes?: ServiceType[];
  areas?: Municipio[];
  targetGroups?: TargetGroup[];
  concernsTreated?: ConcernTreated[];
  organizationIds?: string[];
  /** Words that must all appear (case-insensitive) in the name, alternate name or description. */
  text?: string;
  /** The instant the search is made for (ISO-8601 with offset, or a Date): needed by `openNow`, and sets `openNow` on each result. */
  at?: string | Date;
  /** Only services with a schedule open at `at`, on Milan's wall clock. */
  openNow?: boolean;
  /** Retired services are left out unless this is true. */
  includeRetired?: boolean;
  /** 1..100, default 20. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  after?: string;
}

export interface ServiceSearchPage {
  items: ServiceView[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One row of the append-only audit table `directory_changes`. */
export interface DirectoryChange {
  /** Position in the audit log, increasing. */
  id: number;
  changedAt: Date;
  actorId: string;
  origin: DirectoryChangeOrigin;
  entityType: DirectoryEntityType;
  entityId: string;
  operation: DirectoryOperation;
  /** The entry's version after the change. */
  entityVersion: number;
  /** Top-level field names that changed (camelCase, as in the entries). */
  changedFields: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

export interface DirectoryChangeFilter {
  entityType?: DirectoryEntityType;
  entityId?: string;
  actorId?: string;
  /** Only changes with an id greater than this. */
  afterId?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

/** What an import did, per entity type. */
export interface DirectoryImportSummary {
  created: Record<DirectoryEntityType, number>;
  changed: Record<DirectoryEntityType, number>;
  unchanged: Record<DirectoryEntityType, number>;
}
