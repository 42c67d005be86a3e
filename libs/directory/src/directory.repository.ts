import { Kysely, sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from '@helpline/database';
import type {
  DirectoryChange,
  DirectoryChangeFilter,
  LocationData,
  LocationEntry,
  OrganizationData,
  OrganizationEntry,
  Phone,
  ServiceData,
  ServiceEntry,
  TaxonomyTermData,
  TaxonomyTermEntry,
  WeeklySchedule,
} from './directory.model';
import type { DirectoryPhonesTable, DirectoryTables } from './directory.tables';
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
import type { WallClock } from './opening-hours/opening-hours';

export interface EntityDataByType {
  organization: OrganizationData;
  location: LocationData;
  service: ServiceData;
  taxonomy_term: TaxonomyTermData;
}
export interface EntityEntryByType {
  organization: OrganizationEntry;
  location: LocationEntry;
  service: ServiceEntry;
  taxonomy_term: TaxonomyTermEntry;
}

export interface NewDirectoryChange {
  actorId: string;
  origin: DirectoryChangeOrigin;
  entityType: DirectoryEntityType;
  entityId: string;
  operation: DirectoryOperation;
  entityVersion: number;
  changedFields: string[];
  before: object | null;
  after: object;
}

/** The search filters as the repository applies them: already validated and canonical. */
export interface ServiceSearchFilter {
  serviceTypes: ServiceType[];
  areas: Municipio[];
  targetGroups: TargetGroup[];
  concernsTreated: ConcernTreated[];
  organizationIds: string[];
  words: string[];
  openAt: WallClock | null;
  includeRetired: boolean;
  after: { sortKey: string; id: string } | null;
  limit: number;
}

const TABLES = {
  organization: 'directory_organizations',
  location: 'directory_locations',
  service: 'directory_services',
  taxonomy_term: 'directory_taxonomy_terms',
} as const;

/** The directory's SQL. Services hold the rules; this only reads and writes rows. */
export class DirectoryRepository {
  constructor(private readonly db: Kysely<DirectoryTables>) {}

  static onDatabase(database: Database): DirectoryRepository {
    const db = database.db as Kysely<DirectoryTables>;
    return new DirectoryRepository(db);
  }

  /** Runs `work` in one transaction (or in the current one, when this repository is already inside one). */
  async transaction<T>(work: (repository: DirectoryRepository) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new DirectoryRepository(trx)));
  }

  /** Locks the entry's row for the rest of the transaction and returns its version; undefined when it does not exist. */
  async lockVersion(entityType: DirectoryEntityType, id: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom(TABLES[entityType])
      .select('version')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row?.version;
  }

  async existingIds(entityType: DirectoryEntityType, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom(TABLES[entityType])
      .select('id')
      .where('id', 'in', [...ids])
      .execute();
    return new Set(rows.map((row) => row.id));
  }

  async find<K extends DirectoryEntityType>(
    entityType: K,
    ids: readonly string[] | 'all',
  ): Promise<Array<EntityEntryByType[K]>> {
    switch (entityType) {
      case 'organization':
        return (await this.findOrganizations(ids)) as Array<EntityEntryByType[K]>;
      case 'location':
        return (await this.findLocations(ids)) as Array<EntityEntryByType[K]>;
      case 'service':
        return (await this.findServices(ids)) as Array<EntityEntryByType[K]>;
      default:
        return (await this.findTaxonomyTerms(ids)) as Array<EntityEntryByType[K]>;
    }
  }

  async write<K extends DirectoryEntityType>(
    entityType: K,
    data: EntityDataByType[K],
    version: number,
    mode: 'insert' | 'update',
  ): Promise<void> {
    switch (entityType) {
      case 'organization':
        return this.writeOrganization(data as OrganizationData, version, mode);
      case 'location':
        return this.writeLocation(data as LocationData, version, mode);
      case 'service':
        return this.writeService(data as ServiceData, version, mode);
      default:
        return this.writeTaxonomyTerm(data as TaxonomyTermData, version, mode);
    }
  }

  // ---- organisations ----

  async findOrganizations(ids: readonly string[] | 'all'): Promise<OrganizationEntry[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    let query = this.db
      .selectFrom('directory_organizations')
      .selectAll()
      .orderBy(sql`id COLLATE "C"`);
    if (ids !== 'all') query = query.where('id', 'in', [...ids]);
    const rows = await query.execute();
    const phones = await this.phonesOf(
      'organization_id',
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      alternateName: row.alternate_name,
      description: row.description,
      email: row.email,
      website: row.website,
      phones: phones.get(row.id) ?? [],
      status: row.status as EntryStatus,
      version: row.version,
    }));
  }

  private async writeOrganization(data: OrganizationData, version: number, mode: 'insert' | 'update'): Promise<void> {
    const values = {
      name: data.name,
      alternate_name: data.alternateName,
      description: data.description,
      email: data.email,
      website: data.website,
      status: data.status,
      version,
    };
    if (mode === 'insert')
      await this.db
        .insertInto('directory_organizations')
        .values({ id: data.id, ...values })
        .execute();
    else
      await this.db
        .updateTable('directory_organizations')
        .set({ ...values, updated_at: sql`now()` as never })
        .where('id', '=', data.id)
        .execute();
    await this.replacePhones('organization_id', data.id, data.phones);
  }

  // ---- locations ----

  async findLocations(ids: readonly string[] | 'all'): Promise<LocationEntry[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    let query = this.db
      .selectFrom('directory_locations')
      .selectAll()
      .orderBy(sql`id COLLATE "C"`);
    if (ids !== 'all') query = query.where('id', 'in', [...ids]);
    const rows = await query.execute();
    const phones = await this.phonesOf(
      'location_id',
      rows.map((row) => row.id),
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      locationType: row.location_type as LocationType,
      name: row.name,
      alternateName: row.alternate_name,
      description: row.description,
      transportation: row.transportation,
      latitude: row.latitude,
      longitude: row.longitude,
      address:
        row.address_1 === null
          ? null
          : {
              address1: row.address_1,
              address2: row.address_2,
              city: row.city ?? '',
              postalCode: row.postal_code,
              stateProvince: row.state_province,
              country: row.country ?? 'IT',
            },
      municipio: row.municipio as Municipio | null,
      phones: phones.get(row.id) ?? [],
      status: row.status as EntryStatus,
      version: row.version,
    }));
  }

  private async writeLocation(data: LocationData, version: number, mode: 'insert' | 'update'): Promise<void> {
    const values = {
      organization_id: data.organizationId,
      location_type: data.locationType,
      name: data.name,
      alternate_name: data.alternateName,
      description: data.description,
      transportation: data.transportation,
      latitude: data.latitude,
      longitude: data.longitude,
      address_1: data.address?.address1 ?? null,
      address_2: data.address?.address2 ?? null,
      city: data.address?.city ?? null,
      postal_code: data.address?.postalCode ?? null,
      state_province: data.address?.stateProvince ?? null,
      country: data.address?.country ?? null,
      municipio: data.municipio,
      status: data.status,
      version,
    };
    if (mode === 'insert')
      await this.db
        .insertInto('directory_locations')
        .values({ id: data.id, ...values })
        .execute();
    else
      await this.db
        .updateTable('directory_locations')
        .set({ ...values, updated_at: sql`now()` as never })
        .where('id', '=', data.id)
        .execute();
    await this.replacePhones('location_id', data.id, data.phones);
  }

  // ---- services ----

  async findServices(ids: readonly string[] | 'all'): Promise<ServiceEntry[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    let query = this.db
      .selectFrom('directory_services')
      .selectAll()
      .orderBy(sql`id COLLATE "C"`);
    if (ids !== 'all') query = query.where('id', 'in', [...ids]);
    const rows = await query.execute();
    const serviceIds = rows.map((row) => row.id);
    const [phones, schedules, locations, terms] = await Promise.all([
      this.phonesOf('service_id', serviceIds),
      this.schedulesOf(serviceIds),
      this.linksOf('directory_service_locations', 'location_id', serviceIds),
      this.linksOf('directory_service_taxonomy_terms', 'taxonomy_term_id', serviceIds),
    ]);
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      alternateName: row.alternate_name,
      description: row.description,
      url: row.url,
      email: row.email,
      status: row.status as EntryStatus,
      applicationProcess: row.application_process,
      feesDescription: row.fees_description,
      eligibilityDescription: row.eligibility_description,
      minimumAge: row.minimum_age,
      maximumAge: row.maximum_age,
      serviceType: row.service_type as ServiceType,
      targetGroups: row.target_groups as TargetGroup[],
      concernsTreated: row.concerns_treated as ConcernTreated[],
      areas: row.areas as Municipio[],
      handoffContact:
        row.handoff_desk_name === null
          ? null
          : {
              deskName: row.handoff_desk_name,
              phone: row.handoff_phone,
              email: row.handoff_email,
              responseTimeHours: row.handoff_response_hours,
            },
      phones: phones.get(row.id) ?? [],
      schedules: schedules.get(row.id) ?? [],
      locationIds: locations.get(row.id) ?? [],
      taxonomyTermIds: terms.get(row.id) ?? [],
      version: row.version,
    }));
  }

  private async writeService(data: ServiceData, version: number, mode: 'insert' | 'update'): Promise<void> {
    const values = {
      organization_id: data.organizationId,
      name: data.name,
      alternate_name: data.alternateName,
      description: data.description,
      url: data.url,
      email: data.email,
      status: data.status,
      application_process: data.applicationProcess,
      fees_description: data.feesDescription,
      eligibility_description: data.eligibilityDescription,
      minimum_age: data.minimumAge,
      maximum_age: data.maximumAge,
      service_type: data.serviceType,
      target_groups: textArray(data.targetGroups),
      concerns_treated: textArray(data.concernsTreated),
      areas: textArray(data.areas),
      handoff_desk_name: data.handoffContact?.deskName ?? null,
      handoff_phone: data.handoffContact?.phone ?? null,
      handoff_email: data.handoffContact?.email ?? null,
      handoff_response_hours: data.handoffContact?.responseTimeHours ?? null,
      version,
    };
    if (mode === 'insert')
      await this.db
        .insertInto('directory_services')
        .values({ id: data.id, ...values })
        .execute();
    else
      await this.db
        .updateTable('directory_services')
        .set({ ...values, updated_at: sql`now()` as never })
        .where('id', '=', data.id)
        .execute();
    await this.replacePhones('service_id', data.id, data.phones);

    await this.db.deleteFrom('directory_schedules').where('service_id', '=', data.id).execute();
    await this.db.deleteFrom('directory_service_locations').where('service_id', '=', data.id).execute();
    await this.db.deleteFrom('directory_service_taxonomy_terms').where('service_id', '=', data.id).execute();
    if (data.locationIds.length > 0) {
      await this.db
        .insertInto('directory_service_locations')
        .values(data.locationIds.map((locationId) => ({ service_id: data.id, location_id: locationId })))
        .execute();
    }
    if (data.schedules.length > 0) {
      await this.db
        .insertInto('directory_schedules')
        .values(
          data.schedules.map((schedule, position) => ({
            id: schedule.id,
            service_id: data.id,
            location_id: schedule.locationId,
            position,
            byday: textArray(schedule.byday),
            opens_at: schedule.opensAt,
            closes_at: schedule.closesAt,
            description: schedule.description,
          })),
        )
        .execute();
    }
    if (data.taxonomyTermIds.length > 0) {
      await this.db
        .insertInto('directory_service_taxonomy_terms')
        .values(data.taxonomyTermIds.map((termId) => ({ service_id: data.id, taxonomy_term_id: termId })))
        .execute();
    }
  }

  async isServiceActive(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
      .select('s.id')
      .where('s.id', '=', id)
      .where('s.status', '=', 'active')
      .where('o.status', '=', 'active')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** One page of service ids in the search order, plus one more when there is a next page. */
  async searchServiceIds(filter: ServiceSearchFilter): Promise<Array<{ id: string; sortKey: string }>> {
    const sortKey = sql<string>`lower(s.name)`;
    let query = this.db.selectFrom('directory_services as s').select(['s.id', sortKey.as('sort_key')]);
    if (!filter.includeRetired) query = query.where('s.status', '=', 'active');
    if (filter.serviceTypes.length > 0) query = query.where('s.service_type', 'in', filter.serviceTypes);
    if (filter.organizationIds.length > 0) query = query.where('s.organization_id', 'in', filter.organizationIds);
    if (filter.areas.length > 0) query = query.where(overlaps(sql.ref('s.areas'), filter.areas));
    if (filter.targetGroups.length > 0) query = query.where(overlaps(sql.ref('s.target_groups'), filter.targetGroups));
    if (filter.concernsTreated.length > 0)
      query = query.where(overlaps(sql.ref('s.concerns_treated'), filter.concernsTreated));
    for (const word of filter.words) {
      const pattern = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('s.name', 'ilike', pattern),
          eb('s.alternate_name', 'ilike', pattern),
          eb('s.description', 'ilike', pattern),
        ]),
      );
    }
    if (filter.openAt) query = query.where(openAt(filter.openAt));
    if (filter.after) {
      query = query.where(
        sql<SqlBool>`(lower(s.name) COLLATE "C", s.id COLLATE "C") > (${filter.after.sortKey} COLLATE "C", ${filter.after.id} COLLATE "C")`,
      );
    }
    const rows = await query
      .orderBy(sql`lower(s.name) COLLATE "C"`)
      .orderBy(sql`s.id COLLATE "C"`)
      .limit(filter.limit + 1)
      .execute();
    return rows.map((row) => ({ id: row.id, sortKey: row.sort_key }));
  }

  // ---- taxonomy ----

  async findTaxonomyTerms(ids: readonly string[] | 'all'): Promise<TaxonomyTermEntry[]> {
    if (ids !== 'all' && ids.length === 0) return [];
    let query = this.db
      .selectFrom('directory_taxonomy_terms')
      .selectAll()
      .orderBy(sql`id COLLATE "C"`);
    if (ids !== 'all') query = query.where('id', 'in', [...ids]);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      description: row.description,
      parentId: row.parent_id,
      taxonomy: row.taxonomy,
      version: row.version,
    }));
  }

  private async writeTaxonomyTerm(data: TaxonomyTermData, version: number, mode: 'insert' | 'update'): Promise<void> {
    const values = {
      code: data.code,
      name: data.name,
      description: data.description,
      parent_id: data.parentId,
      taxonomy: data.taxonomy,
      version,
    };
    if (mode === 'insert')
      await this.db
        .insertInto('directory_taxonomy_terms')
        .values({ id: data.id, ...values })
        .execute();
    else
      await this.db
        .updateTable('directory_taxonomy_terms')
        .set({ ...values, updated_at: sql`now()` as never })
        .where('id', '=', data.id)
        .execute();
  }

  // ---- rules that span entries ----

  /** Active services and locations whose organisation is retired: none may exist when a transaction ends. */
  async activeEntriesOfRetiredOrganizations(
    organizationIds: readonly string[],
  ): Promise<Array<{ entityType: 'service' | 'location'; id: string; organizationId: string }>> {
    if (organizationIds.length === 0) return [];
    const ids = [...organizationIds];
    const services = await this.db
      .selectFrom('directory_services as s')
      .innerJoin('directory_organizations as o', 'o.id', 's.organization_id')
      .select(['s.id', 's.organization_id'])
      .where('o.id', 'in', ids)
      .where('o.status', '=', 'retired')
      .where('s.status', '=', 'active')
      .orderBy(sql`s.id COLLATE "C"`)
      .execute();
    const locations = await this.db
      .selectFrom('directory_locations as l')
      .innerJoin('directory_organizations as o', 'o.id', 'l.organization_id')
      .select(['l.id', 'l.organization_id'])
      .where('o.id', 'in', ids)
      .where('o.status', '=', 'retired')
      .where('l.status', '=', 'active')
      .orderBy(sql`l.id COLLATE "C"`)
      .execute();
    return [
      ...services.map((row) => ({ entityType: 'service' as const, id: row.id, organizationId: row.organization_id })),
      ...locations.map((row) => ({ entityType: 'location' as const, id: row.id, organizationId: row.organization_id })),
    ];
  }

  /** Phone or schedule ids already used by another owner (ids are unique across the directory, as in HSDS). */
  async childIdsOwnedElsewhere(
    table: 'directory_phones' | 'directory_schedules',
    ids: readonly string[],
    owner: { column: 'organization_id' | 'location_id' | 'service_id'; id: string },
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom(table)
      .select('id')
      .where('id', 'in', [...ids])
      .where((eb) => eb.or([eb(sql.ref(owner.column), 'is', null), eb(sql.ref(owner.column), '!=', owner.id)]))
      .execute();
    return rows.map((row) => row.id);
  }

  // ---- audit ----

  async recordChange(change: NewDirectoryChange): Promise<void> {
    await this.db
      .insertInto('directory_changes')
      .values({
        actor_id: change.actorId,
        origin: change.origin,
        entity_type: change.entityType,
        entity_id: change.entityId,
        operation: change.operation,
        entity_version: change.entityVersion,
        changed_fields: textArray(change.changedFields),
        before: change.before === null ? null : JSON.stringify(change.before),
        after: JSON.stringify(change.after),
      })
      .execute();
  }

  async listChanges(filter: DirectoryChangeFilter & { limit: number }): Promise<DirectoryChange[]> {
    let query = this.db.selectFrom('directory_changes').selectAll().orderBy('id').limit(filter.limit);
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.afterId !== undefined) query = query.where('id', '>', filter.afterId);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: Number(row.id),
      changedAt: row.changed_at,
      actorId: row.actor_id,
      origin: row.origin as DirectoryChangeOrigin,
      entityType: row.entity_type as DirectoryEntityType,
      entityId: row.entity_id,
      operation: row.operation as DirectoryOperation,
      entityVersion: row.entity_version,
      changedFields: row.changed_fields,
      before: parseJson(row.before) as Record<string, unknown> | null,
      after: parseJson(row.after) as Record<string, unknown>,
    }));
  }

  // ---- children ----

  private async phonesOf(
    column: 'organization_id' | 'location_id' | 'service_id',
    ownerIds: string[],
  ): Promise<Map<string, Phone[]>> {
    const byOwner = new Map<string, Phone[]>();
    if (ownerIds.length === 0) return byOwner;
    const rows = await this.db
      .selectFrom('directory_phones')
      .selectAll()
      .where(column, 'in', ownerIds)
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const owner = row[column] as string;
      const list = byOwner.get(owner) ?? [];
      list.push({
        id: row.id,
        number: row.number,
        extension: row.extension,
        type: row.type as PhoneType | null,
        description: row.description,
      });
      byOwner.set(owner, list);
    }
    return byOwner;
  }

  private async replacePhones(
    column: 'organization_id' | 'location_id' | 'service_id',
    ownerId: string,
    phones: Phone[],
  ): Promise<void> {
    await this.db.deleteFrom('directory_phones').where(column, '=', ownerId).execute();
    if (phones.length === 0) return;
    await this.db
      .insertInto('directory_phones')
      .values(
        phones.map((phone, position): DirectoryPhonesTable => ({
          id: phone.id,
          organization_id: null,
          location_id: null,
          service_id: null,
          [column]: ownerId,
          position,
          number: phone.number,
          extension: phone.extension,
          type: phone.type,
          description: phone.description,
        })),
      )
      .execute();
  }

  private async schedulesOf(serviceIds: string[]): Promise<Map<string, WeeklySchedule[]>> {
    const byService = new Map<string, WeeklySchedule[]>();
    if (serviceIds.length === 0) return byService;
    const rows = await this.db
      .selectFrom('directory_schedules')
      .selectAll()
      .where('service_id', 'in', serviceIds)
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const list = byService.get(row.service_id) ?? [];
      list.push({
        id: row.id,
        byday: row.byday as Weekday[],
        opensAt: row.opens_at,
        closesAt: row.closes_at,
        description: row.description,
        locationId: row.location_id,
      });
      byService.set(row.service_id, list);
    }
    return byService;
  }

  private async linksOf(
    table: 'directory_service_locations' | 'directory_service_taxonomy_terms',
    column: 'location_id' | 'taxonomy_term_id',
    serviceIds: string[],
  ): Promise<Map<string, string[]>> {
    const byService = new Map<string, string[]>();
    if (serviceIds.length === 0) return byService;
    const rows = (await this.db
      .selectFrom(table)
      .select(['service_id', sql<string>`${sql.ref(column)}`.as('linked_id')])
      .where('service_id', 'in', serviceIds)
      .orderBy(sql`${sql.ref(column)} COLLATE "C"`)
      .execute()) as Array<{ service_id: string; linked_id: string }>;
    for (const row of rows) {
      const list = byService.get(row.service_id) ?? [];
      list.push(row.linked_id);
      byService.set(row.service_id, list);
    }
    return byService;
  }
}

/** A text[] parameter, spelled out so both pg and PGlite send it as an array literal. */
function textArray(values: readonly string[]): string[] {
  return sql<string[]>`${arrayLiteral(values)}::text[]` as unknown as string[];
}

function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

function overlaps(column: Expression<unknown>, values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${column} && ${arrayLiteral(values)}::text[]`;
}

/** The wall-clock rule of `isIntervalOpen` (opening-hours.ts), in SQL. Times are HH:MM, compared as bytes. */
function openAt(clock: WallClock): Expression<SqlBool> {
  const now = sql`${clock.time}::text COLLATE "C"`;
  return sql<SqlBool>`EXISTS (
    SELECT 1 FROM directory_schedules sc
    WHERE sc.service_id = s.id AND (
      (sc.opens_at COLLATE "C" < sc.closes_at COLLATE "C"
        AND ${clock.weekday}::text = ANY(sc.byday) AND sc.opens_at COLLATE "C" <= ${now} AND ${now} < sc.closes_at COLLATE "C")
      OR (sc.opens_at COLLATE "C" >= sc.closes_at COLLATE "C" AND (
        (${clock.weekday}::text = ANY(sc.byday) AND ${now} >= sc.opens_at COLLATE "C")
        OR (${clock.previousWeekday}::text = ANY(sc.byday) AND ${now} < sc.closes_at COLLATE "C")))
    ))`;
}

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
