import fc from 'fast-check';
import { DirectoryValidationError } from '../directory.errors';
import type { WeeklySchedule } from '../directory.model';
import { WEEKDAYS } from '../directory.vocabularies';
import { isIntervalOpen, isOpenAt, wallClockAt } from './opening-hours';

type Interval = Pick<WeeklySchedule, 'byday' | 'opensAt' | 'closesAt'>;

const officeHours: Interval = { byday: ['MO', 'TU', 'WE', 'TH', 'FR'], opensAt: '09:00', closesAt: '17:00' };
const allDays = [...WEEKDAYS];

describe('open now, on the wall clock of Milan', () => {
  describe('a weekday office (MO-FR 09:00-17:00)', () => {
    it('opens at 09:00 and closes at 17:00 local time, opening included and closing excluded', () => {
      // Wednesday 25 November 2026, winter time (UTC+1).
      expect(isOpenAt([officeHours], '2026-11-25T08:59:00+01:00')).toBe(false);
      expect(isOpenAt([officeHours], '2026-11-25T09:00:00+01:00')).toBe(true);
      expect(isOpenAt([officeHours], '2026-11-25T16:59:59+01:00')).toBe(true);
      expect(isOpenAt([officeHours], '2026-11-25T17:00:00+01:00')).toBe(false);
    });

    it('is closed at the weekend', () => {
      expect(isOpenAt([officeHours], '2026-11-28T10:00:00+01:00')).toBe(false);
      expect(isOpenAt([officeHours], '2026-11-29T10:00:00+01:00')).toBe(false);
    });

    it('reads an instant given in any offset, or as a Date, on Milan time', () => {
      expect(isOpenAt([officeHours], '2026-11-25T08:30:00Z')).toBe(true); // 09:30 in Milan
      expect(isOpenAt([officeHours], '2026-11-25T16:30:00Z')).toBe(false); // 17:30 in Milan
      expect(isOpenAt([officeHours], new Date('2026-11-25T08:30:00Z'))).toBe(true);
      expect(isOpenAt([officeHours], '2026-11-25T03:30:00-05:00')).toBe(true);
    });

    it('follows the local clock across the spring change: the same UTC hour is an hour later in Milan', () => {
      // Friday 27 March 2026 is winter time, Monday 30 March summer time (clocks went forward on Sunday 29).
      expect(isOpenAt([officeHours], '2026-03-27T15:30:00Z')).toBe(true); // 16:30 CET
      expect(isOpenAt([officeHours], '2026-03-30T15:30:00Z')).toBe(false); // 17:30 CEST
      expect(isOpenAt([officeHours], '2026-03-27T07:30:00Z')).toBe(false); // 08:30 CET
      expect(isOpenAt([officeHours], '2026-03-30T07:30:00Z')).toBe(true); // 09:30 CEST
    });

    it('follows the local clock across the autumn change', () => {
      // Friday 23 October 2026 is summer time, Monday 26 October winter time (clocks went back on Sunday 25).
      expect(isOpenAt([officeHours], '2026-10-23T07:30:00Z')).toBe(true); // 09:30 CEST
      expect(isOpenAt([officeHours], '2026-10-26T07:30:00Z')).toBe(false); // 08:30 CET
      expect(isOpenAt([officeHours], '2026-10-23T15:30:00Z')).toBe(false); // 17:30 CEST
      expect(isOpenAt([officeHours], '2026-10-26T15:30:00Z')).toBe(true); // 16:30 CET
    });
  });

  describe('on the day the clocks go forward (Sunday 29 March 2026, 02:00 CET becomes 03:00 CEST)', () => {
    const earlySunday: Interval = { byday: ['SU'], opensAt: '01:00', closesAt: '04:00' };

    it('an interval spanning the change is open for one hour less in real time', () => {
      expect(isOpenAt([earlySunday], '2026-03-28T23:59:00Z')).toBe(false); // 00:59 CET
      expect(isOpenAt([earlySunday], '2026-03-29T00:00:00Z')).toBe(true); // 01:00 CET
      expect(isOpenAt([earlySunday], '2026-03-29T00:59:00Z')).toBe(true); // 01:59 CET
      expect(isOpenAt([earlySunday], '2026-03-29T01:00:00Z')).toBe(true); // 03:00 CEST
      expect(isOpenAt([earlySunday], '2026-03-29T01:59:00Z')).toBe(true); // 03:59 CEST
      expect(isOpenAt([earlySunday], '2026-03-29T02:00:00Z')).toBe(false); // 04:00 CEST: 2 real hours after opening
    });

    it('an interval inside the skipped hour never opens that day', () => {
      const skipped: Interval = { byday: ['SU'], opensAt: '02:00', closesAt: '03:00' };
      const minutes = Array.from(
        { length: 24 * 60 },
        (_, minute) => new Date(Date.parse('2026-03-28T23:00:00Z') + minute * 60_000),
      );
      expect(minutes.some((at) => isOpenAt([skipped], at))).toBe(false);
      // ...while it does on an ordinary Sunday.
      expect(isOpenAt([skipped], '2026-04-05T02:30:00+02:00')).toBe(true);
    });

    it('a night service open across the change closes at its local closing time', () => {
      const night: Interval = { byday: ['SA'], opensAt: '22:00', closesAt: '06:00' };
      expect(isOpenAt([night], '2026-03-28T21:00:00Z')).toBe(true); // Saturday 22:00 CET
      expect(isOpenAt([night], '2026-03-29T03:59:00Z')).toBe(true); // Sunday 05:59 CEST
      expect(isOpenAt([night], '2026-03-29T04:00:00Z')).toBe(false); // Sunday 06:00 CEST: 7 real hours
    });
  });

  describe('on the day the clocks go back (Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET)', () => {
    it('an interval covering the repeated hour is open both times it happens', () => {
      const repeated: Interval = { byday: ['SU'], opensAt: '02:00', closesAt: '03:00' };
      expect(isOpenAt([repeated], '2026-10-24T23:59:00Z')).toBe(false); // 01:59 CEST
      expect(isOpenAt([repeated], '2026-10-25T00:00:00Z')).toBe(true); // 02:00 CEST
      expect(isOpenAt([repeated], '2026-10-25T00:59:00Z')).toBe(true); // 02:59 CEST
      expect(isOpenAt([repeated], '2026-10-25T01:00:00Z')).toBe(true); // 02:00 CET, again
      expect(isOpenAt([repeated], '2026-10-25T01:59:00Z')).toBe(true); // 02:59 CET
      expect(isOpenAt([repeated], '2026-10-25T02:00:00Z')).toBe(false); // 03:00 CET
    });

    it('a night service open across the change is open an hour longer in real time', () => {
      const night: Interval = { byday: ['SA'], opensAt: '22:00', closesAt: '06:00' };
      expect(isOpenAt([night], '2026-10-24T19:59:00Z')).toBe(false); // Saturday 21:59 CEST
      expect(isOpenAt([night], '2026-10-24T20:00:00Z')).toBe(true); // Saturday 22:00 CEST
      expect(isOpenAt([night], '2026-10-25T04:59:00Z')).toBe(true); // Sunday 05:59 CET
      expect(isOpenAt([night], '2026-10-25T05:00:00Z')).toBe(false); // Sunday 06:00 CET: 9 real hours
    });
  });

  describe('intervals past midnight', () => {
    const weekendNights: Interval = { byday: ['FR', 'SA'], opensAt: '22:00', closesAt: '04:00' };

    it('belong to the day they open on', () => {
      expect(isOpenAt([weekendNights], '2026-11-27T23:00:00+01:00')).toBe(true); // Friday night
      expect(isOpenAt([weekendNights], '2026-11-28T03:00:00+01:00')).toBe(true); // Saturday small hours, Friday's night
      expect(isOpenAt([weekendNights], '2026-11-29T03:00:00+01:00')).toBe(true); // Sunday small hours, Saturday's night
      expect(isOpenAt([weekendNights], '2026-11-30T03:00:00+01:00')).toBe(false); // Monday small hours: Sunday has no night
      expect(isOpenAt([weekendNights], '2026-11-27T03:00:00+01:00')).toBe(false); // Friday small hours: Thursday has no night
      expect(isOpenAt([weekendNights], '2026-11-28T04:00:00+01:00')).toBe(false);
      expect(isOpenAt([weekendNights], '2026-11-28T12:00:00+01:00')).toBe(false);
    });

    it('00:00-00:00 is the whole day', () => {
      const always: Interval = { byday: allDays, opensAt: '00:00', closesAt: '00:00' };
      expect(isOpenAt([always], '2026-11-25T00:00:00+01:00')).toBe(true);
      expect(isOpenAt([always], '2026-11-25T23:59:59+01:00')).toBe(true);
      const mondaysOnly: Interval = { byday: ['MO'], opensAt: '00:00', closesAt: '00:00' };
      expect(isOpenAt([mondaysOnly], '2026-11-23T23:59:00+01:00')).toBe(true);
      expect(isOpenAt([mondaysOnly], '2026-11-24T00:00:00+01:00')).toBe(false);
    });
  });

  it('is open when any schedule is, and never without a schedule', () => {
    const afternoon: Interval = { byday: ['TH'], opensAt: '16:30', closesAt: '19:00' };
    expect(isOpenAt([officeHours, afternoon], '2026-11-26T18:00:00+01:00')).toBe(true);
    expect(isOpenAt([officeHours, afternoon], '2026-11-25T18:00:00+01:00')).toBe(false);
    expect(isOpenAt([], '2026-11-25T10:00:00+01:00')).toBe(false);
  });

  it('refuses an instant without an offset, since daylight saving makes a bare local time ambiguous', () => {
    expect(() => isOpenAt([officeHours], '2026-10-25T02:30:00')).toThrow(DirectoryValidationError);
    expect(() => isOpenAt([officeHours], 'yesterday')).toThrow(DirectoryValidationError);
    expect(() => isOpenAt([officeHours], new Date(Number.NaN))).toThrow(DirectoryValidationError);
  });

  it('reads the wall clock, weekday and the day before', () => {
    expect(wallClockAt('2026-03-29T01:30:00Z')).toEqual({
      weekday: 'SU',
      previousWeekday: 'SA',
      minuteOfDay: 3 * 60 + 30,
      time: '03:30',
    });
    expect(wallClockAt('2026-11-23T00:10:00+01:00')).toEqual({
      weekday: 'MO',
      previousWeekday: 'SU',
      minuteOfDay: 10,
      time: '00:10',
    });
  });

  describe('properties', () => {
    const time = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const days = fc.subarray([...WEEKDAYS], { minLength: 1 });
    const instant = fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2035-12-31T23:59:59Z'),
      noInvalidDate: true,
    });

    it('an interval split in two at any minute is open exactly when the whole one is', () => {
      fc.assert(
        fc.property(days, time, time, time, instant, (byday, a, b, c, at) => {
          const [opens, split, closes] = [a, b, c].sort();
          fc.pre(opens! < split! && split! < closes!);
          const clock = wallClockAt(at);
          const whole = isIntervalOpen({ byday, opensAt: opens!, closesAt: closes! }, clock);
          const parts =
            isIntervalOpen({ byday, opensAt: opens!, closesAt: split! }, clock) ||
            isIntervalOpen({ byday, opensAt: split!, closesAt: closes! }, clock);
          return whole === parts;
        }),
      );
    });

    it('an interval past midnight is its evening plus the next morning', () => {
      fc.assert(
        fc.property(days, time, time, instant, (byday, a, b, at) => {
          const [closes, opens] = [a, b].sort();
          fc.pre(closes! < opens!);
          const clock = wallClockAt(at);
          const next = (day: (typeof WEEKDAYS)[number]) => WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % 7]!;
          const overnight = isIntervalOpen({ byday, opensAt: opens!, closesAt: closes! }, clock);
          const evening = isIntervalOpen({ byday, opensAt: opens!, closesAt: '00:00' }, clock);
          const morning =
            closes! > '00:00' && isIntervalOpen({ byday: byday.map(next), opensAt: '00:00', closesAt: closes! }, clock);
          return overnight === (evening || morning);
        }),
      );
    });

    it('every day at every hour for a service that never closes', () => {
      fc.assert(fc.property(instant, (at) => isOpenAt([{ byday: allDays, opensAt: '00:00', closesAt: '00:00' }], at)));
    });
  });
});
