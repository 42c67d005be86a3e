import type { HsdsDirectoryDocument } from '../hsds/hsds.types';
import { MUNICIPI, SERVICE_TYPES } from '../directory.vocabularies';
import { sampleDirectoryDocument } from './sample-directory';

const sample = sampleDirectoryDocument() as HsdsDirectoryDocument;
const services = sample.organizations.flatMap((organization) => organization.services);
const locations = sample.organizations.flatMap((organization) => organization.locations);

describe('the sample directory of Milan', () => {
  it('says plainly that it is sample data and not an official list', () => {
    expect(sample.sample).toBe(true);
    expect(sample.description).toMatch(/^SAMPLE DATA, NOT AN OFFICIAL LIST\./);
    for (const entry of [...sample.organizations, ...locations, ...services]) expect(entry.name).toMatch(/\(esempio\)/);
    for (const entry of [...sample.organizations, ...services]) {
      if (entry.email) expect(entry.email).toMatch(/example\.org$/);
    }
  });

  it('has 15 to 25 services covering every service type', () => {
    expect(services.length).toBeGreaterThanOrEqual(15);
    expect(services.length).toBeLessThanOrEqual(25);
    expect(new Set(services.map((service) => service.x_service_type))).toEqual(new Set(SERVICE_TYPES));
  });

  it('has several SerD and SMI services with a handoff contact and an agreed response time of 48 to 72 hours', () => {
    for (const type of ['serd', 'smi']) {
      const ofType = services.filter((service) => service.x_service_type === type);
      expect(ofType.length).toBeGreaterThanOrEqual(3);
      for (const service of ofType) {
        expect(service.x_handoff_contact).toMatchObject({
          desk_name: expect.any(String),
          response_time_hours: expect.any(Number),
        });
        expect(service.x_handoff_contact!.response_time_hours).toBeGreaterThanOrEqual(48);
        expect(service.x_handoff_contact!.response_time_hours).toBeLessThanOrEqual(72);
      }
    }
  });

  it('gives every service a schedule, and spreads services and locations across the municipi', () => {
    for (const service of services) expect(service.schedules.length).toBeGreaterThan(0);
    const served = new Set(services.flatMap((service) => service.service_areas.map((area) => area.x_municipio)));
    expect(served).toEqual(new Set(MUNICIPI));
    expect(new Set(locations.map((location) => location.x_municipio)).size).toBeGreaterThanOrEqual(7);
  });

  it('covers every substance and behaviour of the case domain', () => {
    const treated = new Set(services.flatMap((service) => service.x_concerns_treated));
    for (const concern of [
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
    ]) {
      expect(treated).toContain(concern);
    }
  });
});
