import { DateTime } from 'luxon';
import { isWithinOpeningHours, SOSTIENIMI, type RecordFirstContact } from '@helpline/domain';
import { planHistory, PUBLISHED_AGE_SHARES, PUBLISHED_CONTACTS, type HistoryPlan } from './history-plan';
import { apportion, Prng } from './prng';

function contactsOf(plan: HistoryPlan) {
  const firstContacts = new Map<string, Omit<RecordFirstContact, 'type' | 'caseId' | 'occurredAt'>>();
  const contacts: Array<{ callerType: string; ageBand: string; gender: string; at: string; outOfHours: boolean }> = [];
  for (const planned of plan.commands) {
    if (planned.step.kind !== 'command') continue;
    const command = planned.step.command;
    if (command.type === 'RecordFirstContact') firstContacts.set(planned.caseId, command);
    if (command.type === 'RecordFirstContact' || command.type === 'RecordFollowUpContact') {
      const first = firstContacts.get(planned.caseId)!;
      contacts.push({
        callerType: first.callerType,
        ageBand: first.ageBand,
        gender: first.gender,
        at: planned.at,
        outOfHours: command.outOfHours,
      });
    }
  }
  return contacts;
}

const countBy = <T>(items: readonly T[], key: (item: T) => string) =>
  items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});

describe('the planned SostieniMi history', () => {
  const plan = planHistory({ seed: 2019 });
  const contacts = contactsOf(plan);

  it('has exactly the published contacts by type of caller, first contacts and follow-ups together', () => {
    expect(contacts).toHaveLength(952);
    expect(countBy(contacts, (c) => c.callerType)).toEqual(PUBLISHED_CONTACTS);
    expect(plan.contacts).toBe(952);
  });

  it('has the published age bands and a majority of women', () => {
    const byAge = countBy(contacts, (c) => c.ageBand);
    for (const [band, share] of Object.entries(PUBLISHED_AGE_SHARES))
      expect(Math.abs(byAge[band]! / 952 - share)).toBeLessThan(0.005);
    const byGender = countBy(contacts, (c) => c.gender);
    expect(byGender.female! / 952).toBeGreaterThan(0.5);
  });

  it('spans September 2019 to November 2020 on the line’s timetable, in time order', () => {
    const months = new Set(contacts.map((c) => DateTime.fromISO(c.at).setZone('Europe/Rome').toFormat('yyyy-LL')));
    expect([...months].sort()).toEqual([
      '2019-09',
      '2019-10',
      '2019-11',
      '2019-12',
      '2020-01',
      '2020-02',
      '2020-03',
      '2020-04',
      '2020-05',
      '2020-06',
      '2020-07',
      '2020-08',
      '2020-09',
      '2020-10',
      '2020-11',
    ]);
    for (const contact of contacts) expect(contact.outOfHours).toBe(!isWithinOpeningHours(SOSTIENIMI, contact.at));
    const times = plan.commands.map((c) => c.at);
    expect([...times].sort()).toEqual(times);
  });

  it('is the same for the same seed, another for another seed, and scales with the same shape', () => {
    expect(planHistory({ seed: 2019 }).commands).toEqual(plan.commands);
    expect(planHistory({ seed: 7 }).commands[0]!.caseId).not.toBe(plan.commands[0]!.caseId);
    const double = contactsOf(planHistory({ seed: 2019, scale: 2 }));
    expect(countBy(double, (c) => c.callerType)).toEqual(
      Object.fromEntries(Object.entries(PUBLISHED_CONTACTS).map(([k, v]) => [k, v * 2])),
    );
  });

  it('refers people to services, and some of them are taken into care', () => {
    const types = countBy(
      plan.commands.filter((c) => c.step.kind === 'command'),
      (c) => (c.step.kind === 'command' ? c.step.command.type : ''),
    );
    expect(types.ProposeReferral).toBeGreaterThan(60);
    expect(types.HandoffAccepted ?? types.AcceptHandoff).toBeGreaterThan(30);
    expect(types.RecordTakenIntoCare).toBeGreaterThan(15);
    expect(types.DeclineHandoff).toBeGreaterThan(5);
  });
});

describe('the seeded generator', () => {
  it('is mulberry32: the same seed gives the same numbers', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(new Prng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('apportions a total exactly', () => {
    expect(apportion(10, { a: 1, b: 1, c: 1 })).toEqual({ a: 4, b: 3, c: 3 });
  });
});
