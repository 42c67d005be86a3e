import { Kysely, sql } from 'kysely';

// The resource directory (libs/directory): Open Referral HSDS 3 tables with the line's extensions on services, and
// the append-only audit of every change. Ids are text (UUIDs or readable slugs) and are compared with COLLATE "C".
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('directory_organizations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('alternate_name', 'text')
    .addColumn('description', 'text')
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('active', 'retired')`))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('directory_locations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull().references('directory_organizations.id'))
    .addColumn('location_type', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('alternate_name', 'text')
    .addColumn('description', 'text')
    .addColumn('transportation', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    // One address per location (HSDS address, address_type physical or postal).
    .addColumn('address_1', 'text')
    .addColumn('address_2', 'text')
    .addColumn('city', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('state_province', 'text')
    .addColumn('country', 'text')
    .addColumn('municipio', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('active', 'retired')`))
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('directory_locations_organization')
    .on('directory_locations')
    .column('organization_id')
    .execute();

  await db.schema
    .createTable('directory_services')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.notNull().references('directory_organizations.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('alternate_name', 'text')
    .addColumn('description', 'text')
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status IN ('active', 'retired')`))
    .addColumn('application_process', 'text')
    .addColumn('fees_description', 'text')
    .addColumn('eligibility_description', 'text')
    .addColumn('minimum_age', 'integer')
    .addColumn('maximum_age', 'integer')
    // Extensions of this project.
    .addColumn('service_type', 'text', (col) => col.notNull())
    .addColumn('target_groups', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('concerns_treated', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('areas', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('handoff_desk_name', 'text')
    .addColumn('handoff_phone', 'text')
    .addColumn('handoff_email', 'text')
    .addColumn('handoff_response_hours', 'integer')
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('directory_services_organization')
    .on('directory_services')
    .column('organization_id')
    .execute();
  // The search's keyset order.
  await sql`CREATE INDEX directory_services_name_order ON directory_services ((lower(name)) COLLATE "C", id COLLATE "C")`.execute(
    db,
  );

  await db.schema
    .createTable('directory_taxonomy_terms')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('code', 'text')
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    // Not a foreign key: a taxonomy may be loaded in any order.
    .addColumn('parent_id', 'text')
    .addColumn('taxonomy', 'text')
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // Phones of an organisation, a location or a service: exactly one owner; `position` keeps the order given.
  await db.schema
    .createTable('directory_phones')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) => col.references('directory_organizations.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (col) => col.references('directory_locations.id').onDelete('cascade'))
    .addColumn('service_id', 'text', (col) => col.references('directory_services.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('number', 'text', (col) => col.notNull())
    .addColumn('extension', 'text')
    .addColumn('type', 'text')
    .addColumn('description', 'text')
    .addCheckConstraint('directory_phones_one_owner', sql`num_nonnulls(organization_id, location_id, service_id) = 1`)
    .execute();
  await db.schema
    .createIndex('directory_phones_organization')
    .on('directory_phones')
    .column('organization_id')
    .execute();
  await db.schema.createIndex('directory_phones_location').on('directory_phones').column('location_id').execute();
  await db.schema.createIndex('directory_phones_service').on('directory_phones').column('service_id').execute();

  // Weekly opening intervals on Milan's wall clock (HSDS schedule, freq WEEKLY).
  await db.schema
    .createTable('directory_schedules')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (col) => col.references('directory_locations.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('byday', sql`text[]`, (col) => col.notNull())
    .addColumn('opens_at', 'text', (col) => col.notNull())
    .addColumn('closes_at', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .execute();
  await db.schema.createIndex('directory_schedules_service').on('directory_schedules').column('service_id').execute();

  // HSDS service_at_location.
  await db.schema
    .createTable('directory_service_locations')
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (col) => col.notNull().references('directory_locations.id'))
    .addPrimaryKeyConstraint('directory_service_locations_pk', ['service_id', 'location_id'])
    .execute();
  await db.schema
    .createIndex('directory_service_locations_location')
    .on('directory_service_locations')
    .column('location_id')
    .execute();

  // HSDS attribute, for services.
  await db.schema
    .createTable('directory_service_taxonomy_terms')
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('taxonomy_term_id', 'text', (col) => col.notNull().references('directory_taxonomy_terms.id'))
    .addPrimaryKeyConstraint('directory_service_taxonomy_terms_pk', ['service_id', 'taxonomy_term_id'])
    .execute();

  // Append-only: rows are inserted, never updated or deleted.
  await db.schema
    .createTable('directory_changes')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('changed_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'text', (col) => col.notNull())
    .addColumn('origin', 'text', (col) => col.notNull())
    .addColumn('entity_type', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'text', (col) => col.notNull())
    .addColumn('operation', 'text', (col) => col.notNull())
    .addColumn('entity_version', 'integer', (col) => col.notNull())
    .addColumn('changed_fields', sql`text[]`, (col) => col.notNull())
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('directory_changes_entity')
    .on('directory_changes')
    .columns(['entity_type', 'entity_id', 'id'])
    .execute();
  await sql`CREATE FUNCTION directory_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'directory_changes is append-only';
    END
  $$`.execute(db);
  await sql`CREATE TRIGGER directory_changes_append_only BEFORE UPDATE OR DELETE ON directory_changes
    FOR EACH ROW EXECUTE FUNCTION directory_changes_append_only()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'directory_changes',
    'directory_service_taxonomy_terms',
    'directory_service_locations',
    'directory_schedules',
    'directory_phones',
    'directory_taxonomy_terms',
    'directory_services',
    'directory_locations',
    'directory_organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION directory_changes_append_only()`.execute(db);
}
