import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '@helpline/database';
import {
  DirectoryEntryExistsError,
  DirectoryEntryNotFoundError,
  DirectoryError,
  DirectoryValidationError,
  DirectoryVersionConflictError,
} from './directory.errors';
import type {
  DirectoryChange,
  DirectoryChangeFilter,
  DirectoryImportSummary,
  LocationChanges,
  LocationEntry,
  NewLocation,
  NewOrganization,
  NewService,
  OrganizationChanges,
  OrganizationEntry,
  ServiceChanges,
  ServiceEntry,
  ServiceSearchPage,
  ServiceSearchQuery,
  ServiceView,
  TaxonomyTermEntry,
  TaxonomyTermInput,
} from './directory.model';
import { DirectoryRepository, EntityDataByType, EntityEntryByType } from './directory.repository';
import {
  normalizeLocation,
  normalizeOrganization,
  normalizeService,
  normalizeTaxonomyTerm,
  requireId,
  requireOnlyKeys,
} from './directory.validation';
import {
  CONCERNS_TREATED,
  DIRECTORY_ENTITY_TYPES,
  DirectoryChangeOrigin,
  DirectoryEntityType,
  EntryStatus,
  MUNICIPI,
  SERVICE_TYPES,
  TARGET_GROUPS,
  isOneOf,
} from './directory.vocabularies';
import { CSV_FILE_NAMES, csvFilesToDocument, documentToCsvFiles } from './hsds/hsds-csv';
import { DirectoryImportSet, ImportItem, readHsdsDocument, toHsdsDocument } from './hsds/hsds-json';
import type { HsdsDirectoryDocument } from './hsds/hsds.types';
import { isOpenAt, parseDirectoryInstant, wallClockAt } from './opening-hours/opening-hours';
import { sampleDirectoryDocument } from './sample/sample-directory';

const ORGANIZATION_CHANGES = ['name', 'alternateName', 'description', 'email', 'website', 'phones'] as const;
const LOCATION_CHANGES = [
  'locationType',
  'name',
  'alternateName',
  'description',
  'transportation',
  'latitude',
  'longitude',
  'address',
  'municipio',
  'phones',
] as const;
const SERVICE_CHANGES = [
  'name',
  'alternateName',
  'description',
  'url',
  'email',
  'applicationProcess',
  'feesDescription',
  'eligibilityDescription',
  'minimumAge',
  'maximumAge',
  'serviceType',
  'targetGroups',
  'concernsTreated',
  'areas',
  'handoffContact',
  'phones',
  'schedules',
  'locationIds',
  'taxonomyTermIds',
] as const;

const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;
const MAX_WORDS = 10;

type Outcome = 'created' | 'changed' | 'unchanged';

export interface DirectoryServiceOptions {
  /** Ids for entries created without one. Default: random UUIDs. */
  newId?: () => string;
}

/**
 * The resource directory ("banca dati") of the line: administrators keep it, operators search it, referrals check
 * against it. Every write runs in one transaction that also appends to the audit table `directory_changes`; a
 * write that changes nothing appends nothing and keeps the version.
 */
export class DirectoryService {
  private readonly newId: () => string;

  constructor(
    private readonly repository: DirectoryRepository,
    options: DirectoryServiceOptions = {},
  ) {
    this.newId = options.newId ?? randomUUID;
  }

  static onDatabase(database: Database, options?: DirectoryServiceOptions): DirectoryService {
    return new DirectoryService(DirectoryRepository.onDatabase(database), options);
  }

  // ---- organisations ----

  async createOrganization(actorId: string, input: NewOrganization): Promise<OrganizationEntry> {
    const id = this.idFor(input);
    const data = normalizeOrganization(input, id, 'active');
    return this.create(actorId, 'organization', data);
  }

  async changeOrganization(
    actorId: string,
    id: string,
    expectedVersion: number,
    changes: OrganizationChanges,
  ): Promise<OrganizationEntry> {
    const patch = requireOnlyKeys(changes, ORGANIZATION_CHANGES);
    return this.modify(actorId, 'organization', id, expectedVersion, (current) =>
      normalizeOrganization(merge(current, patch), id, current.status),
    );
  }

  /** Refused while the organisation has active services or locations: retire those first. */
  async retireOrganization(actorId: string, id: string, expectedVersion: number): Promise<OrganizationEntry> {
    return this.setStatus(actorId, 'organization', id, expectedVersion, 'retired');
  }

  async reactivateOrganization(actorId: string, id: string, expectedVersion: number): Promise<OrganizationEntry> {
    return this.setStatus(actorId, 'organization', id, expectedVersion, 'active');
  }

  async getOrganization(id: string): Promise<OrganizationEntry> {
    return this.get('organization', id);
  }

  async listOrganizations(): Promise<OrganizationEntry[]> {
    return this.repository.findOrganizations('all');
  }

  // ---- locations ----

  async createLocation(actorId: string, input: NewLocation): Promise<LocationEntry> {
    const id = this.idFor(input);
    const data = normalizeLocation(input, id, 'active');
    return this.create(actorId, 'location', data);
  }

  async changeLocation(
    actorId: string,
    id: string,
    expectedVersion: number,
    changes: LocationChanges,
  ): Promise<LocationEntry> {
    const patch = requireOnlyKeys(changes, LOCATION_CHANGES);
    return this.modify(actorId, 'location', id, expectedVersion, (current) =>
      normalizeLocation(merge(current, patch), id, current.status),
    );
  }

  async retireLocation(actorId: string, id: string, expectedVersion: number): Promise<LocationEntry> {
    return this.setStatus(actorId, 'location', id, expectedVersion, 'retired');
  }

  async reactivateLocation(actorId: string, id: string, expectedVersion: number): Promise<LocationEntry> {
    return this.setStatus(actorId, 'location', id, expectedVersion, 'active');
  }

  async getLocation(id: string): Promise<LocationEntry> {
    return this.get('location', id);
  }

  async listLocations(): Promise<LocationEntry[]> {
    return this.repository.findLocations('all');
  }

  // ---- services ----

  async createService(actorId: string, input: NewService): Promise<ServiceEntry> {
    const id = this.idFor(input);
    const data = normalizeService(input, id, 'active');
    return this.create(actorId, 'service', data);
  }

  /** Lists given in `changes` (phones, schedules, areas...) replace the service's lists. */
  async changeService(
    actorId: string,
    id: string,
    expectedVersion: number,
    changes: ServiceChanges,
  ): Promise<ServiceEntry> {
    const patch = requireOnlyKeys(changes, SERVICE_CHANGES);
    return this.modify(actorId, 'service', id, expectedVersion, (current) =>
      normalizeService(merge(current, patch), id, current.status),
    );
  }

  async retireService(actorId: string, id: string, expectedVersion: number): Promise<ServiceEntry> {
    return this.setStatus(actorId, 'service', id, expectedVersion, 'retired');
  }

  async reactivateService(actorId: string, id: string, expectedVersion: number): Promise<ServiceEntry> {
    return this.setStatus(actorId, 'service', id, expectedVersion, 'active');
  }

  /** The service with its organisation, locations and taxonomy terms; `openNow` set when `at` is given. */
  async getService(id: string, options: { at?: string | Date } = {}): Promise<ServiceView> {
    const view = await this.findService(id, options);
    if (!view) throw new DirectoryEntryNotFoundError('service', id);
    return view;
  }

  async findService(id: string, options: { at?: string | Date } = {}): Promise<ServiceView | undefined> {
    const at = options.at === undefined ? undefined : parseDirectoryInstant(options.at).toJSDate();
    const [view] = await this.views(this.repository, [id], at);
    return view;
  }

  /** The referral rule: a referral may only target a service that is in the directory and active (false for unknown ids). */
  async isActiveService(serviceId: string): Promise<boolean> {
    return this.repository.isServiceActive(serviceId);
  }

  /** Operators' search, ordered by name (case-insensitive) then id, one page at a time. */
  async searchServices(query: ServiceSearchQuery = {}): Promise<ServiceSearchPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new DirectoryValidationError('limit', `must be a whole number from 1 to ${MAX_PAGE}`);
    }
    const at = query.at === undefined ? undefined : parseDirectoryInstant(query.at).toJSDate();
    if (query.openNow && !at) throw new DirectoryValidationError('at', 'openNow needs the instant to evaluate it at');
    const words = (query.text ?? '').split(/\s+/).filter((word) => word !== '');
    if (words.length > MAX_WORDS || words.some((word) => word.length > 100)) {
      throw new DirectoryValidationError('text', `must be at most ${MAX_WORDS} words of at most 100 characters`);
    }
    const rows = await this.repository.searchServiceIds({
      serviceTypes: vocabularyFilter(query.serviceTypes, SERVICE_TYPES, 'serviceTypes'),
      areas: vocabularyFilter(query.areas, MUNICIPI, 'areas'),
      targetGroups: vocabularyFilter(query.targetGroups, TARGET_GROUPS, 'targetGroups'),
      concernsTreated: vocabularyFilter(query.concernsTreated, CONCERNS_TREATED, 'concernsTreated'),
      organizationIds: (query.organizationIds ?? []).map((id, index) => requireId(id, `organizationIds[${index}]`)),
      words,
      openAt: query.openNow && at ? wallClockAt(at) : null,
      includeRetired: query.includeRetired ?? false,
      after: query.after === undefined ? null : decodeCursor(query.after),
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await this.views(
        this.repository,
        page.map((row) => row.id),
        at,
      ),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  // ---- taxonomy ----

  /** Creates the term, or changes it when the id exists (no version check: terms are reference data). */
  async saveTaxonomyTerm(actorId: string, input: TaxonomyTermInput): Promise<TaxonomyTermEntry> {
    const data = normalizeTaxonomyTerm(input);
    requireActor(actorId);
    return this.repository.transaction(async (repository) => {
      await this.apply(repository, actorId, 'admin', 'taxonomy_term', data, { expect: 'any' });
      return (await repository.findTaxonomyTerms([data.id]))[0]!;
    });
  }

  async listTaxonomyTerms(): Promise<TaxonomyTermEntry[]> {
    return this.repository.findTaxonomyTerms('all');
  }

  // ---- audit ----

  async listChanges(filter: DirectoryChangeFilter = {}): Promise<DirectoryChange[]> {
    const limit = filter.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new DirectoryValidationError('limit', 'must be a whole number from 1 to 1000');
    if (filter.entityType !== undefined && !isOneOf(DIRECTORY_ENTITY_TYPES, filter.entityType)) {
      throw new DirectoryValidationError('entityType', `must be one of ${DIRECTORY_ENTITY_TYPES.join(', ')}`);
    }
    return this.repository.listChanges({ ...filter, limit });
  }

  // ---- import and export ----

  /** The whole directory as an HSDS 3 JSON document (retired entries included, with their status). */
  async exportJson(): Promise<HsdsDirectoryDocument> {
    const [taxonomyTerms, organizations, locations, services] = await this.repository.transaction((repository) =>
      Promise.all([
        repository.findTaxonomyTerms('all'),
        repository.findOrganizations('all'),
        repository.findLocations('all'),
        repository.findServices('all'),
      ]),
    );
    return toHsdsDocument(
      {
        taxonomyTerms: taxonomyTerms.map(data),
        organizations: organizations.map(data),
        locations: locations.map(data),
        services: services.map(data),
      },
      { description: 'Export of the helpline resource directory (Open Referral HSDS 3, extensions under x_ keys).' },
    );
  }

  /**
   * Upserts every entry of the document by id, in one transaction: all of it or nothing. Entries that are equal to
   * the stored ones are left alone (no new version, no audit row); entries of the directory the document does not
   * name are left as they are. Each creation or change is audited with the importing actor.
   */
  async importJson(
    actorId: string,
    document: unknown,
    origin: Exclude<DirectoryChangeOrigin, 'admin'> = 'import',
  ): Promise<DirectoryImportSummary> {
    requireActor(actorId);
    return this.importSet(actorId, origin, readHsdsDocument(document));
  }

  /** The directory as HSDS CSV files, by file name (see CSV_TABLES). */
  async exportCsvFiles(): Promise<Record<string, string>> {
    return documentToCsvFiles(await this.exportJson());
  }

  /** Writes the HSDS CSV files into `folder` (created when missing); returns the paths written. */
  async exportCsv(folder: string): Promise<string[]> {
    const files = await this.exportCsvFiles();
    mkdirSync(folder, { recursive: true });
    return Object.entries(files).map(([name, text]) => {
      const path = join(folder, name);
      writeFileSync(path, text, 'utf8');
      return path;
    });
  }

  async importCsvFiles(actorId: string, files: Partial<Record<string, string>>): Promise<DirectoryImportSummary> {
    requireActor(actorId);
    return this.importSet(actorId, 'import', readHsdsDocument(csvFilesToDocument(files)));
  }

  /** Reads the HSDS CSV files of `folder` (organizations.csv at least) and imports them as `importJson` does. */
  async importCsv(actorId: string, folder: string): Promise<DirectoryImportSummary> {
    if (!existsSync(join(folder, 'organizations.csv'))) {
      throw new DirectoryValidationError('folder', `no organizations.csv in ${folder}`);
    }
    const files: Record<string, string> = {};
    for (const name of CSV_FILE_NAMES) {
      const path = join(folder, name);
      if (existsSync(path)) files[name] = readFileSync(path, 'utf8');
    }
    return this.importCsvFiles(actorId, files);
  }

  /** Loads the bundled sample directory of Milan (illustrative entries, not an official list). Idempotent. */
  async importSample(actorId: string): Promise<DirectoryImportSummary> {
    requireActor(actorId);
    return this.importSet(actorId, 'sample', readHsdsDocument(sampleDirectoryDocument()));
  }

  // ---- the write path ----

  private idFor(input: { id?: string }): string {
    return input.id === undefined || input.id === null || input.id === '' ? this.newId() : requireId(input.id, 'id');
  }

  private async create<K extends 'organization' | 'location' | 'service'>(
    actorId: string,
    entityType: K,
    data: EntityDataByType[K],
  ): Promise<EntityEntryByType[K]> {
    requireActor(actorId);
    try {
      return await this.repository.transaction(async (repository) => {
        await this.apply(repository, actorId, 'admin', entityType, data, { expect: 'absent' });
        await this.checkOrganizationRule(repository, [organizationIdOf(entityType, data)]);
        return (await repository.find(entityType, [data.id]))[0]!;
      });
    } catch (error) {
      // Two administrators creating the same id at once: the second insert hits the primary key.
      if (isUniqueViolation(error)) throw new DirectoryEntryExistsError(entityType, data.id);
      throw error;
    }
  }

  private async modify<K extends 'organization' | 'location' | 'service'>(
    actorId: string,
    entityType: K,
    id: string,
    expectedVersion: number,
    change: (current: EntityDataByType[K]) => EntityDataByType[K],
  ): Promise<EntityEntryByType[K]> {
    requireActor(actorId);
    if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
      throw new DirectoryValidationError(
        'expectedVersion',
        'must be the version of the entry as read, a whole number from 1',
      );
    }
    return this.repository.transaction(async (repository) => {
      const version = await repository.lockVersion(entityType, id);
      if (version === undefined) throw new DirectoryEntryNotFoundError(entityType, id);
      if (version !== expectedVersion)
        throw new DirectoryVersionConflictError(entityType, id, expectedVersion, version);
      const [current] = await repository.find(entityType, [id]);
      const next = change(data(current!) as unknown as EntityDataByType[K]);
      await this.apply(repository, actorId, 'admin', entityType, next, { expect: 'version', version });
      await this.checkOrganizationRule(repository, [organizationIdOf(entityType, next)]);
      return (await repository.find(entityType, [id]))[0]!;
    });
  }

  private async setStatus<K extends 'organization' | 'location' | 'service'>(
    actorId: string,
    entityType: K,
    id: string,
    expectedVersion: number,
    status: EntryStatus,
  ): Promise<EntityEntryByType[K]> {
    return this.modify(actorId, entityType, id, expectedVersion, (current) => ({ ...current, status }));
  }

  private async get<K extends DirectoryEntityType>(entityType: K, id: string): Promise<EntityEntryByType[K]> {
    const [entry] = await this.repository.find(entityType, [id]);
    if (!entry) throw new DirectoryEntryNotFoundError(entityType, id);
    return entry;
  }

  /**
   * Writes one entry if it differs from what is stored, and audits it. The caller holds the transaction (and, for
   * `expect: version`, has already locked and checked the row).
   */
  private async apply<K extends DirectoryEntityType>(
    repository: DirectoryRepository,
    actorId: string,
    origin: DirectoryChangeOrigin,
    entityType: K,
    next: EntityDataByType[K],
    expectation: { expect: 'absent' } | { expect: 'any' } | { expect: 'version'; version: number },
  ): Promise<Outcome> {
    const version =
      expectation.expect === 'version' ? expectation.version : await repository.lockVersion(entityType, next.id);
    if (version !== undefined && expectation.expect === 'absent')
      throw new DirectoryEntryExistsError(entityType, next.id);
    const current =
      version === undefined
        ? undefined
        : (data((await repository.find(entityType, [next.id]))[0]!) as unknown as EntityDataByType[K]);
    const changedFields = current === undefined ? presentFields(next) : differingFields(current, next);
    if (current !== undefined && changedFields.length === 0) return 'unchanged';
    await this.checkReferences(repository, entityType, next);
    const newVersion = (version ?? 0) + 1;
    await repository.write(entityType, next, newVersion, current === undefined ? 'insert' : 'update');
    const status = (next as { status?: EntryStatus }).status;
    const operation =
      current === undefined
        ? 'create'
        : changedFields.includes('status')
          ? status === 'retired'
            ? 'retire'
            : 'reactivate'
          : 'change';
    await repository.recordChange({
      actorId,
      origin,
      entityType,
      entityId: next.id,
      operation,
      entityVersion: newVersion,
      changedFields,
      before: current ?? null,
      after: next,
    });
    return current === undefined ? 'created' : 'changed';
  }

  /** The entries an entry points at must exist; its phone and schedule ids must not belong to another entry. */
  private async checkReferences(
    repository: DirectoryRepository,
    entityType: DirectoryEntityType,
    next: EntityDataByType[DirectoryEntityType],
  ): Promise<void> {
    const requireAll = async (type: DirectoryEntityType, ids: string[], field: string) => {
      const found = await repository.existingIds(type, ids);
      const missing = ids.find((id) => !found.has(id));
      if (missing !== undefined)
        throw new DirectoryValidationError(field, `no ${type.replace('_', ' ')} ${missing} in the directory`);
    };
    const requireOwnChildren = async (
      table: 'directory_phones' | 'directory_schedules',
      ids: string[],
      column: 'organization_id' | 'location_id' | 'service_id',
      field: string,
    ) => {
      const taken = await repository.childIdsOwnedElsewhere(table, ids, { column, id: next.id });
      if (taken.length > 0)
        throw new DirectoryValidationError(field, `id ${taken[0]} already belongs to another entry`);
    };
    if (entityType === 'organization') {
      const organization = next as EntityDataByType['organization'];
      await requireOwnChildren(
        'directory_phones',
        organization.phones.map((phone) => phone.id),
        'organization_id',
        'phones',
      );
    } else if (entityType === 'location') {
      const location = next as EntityDataByType['location'];
      await requireAll('organization', [location.organizationId], 'organizationId');
      await requireOwnChildren(
        'directory_phones',
        location.phones.map((phone) => phone.id),
        'location_id',
        'phones',
      );
    } else if (entityType === 'service') {
      const service = next as EntityDataByType['service'];
      await requireAll('organization', [service.organizationId], 'organizationId');
      await requireAll('location', service.locationIds, 'locationIds');
      await requireAll('taxonomy_term', service.taxonomyTermIds, 'taxonomyTermIds');
      await requireOwnChildren(
        'directory_phones',
        service.phones.map((phone) => phone.id),
        'service_id',
        'phones',
      );
      await requireOwnChildren(
        'directory_schedules',
        service.schedules.map((schedule) => schedule.id),
        'service_id',
        'schedules',
      );
    }
  }

  /** A retired organisation has no active services or locations. Checked at the end of each write transaction. */
  private async checkOrganizationRule(
    repository: DirectoryRepository,
    organizationIds: Array<string | undefined>,
  ): Promise<void> {
    const ids = [...new Set(organizationIds.filter((id): id is string => id !== undefined))];
    const [violation] = await repository.activeEntriesOfRetiredOrganizations(ids);
    if (violation) {
      throw new DirectoryValidationError(
        'status',
        `organization ${violation.organizationId} is retired but its ${violation.entityType} ${violation.id} is active: ` +
          'retire services and locations before their organisation, and reactivate the organisation before them',
      );
    }
  }

  private async importSet(
    actorId: string,
    origin: DirectoryChangeOrigin,
    set: DirectoryImportSet,
  ): Promise<DirectoryImportSummary> {
    const summary: DirectoryImportSummary = { created: zeroCounts(), changed: zeroCounts(), unchanged: zeroCounts() };
    await this.repository.transaction(async (repository) => {
      const run = async <K extends DirectoryEntityType>(
        entityType: K,
        items: ImportItem[],
        normalize: (item: ImportItem) => EntityDataByType[K],
      ) => {
        for (const item of items) {
          const outcome = await withLabel(item.label, async () =>
            this.apply(repository, actorId, origin, entityType, normalize(item), { expect: 'any' }),
          );
          summary[outcome === 'unchanged' ? 'unchanged' : outcome][entityType]++;
        }
      };
      await run('taxonomy_term', set.taxonomyTerms, (item) => normalizeTaxonomyTerm(item.input));
      await run('organization', set.organizations, (item) => normalizeOrganization(item.input, item.id, item.status));
      await run('location', set.locations, (item) => normalizeLocation(item.input, item.id, item.status));
      await run('service', set.services, (item) => normalizeService(item.input, item.id, item.status));
      await this.checkOrganizationRule(repository, [
        ...set.organizations.map((item) => item.id),
        ...[...set.locations, ...set.services].map((item) => item.input.organizationId as string),
      ]);
    });
    return summary;
  }

  private async views(repository: DirectoryRepository, ids: string[], at: Date | undefined): Promise<ServiceView[]> {
    const services = await repository.findServices(ids);
    const unique = (values: string[]) => [...new Set(values)];
    const [organizations, locations, terms] = await Promise.all([
      repository.findOrganizations(unique(services.map((service) => service.organizationId))),
      repository.findLocations(unique(services.flatMap((service) => service.locationIds))),
      repository.findTaxonomyTerms(unique(services.flatMap((service) => service.taxonomyTermIds))),
    ]);
    const byId = <T extends { id: string }>(items: T[]) => new Map(items.map((item) => [item.id, item]));
    const servicesById = byId(services);
    const organizationsById = byId(organizations);
    const locationsById = byId(locations);
    const termsById = byId(terms);
    return ids
      .map((id) => servicesById.get(id))
      .filter((service): service is ServiceEntry => service !== undefined)
      .map((service) => ({
        ...service,
        organization: organizationsById.get(service.organizationId)!,
        locations: service.locationIds.map((id) => locationsById.get(id)!),
        taxonomyTerms: service.taxonomyTermIds.map((id) => termsById.get(id)!),
        ...(at === undefined ? {} : { openNow: isOpenAt(service.schedules, at) }),
      }));
  }
}

function requireActor(actorId: string): void {
  if (typeof actorId !== 'string' || actorId.trim() === '' || actorId.length > 200) {
    throw new DirectoryValidationError('actorId', 'the acting user must be named');
  }
}

/** An entry without its version: what is compared, audited and exported. */
function data<T extends { version: number }>(entry: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = entry;
  return rest;
}

function merge<T extends object>(current: T, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value;
  return merged;
}

function organizationIdOf(entityType: DirectoryEntityType, entry: object): string | undefined {
  if (entityType === 'organization') return (entry as { id: string }).id;
  if (entityType === 'location' || entityType === 'service')
    return (entry as { organizationId: string }).organizationId;
  return undefined;
}

function presentFields(entry: object): string[] {
  return Object.entries(entry)
    .filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0))
    .map(([key]) => key)
    .sort();
}

function differingFields(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter(
      (key) =>
        canonicalJson((before as Record<string, unknown>)[key]) !==
        canonicalJson((after as Record<string, unknown>)[key]),
    )
    .sort();
}

/** JSON with object keys sorted, so that equal values compare equal whatever order their keys were built in. */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function vocabularyFilter<T extends string>(
  values: readonly unknown[] | undefined,
  vocabulary: readonly T[],
  field: string,
): T[] {
  if (values === undefined) return [];
  if (!Array.isArray(values)) throw new DirectoryValidationError(field, 'must be a list');
  for (const value of values)
    if (!isOneOf(vocabulary, value))
      throw new DirectoryValidationError(field, `${String(value)} is not one of ${vocabulary.join(', ')}`);
  return [...new Set(values as T[])];
}

function encodeCursor(row: { sortKey: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.sortKey, row.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { sortKey: string; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === 'string' &&
      typeof decoded[1] === 'string'
    ) {
      return { sortKey: decoded[0], id: decoded[1] };
    }
  } catch {
    // falls through to the refusal
  }
  throw new DirectoryValidationError('after', 'is not a cursor returned by this search');
}

function zeroCounts(): Record<DirectoryEntityType, number> {
  return { organization: 0, location: 0, service: 0, taxonomy_term: 0 };
}

async function withLabel<T>(label: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DirectoryValidationError)
      throw new DirectoryValidationError(`${label}.${error.field}`, error.reason);
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '23505' &&
    !(error instanceof DirectoryError)
  );
}
