import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { timeZone } from './time-zone';

describe('timeZone: cached offsets', () => {
  // Rome (DST at 01:00 UTC), Lord Howe (a 30-minute DST shift), Kathmandu (+05:45, once +05:30), New York.
  const names = ['Europe/Rome', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/New_York'];

  it('gives the offset luxon computes for any instant, across the transitions of several zones', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.integer({ min: Date.UTC(1880, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (name, ts) => {
          expect(timeZone(name).offset(ts)).toBe(IANAZone.create(name).offset(ts));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('is exact to the millisecond around a change of offset', () => {
    const rome = timeZone('Europe/Rome');
    const change = Date.UTC(2020, 2, 29, 1, 0, 0); // 29 March 2020, 02:00 in Rome becomes 03:00
    for (const ts of [change - 1, change, change + 1, change - 60_000, change + 14 * 60_000]) {
      expect(rome.offset(ts)).toBe(IANAZone.create('Europe/Rome').offset(ts));
    }
    expect(rome.offset(change - 1)).toBe(60);
    expect(rome.offset(change)).toBe(120);
  });

  it('formats and compares as the named zone does', () => {
    const instant = DateTime.fromISO('2020-07-01T10:00:00Z');
    const cached = instant.setZone(timeZone('Europe/Rome'));
    const named = instant.setZone('Europe/Rome');
    expect(cached.toISO()).toBe(named.toISO());
    expect(cached.toFormat('yyyy-LL-dd HH:mm ZZZZ')).toBe(named.toFormat('yyyy-LL-dd HH:mm ZZZZ'));
    expect(cached.zone.equals(named.zone)).toBe(true);
    expect(cached.startOf('day').toISO()).toBe(named.startOf('day').toISO());
  });
});
