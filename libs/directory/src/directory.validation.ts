import { DirectoryValidationError } from './directory.errors';
import type {
  Address,
  HandoffContact,
  LocationData,
  OrganizationData,
  Phone,
  ServiceData,
  TaxonomyTermData,
  WeeklySchedule,
} from './directory.model';
import {
  CONCERNS_TREATED,
  ENTRY_STATUSES,
  EntryStatus,
  LOCATION_TYPES,
  MUNICIPI,
  PHONE_TYPES,
  SERVICE_TYPES,
  TARGET_GROUPS,
  WEEKDAYS,
  isOneOf,
} from './directory.vocabularies';

/*
 * Turns an input (typed or straight from JSON/CSV) into the canonical data of an entry, or throws
 * `DirectoryValidationError` naming the first offending field. Canonical means: blank strings become null, strings
 * are trimmed, vocabulary lists are de-duplicated and put in vocabulary order, id lists are sorted; so two inputs
 * that mean the same thing give equal data, and an unchanged import is recognised as unchanged.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_NUMBER = /^\+?[0-9][0-9 ./()-]{1,30}$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(:00)?$/;
const COUNTRY = /^[A-Z]{2}$/;
const SHORT_TEXT = 300;
const LONG_TEXT = 4000;
const MAX_AGE = 120;
/** A month: an agreed response time longer than that is a typing error. */
const MAX_RESPONSE_HOURS = 720;
const MAX_LIST = 50;

type Fields = Record<string, unknown>;

export function isDirectoryId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

export function requireId(value: unknown, field: string): string {
  if (!isDirectoryId(value)) {
    throw new DirectoryValidationError(
      field,
      'must be 1-128 letters, digits or ._:@- and start with a letter or digit',
    );
  }
  return value;
}

export function requireStatus(value: unknown, field = 'status'): EntryStatus {
  if (!isOneOf(ENTRY_STATUSES, value))
    throw new DirectoryValidationError(field, `must be one of ${ENTRY_STATUSES.join(', ')}`);
  return value;
}

/** Refuses keys a change may not carry, e.g. `status` (retire or reactivate instead) or `id`. */
export function requireOnlyKeys(changes: unknown, allowed: readonly string[]): Fields {
  const fields = requireObject(changes, 'changes');
  for (const key of Object.keys(fields)) {
    if (fields[key] === undefined) continue;
    if (!allowed.includes(key)) {
      const reason = key === 'status' ? 'is changed by retiring or reactivating the entry' : 'cannot be changed';
      throw new DirectoryValidationError(key, reason);
    }
  }
  return fields;
}

export function normalizeOrganization(input: unknown, id: string, status: EntryStatus): OrganizationData {
  const fields = requireObject(input, '');
  return {
    id: requireId(id, 'id'),
    name: requiredText(fields, 'name', SHORT_TEXT),
    alternateName: optionalText(fields, 'alternateName', SHORT_TEXT),
    description: optionalText(fields, 'description', LONG_TEXT),
    email: optionalEmail(fields, 'email'),
    website: optionalUrl(fields, 'website'),
    phones: phones(fields, 'phones', id),
    status: requireStatus(status),
  };
}

export function normalizeLocation(input: unknown, id: string, status: EntryStatus): LocationData {
  const fields = requireObject(input, '');
  const latitude = optionalNumber(fields, 'latitude', -90, 90);
  const longitude = optionalNumber(fields, 'longitude', -180, 180);
  if ((latitude === null) !== (longitude === null)) {
    throw new DirectoryValidationError(
      latitude === null ? 'latitude' : 'longitude',
      'latitude and longitude go together',
    );
  }
  const locationType = fields.locationType ?? 'physical';
  if (!isOneOf(LOCATION_TYPES, locationType)) {
    throw new DirectoryValidationError('locationType', `must be one of ${LOCATION_TYPES.join(', ')}`);
  }
  const municipio = fields.municipio ?? null;
  if (municipio !== null && !isOneOf(MUNICIPI, municipio)) {
    throw new DirectoryValidationError('municipio', `must be one of ${MUNICIPI.join(', ')}`);
  }
  return {
    id: requireId(id, 'id'),
    organizationId: requireId(fields.organizationId, 'organizationId'),
    locationType,
    name: requiredText(fields, 'name', SHORT_TEXT),
    alternateName: optionalText(fields, 'alternateName', SHORT_TEXT),
    description: optionalText(fields, 'description', LONG_TEXT),
    transportation: optionalText(fields, 'transportation', LONG_TEXT),
    latitude,
    longitude,
    address: address(fields.address, 'address'),
    municipio,
    phones: phones(fields, 'phones', id),
    status: requireStatus(status),
  };
}

export function normalizeService(input: unknown, id: string, status: EntryStatus): ServiceData {
  const fields = requireObject(input, '');
  const serviceType = fields.serviceType;
  if (!isOneOf(SERVICE_TYPES, serviceType)) {
    throw new DirectoryValidationError('serviceType', `must be one of ${SERVICE_TYPES.join(', ')}`);
  }
  const minimumAge = optionalInteger(fields, 'minimumAge', 0, MAX_AGE);
  const maximumAge = optionalInteger(fields, 'maximumAge', 0, MAX_AGE);
  if (minimumAge !== null && maximumAge !== null && minimumAge > maximumAge) {
    throw new DirectoryValidationError('maximumAge', 'must not be below minimumAge');
  }
  const locationIds = idList(fields, 'locationIds');
  const schedules = weeklySchedules(fields, 'schedules', id);
  schedules.forEach((schedule, index) => {
    if (schedule.locationId !== null && !locationIds.includes(schedule.locationId)) {
      throw new DirectoryValidationError(`schedules[${index}].locationId`, 'must be one of the service locationIds');
    }
  });
  return {
    id: requireId(id, 'id'),
    organizationId: requireId(fields.organizationId, 'organizationId'),
    name: requiredText(fields, 'name', SHORT_TEXT),
    alternateName: optionalText(fields, 'alternateName', SHORT_TEXT),
    description: optionalText(fields, 'description', LONG_TEXT),
    url: optionalUrl(fields, 'url'),
    email: optionalEmail(fields, 'email'),
    status: requireStatus(status),
    applicationProcess: optionalText(fields, 'applicationProcess', LONG_TEXT),
    feesDescription: optionalText(fields, 'feesDescription', LONG_TEXT),
    eligibilityDescription: optionalText(fields, 'eligibilityDescription', LONG_TEXT),
    minimumAge,
    maximumAge,
    serviceType,
    targetGroups: vocabularyList(fields, 'targetGroups', TARGET_GROUPS),
    concernsTreated: vocabularyList(fields, 'concernsTreated', CONCERNS_TREATED),
    areas: vocabularyList(fields, 'areas', MUNICIPI),
    handoffContact: handoffContact(fields.handoffContact, 'handoffContact'),
    phones: phones(fields, 'phones', id),
    schedules,
    locationIds,
    taxonomyTermIds: idList(fields, 'taxonomyTermIds'),
  };
}

export function normalizeTaxonomyTerm(input: unknown): TaxonomyTermData {
  const fields = requireObject(input, '');
  const id = requireId(fields.id, 'id');
  const parentId =
    fields.parentId === undefined || fields.parentId === null || fields.parentId === ''
      ? null
      : requireId(fields.parentId, 'parentId');
  if (parentId === id) throw new DirectoryValidationError('parentId', 'a term cannot be its own parent');
  return {
    id,
    code: optionalText(fields, 'code', SHORT_TEXT),
    name: requiredText(fields, 'name', SHORT_TEXT),
    description: optionalText(fields, 'description', LONG_TEXT),
    parentId,
    taxonomy: optionalText(fields, 'taxonomy', SHORT_TEXT),
  };
}

/** Accepts `HH:MM` (or `HH:MM:00`), returns `HH:MM`. */
export function normalizeTimeOfDay(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TIME.test(value.trim())) {
    throw new DirectoryValidationError(field, 'must be a Milan wall-clock time HH:MM (00:00-23:59), without offset');
  }
  return value.trim().slice(0, 5);
}

// ---- parts ----

function phones(fields: Fields, key: string, ownerId: string): Phone[] {
  const items = optionalArray(fields, key);
  const result = items.map((item, index): Phone => {
    const path = `${key}[${index}]`;
    const phone = requireObject(item, path);
    const type = phone.type === undefined || phone.type === null || phone.type === '' ? null : phone.type;
    if (type !== null && !isOneOf(PHONE_TYPES, type)) {
      throw new DirectoryValidationError(`${path}.type`, `must be one of ${PHONE_TYPES.join(', ')}`);
    }
    return {
      id:
        phone.id === undefined || phone.id === null || phone.id === ''
          ? `${ownerId}-phone-${index + 1}`
          : requireId(phone.id, `${path}.id`),
      number: phoneNumber(phone.number, `${path}.number`),
      extension: optionalText(phone, 'extension', 20, `${path}.`),
      type,
      description: optionalText(phone, 'description', SHORT_TEXT, `${path}.`),
    };
  });
  requireUniqueIds(result, key);
  return result;
}

function weeklySchedules(fields: Fields, key: string, serviceId: string): WeeklySchedule[] {
  const items = optionalArray(fields, key);
  const result = items.map((item, index): WeeklySchedule => {
    const path = `${key}[${index}]`;
    const schedule = requireObject(item, path);
    const byday = schedule.byday;
    if (!Array.isArray(byday) || byday.length === 0) {
      throw new DirectoryValidationError(`${path}.byday`, `must list at least one of ${WEEKDAYS.join(', ')}`);
    }
    for (const day of byday) {
      if (!isOneOf(WEEKDAYS, day))
        throw new DirectoryValidationError(`${path}.byday`, `must list days among ${WEEKDAYS.join(', ')}`);
    }
    const locationId =
      schedule.locationId === undefined || schedule.locationId === null || schedule.locationId === ''
        ? null
        : requireId(schedule.locationId, `${path}.locationId`);
    return {
      id:
        schedule.id === undefined || schedule.id === null || schedule.id === ''
          ? `${serviceId}-schedule-${index + 1}`
          : requireId(schedule.id, `${path}.id`),
      byday: WEEKDAYS.filter((day) => byday.includes(day)),
      opensAt: normalizeTimeOfDay(schedule.opensAt, `${path}.opensAt`),
      closesAt: normalizeTimeOfDay(schedule.closesAt, `${path}.closesAt`),
      description: optionalText(schedule, 'description', SHORT_TEXT, `${path}.`),
      locationId,
    };
  });
  requireUniqueIds(result, key);
  return result;
}

function handoffContact(value: unknown, path: string): HandoffContact | null {
  if (value === undefined || value === null) return null;
  const fields = requireObject(value, path);
  const contact: HandoffContact = {
    deskName: requiredText(fields, 'deskName', SHORT_TEXT, `${path}.`),
    phone:
      fields.phone === undefined || fields.phone === null || fields.phone === ''
        ? null
        : phoneNumber(fields.phone, `${path}.phone`),
    email: optionalEmail(fields, 'email', `${path}.`),
    responseTimeHours: optionalInteger(fields, 'responseTimeHours', 1, MAX_RESPONSE_HOURS, `${path}.`),
  };
  if (contact.phone === null && contact.email === null) {
    throw new DirectoryValidationError(path, 'a handoff contact needs a phone or an e-mail');
  }
  return contact;
}

function address(value: unknown, path: string): Address | null {
  if (value === undefined || value === null) return null;
  const fields = requireObject(value, path);
  const country = (optionalText(fields, 'country', 2, `${path}.`) ?? 'IT').toUpperCase();
  if (!COUNTRY.test(country))
    throw new DirectoryValidationError(`${path}.country`, 'must be an ISO 3166-1 alpha-2 code, e.g. IT');
  return {
    address1: requiredText(fields, 'address1', SHORT_TEXT, `${path}.`),
    address2: optionalText(fields, 'address2', SHORT_TEXT, `${path}.`),
    city: requiredText(fields, 'city', SHORT_TEXT, `${path}.`),
    postalCode: optionalText(fields, 'postalCode', 20, `${path}.`),
    stateProvince: optionalText(fields, 'stateProvince', SHORT_TEXT, `${path}.`),
    country,
  };
}

function phoneNumber(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PHONE_NUMBER.test(value.trim())) {
    throw new DirectoryValidationError(
      field,
      'must be a phone number: digits, spaces and . / ( ) -, optionally starting with +',
    );
  }
  return value.trim();
}

function vocabularyList<T extends string>(fields: Fields, key: string, vocabulary: readonly T[]): T[] {
  const items = optionalArray(fields, key);
  for (const item of items) {
    if (!isOneOf(vocabulary, item))
      throw new DirectoryValidationError(key, `${String(item)} is not one of ${vocabulary.join(', ')}`);
  }
  return vocabulary.filter((value) => items.includes(value));
}

function idList(fields: Fields, key: string): string[] {
  const items = optionalArray(fields, key).map((item, index) => requireId(item, `${key}[${index}]`));
  return [...new Set(items)].sort(compareIds);
}

/** Code-unit order, the same everywhere (the database compares ids with COLLATE "C"). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requireUniqueIds(items: Array<{ id: string }>, key: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) throw new DirectoryValidationError(`${key}[${index}].id`, `duplicate id ${item.id}`);
    seen.add(item.id);
  });
}

function requireObject(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DirectoryValidationError(path || 'input', 'must be an object');
  }
  return value as Fields;
}

function optionalArray(fields: Fields, key: string): unknown[] {
  const value = fields[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DirectoryValidationError(key, 'must be a list');
  if (value.length > MAX_LIST) throw new DirectoryValidationError(key, `must have at most ${MAX_LIST} items`);
  return value;
}

function requiredText(fields: Fields, key: string, max: number, prefix = ''): string {
  const value = optionalText(fields, key, max, prefix);
  if (value === null) throw new DirectoryValidationError(`${prefix}${key}`, 'is required');
  return value;
}

function optionalText(fields: Fields, key: string, max: number, prefix = ''): string | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new DirectoryValidationError(`${prefix}${key}`, 'must be text');
  const trimmed = value.trim();
  if (trimmed.length > max) throw new DirectoryValidationError(`${prefix}${key}`, `must be at most ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

function optionalEmail(fields: Fields, key: string, prefix = ''): string | null {
  const value = optionalText(fields, key, SHORT_TEXT, prefix);
  if (value !== null && !EMAIL.test(value))
    throw new DirectoryValidationError(`${prefix}${key}`, 'must be an e-mail address');
  return value;
}

function optionalUrl(fields: Fields, key: string): string | null {
  const value = optionalText(fields, key, LONG_TEXT);
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DirectoryValidationError(key, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DirectoryValidationError(key, 'must be an http(s) URL');
  return value;
}

function optionalNumber(fields: Fields, key: string, min: number, max: number, prefix = ''): number | null {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new DirectoryValidationError(`${prefix}${key}`, `must be a number from ${min} to ${max}`);
  }
  return value;
}

function optionalInteger(fields: Fields, key: string, min: number, max: number, prefix = ''): number | null {
  const value = optionalNumber(fields, key, min, max, prefix);
  if (value !== null && !Number.isInteger(value))
    throw new DirectoryValidationError(`${prefix}${key}`, 'must be a whole number');
  return value;
}
