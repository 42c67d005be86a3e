import { DateTime } from 'luxon';
import fc from 'fast-check';
import { EMPLOYEE_SUPPORT, PSYCH_EMERGENCY, SOSTIENIMI, findLine, SEED_LINES as lines } from './lines';
import type { Line } from './line';
import { easterSunday, italianCalendar, SANT_AMBROGIO } from './holidays';
import {
  addOpeningHours,
  callbackDueAt,
  callbackNumberDiscardDueAt,
  isWithinOpeningHours,
  nextOpening,
  validateLine,
} from './opening-hours';

/** A wall-clock time in Rome, as an instant. */
const rome = (local: string): string => DateTime.fromISO(local, { zone: 'Europe/Rome' }).toUTC().toISO()!;
const hoursBetween = (from: string, to: string): number =>
  DateTime.fromISO(to).diff(DateTime.fromISO(from), 'hours').hours;

describe('the lines', () => {
  it.each(lines.map((line) => [line.id, line] as const))('%s is a valid configuration', (_id, line) => {
    expect(validateLine(line)).toEqual([]);
  });

  it('are found by their stable ids', () => {
    expect(findLine('sostienimi')).toBe(SOSTIENIMI);
    expect(findLine('employee-support')).toBe(EMPLOYEE_SUPPORT);
    expect(findLine('psych-emergency')).toBe(PSYCH_EMERGENCY);
    expect(findLine('nope')).toBeUndefined();
  });

  it('keep the employee line out of the evaluators sight', () => {
    expect(EMPLOYEE_SUPPORT.aggregatesVisibleToEvaluators).toBe(false);
    expect(EMPLOYEE_SUPPORT.collectedFields).toEqual(['first_name_alias', 'callback_number']);
  });

  it('catch a broken configuration', () => {
    const broken: Line = {
      ...SOSTIENIMI,
      timeZone: 'Europe/Atlantis',
      openingHours: { kind: 'weekly', intervals: [{ weekdays: [1], opens: '17:00', closes: '09:00' }] },
    };
    expect(validateLine(broken)).toEqual([
      'unknown time zone Europe/Atlantis',
      'interval 17:00-09:00 is empty or crosses midnight',
    ]);
  });
});

describe('SostieniMi timetable', () => {
  it.each([
    ['Monday 9:00, opening', '2020-03-16T09:00', true],
    ['Monday 16:59', '2020-03-16T16:59', true],
    ['Monday 17:00, closing', '2020-03-16T17:00', false],
    ['Tuesday 10:00, before the afternoon shift', '2020-03-17T10:00', false],
    ['Tuesday 13:00', '2020-03-17T13:00', true],
    ['Tuesday 20:30', '2020-03-17T20:30', true],
    ['Thursday 21:00, closing', '2020-03-19T21:00', false],
    ['Saturday 12:00', '2020-03-21T12:00', true],
    ['Sunday 8:59', '2020-03-22T08:59', false],
    ['Sunday 9:00', '2020-03-22T09:00', true],
    ['Saturday 23:00', '2020-03-21T23:00', false],
  ])('%s: open is %s', (_label, local, open) => {
    expect(isWithinOpeningHours(SOSTIENIMI, rome(local))).toBe(open);
  });

  it('reads the time zone of the line, not of the instant', () => {
    // 08:30 UTC in winter is 09:30 in Rome: open.
    expect(isWithinOpeningHours(SOSTIENIMI, '2020-03-16T08:30:00Z')).toBe(true);
    expect(isWithinOpeningHours(SOSTIENIMI, '2020-03-16T03:30:00-05:00')).toBe(true);
  });

  it('next opening is the instant itself while open', () => {
    expect(nextOpening(SOSTIENIMI, rome('2020-03-16T10:15'))).toBe(rome('2020-03-16T10:15'));
  });

  it('next opening after a Monday evening is Tuesday 13:00', () => {
    expect(nextOpening(SOSTIENIMI, rome('2020-03-16T18:00'))).toBe(rome('2020-03-17T13:00'));
  });

  it('counts only opening time: 4 hours from Monday 15:00 end on Tuesday 15:00', () => {
    expect(addOpeningHours(SOSTIENIMI, rome('2020-03-16T15:00'), 4)).toBe(rome('2020-03-17T15:00'));
  });

  it('a voicemail left on Saturday night is due on Sunday, 4 hours after opening', () => {
    expect(callbackDueAt(SOSTIENIMI, rome('2020-03-14T23:10'))).toBe(rome('2020-03-15T13:00'));
  });

  it('spans several days when the hours exceed a shift', () => {
    // Friday 16:00 + 10 opening hours: 1 on Friday, 8 on Saturday, 1 on Sunday.
    expect(addOpeningHours(SOSTIENIMI, rome('2020-03-20T16:00'), 10)).toBe(rome('2020-03-22T10:00'));
  });

  it('refuses an instant without offset', () => {
    expect(() => isWithinOpeningHours(SOSTIENIMI, '2020-03-16T10:00')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIMESTAMP' }),
    );
  });
});

describe('daylight saving time in Europe/Rome', () => {
  describe('last Sunday of March 2020: clocks go from 2:00 to 3:00', () => {
    it('Saturday night to Sunday opening is one hour shorter', () => {
      const left = rome('2020-03-28T22:00');
      const opening = nextOpening(SOSTIENIMI, left);
      expect(opening).toBe('2020-03-29T07:00:00.000Z'); // 9:00 summer time
      expect(hoursBetween(left, opening)).toBe(10);
    });

    it('a voicemail of Saturday night is due at 13:00 summer time on Sunday', () => {
      expect(callbackDueAt(SOSTIENIMI, rome('2020-03-28T22:00'))).toBe('2020-03-29T11:00:00.000Z');
    });

    it("Sunday's 9-17 shift is still 8 real hours", () => {
      expect(addOpeningHours(SOSTIENIMI, rome('2020-03-29T09:00'), 8)).toBe('2020-03-29T15:00:00.000Z');
      expect(isWithinOpeningHours(SOSTIENIMI, '2020-03-29T14:59:00Z')).toBe(true);
      expect(isWithinOpeningHours(SOSTIENIMI, '2020-03-29T15:00:00Z')).toBe(false);
    });

    it('counts opening time across the change: Saturday 15:00 + 4 hours ends on Sunday 11:00 summer time', () => {
      expect(addOpeningHours(SOSTIENIMI, rome('2020-03-28T15:00'), 4)).toBe('2020-03-29T09:00:00.000Z');
    });

    it('the 24/7 line counts real hours through the missing hour', () => {
      const requested = '2020-03-29T01:30:00+01:00';
      expect(callbackDueAt(EMPLOYEE_SUPPORT, requested)).toBe('2020-03-29T02:30:00.000Z'); // 4:30 summer time
      expect(DateTime.fromISO('2020-03-29T02:30:00.000Z').setZone('Europe/Rome').toFormat('HH:mm')).toBe('04:30');
    });
  });

  describe('last Sunday of October 2020: clocks go from 3:00 back to 2:00', () => {
    it('Saturday night to Sunday opening is one hour longer', () => {
      const left = rome('2020-10-24T22:00');
      const opening = nextOpening(SOSTIENIMI, left);
      expect(opening).toBe('2020-10-25T08:00:00.000Z'); // 9:00 winter time
      expect(hoursBetween(left, opening)).toBe(12);
    });

    it('a voicemail of Saturday night is due at 13:00 winter time on Sunday', () => {
      expect(callbackDueAt(SOSTIENIMI, rome('2020-10-24T22:00'))).toBe('2020-10-25T12:00:00.000Z');
    });

    it("Sunday's 9-17 shift is still 8 real hours", () => {
      expect(addOpeningHours(SOSTIENIMI, rome('2020-10-25T09:00'), 8)).toBe('2020-10-25T16:00:00.000Z');
    });

    it('the 24/7 line counts real hours through the repeated hour', () => {
      const requested = '2020-10-25T01:30:00+02:00';
      expect(callbackDueAt(EMPLOYEE_SUPPORT, requested)).toBe('2020-10-25T01:30:00.000Z'); // 2:30 winter time
      expect(DateTime.fromISO('2020-10-25T01:30:00.000Z').setZone('Europe/Rome').toFormat('HH:mm')).toBe('02:30');
    });

    it('the repeated hour is outside the timetable both times', () => {
      expect(isWithinOpeningHours(SOSTIENIMI, '2020-10-25T02:30:00+02:00')).toBe(false);
      expect(isWithinOpeningHours(SOSTIENIMI, '2020-10-25T02:30:00+01:00')).toBe(false);
    });
  });
});

describe('psychological emergency timetable', () => {
  it.each([
    ['Monday 9:29', '2020-03-16T09:29', false],
    ['Monday 9:30', '2020-03-16T09:30', true],
    ['Saturday 17:59', '2020-03-21T17:59', true],
    ['Saturday 18:00', '2020-03-21T18:00', false],
    ['Sunday 12:00', '2020-03-22T12:00', false],
  ])('%s: open is %s', (_label, local, open) => {
    expect(isWithinOpeningHours(PSYCH_EMERGENCY, rome(local))).toBe(open);
  });

  it('a call-back asked on Saturday at 17:00 is due on Monday at 10:30', () => {
    expect(callbackDueAt(PSYCH_EMERGENCY, rome('2020-03-21T17:00'))).toBe(rome('2020-03-23T10:30'));
  });
});

describe('the 24/7 employee line', () => {
  it('is always open', () => {
    expect(isWithinOpeningHours(EMPLOYEE_SUPPORT, rome('2020-03-22T03:00'))).toBe(true);
    expect(nextOpening(EMPLOYEE_SUPPORT, rome('2020-03-22T03:00'))).toBe(rome('2020-03-22T03:00'));
  });

  it('calls back within 2 hours', () => {
    expect(callbackDueAt(EMPLOYEE_SUPPORT, rome('2020-03-22T03:00'))).toBe(rome('2020-03-22T05:00'));
  });
});

describe('call-back number retention', () => {
  it('ends a fixed number of real hours after the request', () => {
    expect(callbackNumberDiscardDueAt(SOSTIENIMI, '2020-03-25T10:00:00Z')).toBe('2020-04-01T10:00:00.000Z');
    expect(callbackNumberDiscardDueAt(EMPLOYEE_SUPPORT, '2020-03-25T10:00:00Z')).toBe('2020-03-27T10:00:00.000Z');
  });
});

describe('addOpeningHours', () => {
  it('with zero hours gives the next opening', () => {
    expect(addOpeningHours(SOSTIENIMI, rome('2020-03-16T20:00'), 0)).toBe(rome('2020-03-17T13:00'));
  });

  it('refuses negative hours', () => {
    expect(() => addOpeningHours(SOSTIENIMI, rome('2020-03-16T20:00'), -1)).toThrow(RangeError);
  });
});

describe('holidays', () => {
  it('computes Easter Sunday by the Gregorian rule', () => {
    expect(easterSunday(2020)).toEqual({ month: 4, day: 12 });
    expect(easterSunday(2024)).toEqual({ month: 3, day: 31 });
    expect(easterSunday(2025)).toEqual({ month: 4, day: 20 });
    expect(easterSunday(2038)).toEqual({ month: 4, day: 25 });
  });

  it('a voicemail left on the Saturday night before Easter Monday is due on Tuesday, 4 hours after opening', () => {
    // Easter 2020: Sunday 12 April and Monday 13 April are holidays; Tuesday's shift opens at 13:00.
    expect(isWithinOpeningHours(SOSTIENIMI, rome('2020-04-13T10:00'))).toBe(false);
    expect(nextOpening(SOSTIENIMI, rome('2020-04-11T22:00'))).toBe(rome('2020-04-14T13:00'));
    expect(callbackDueAt(SOSTIENIMI, rome('2020-04-11T22:00'))).toBe(rome('2020-04-14T17:00'));
  });

  it('the psychological emergency line, Saturday evening before Easter: Tuesday at 11:30', () => {
    expect(callbackDueAt(PSYCH_EMERGENCY, rome('2020-04-11T19:00'))).toBe(rome('2020-04-14T11:30'));
  });

  it('a call-back asked on 24 December in the evening is due on 27 December (Christmas and Santo Stefano closed)', () => {
    // Thursday 24 December 2020, 22:00, after the 13-21 shift; the 27th is a Sunday, open 9-17.
    expect(callbackDueAt(SOSTIENIMI, rome('2020-12-24T22:00'))).toBe(rome('2020-12-27T13:00'));
    expect(isWithinOpeningHours(SOSTIENIMI, rome('2020-12-25T10:00'))).toBe(false);
    expect(isWithinOpeningHours(SOSTIENIMI, rome('2020-12-26T10:00'))).toBe(false);
  });

  it('counts opening time up to the holiday: 24 December 19:00 + 4 hours ends on 27 December at 11:00', () => {
    expect(addOpeningHours(SOSTIENIMI, rome('2020-12-24T19:00'), 4)).toBe(rome('2020-12-27T11:00'));
  });

  it("a Milan line is closed on Sant'Ambrogio (7 December) and the Immacolata (8 December)", () => {
    // Sunday 6 December 2020 after 17:00: Monday the 7th and Tuesday the 8th are closed, Wednesday opens at 9:00.
    expect(isWithinOpeningHours(SOSTIENIMI, rome('2020-12-07T10:00'))).toBe(false);
    expect(callbackDueAt(SOSTIENIMI, rome('2020-12-06T18:00'))).toBe(rome('2020-12-09T13:00'));
  });

  it('a line elsewhere has its own patron saint, not Milan’s', () => {
    const rome2020 = { ...SOSTIENIMI, holidays: italianCalendar('06-29') };
    expect(isWithinOpeningHours(rome2020, rome('2020-12-07T10:00'))).toBe(true);
    expect(isWithinOpeningHours(rome2020, rome('2020-06-29T10:00'))).toBe(false);
  });

  it("follows the line's own exceptions: a closure of its own, and a holiday it opens", () => {
    const withExceptions = {
      ...SOSTIENIMI,
      holidays: italianCalendar(SANT_AMBROGIO, { closedOn: ['2020-03-16'], openOn: ['2020-12-26'] }),
    };
    expect(isWithinOpeningHours(withExceptions, rome('2020-03-16T10:00'))).toBe(false);
    expect(isWithinOpeningHours(SOSTIENIMI, rome('2020-03-16T10:00'))).toBe(true);
    expect(isWithinOpeningHours(withExceptions, rome('2020-12-26T10:00'))).toBe(true);
    expect(callbackDueAt(withExceptions, rome('2020-12-24T22:00'))).toBe(rome('2020-12-26T13:00'));
  });

  it('leaves the 24/7 line open on holidays', () => {
    expect(isWithinOpeningHours(EMPLOYEE_SUPPORT, rome('2020-12-25T03:00'))).toBe(true);
    expect(callbackDueAt(EMPLOYEE_SUPPORT, rome('2020-12-25T03:00'))).toBe(rome('2020-12-25T05:00'));
  });

  it('catches a malformed calendar', () => {
    const broken = { ...SOSTIENIMI, holidays: italianCalendar('7 dicembre', { closedOn: ['2020-13-01'] }) };
    expect(validateLine(broken)).toEqual(['bad holiday 7 dicembre', 'bad date 2020-13-01']);
  });
});

describe('days kept once worked out', () => {
  // A copy of a line is a new object, so it starts with no days kept: its answers are worked out afresh.
  const afresh = (line: Line): Line => ({ ...line });

  it('give the answers a fresh line gives, whatever order the days were asked in', () => {
    const instant = fc
      .integer({ min: Date.parse('2019-01-01T00:00:00Z'), max: Date.parse('2022-12-31T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.array(instant, { minLength: 1, maxLength: 40 }), (line, instants) => {
        const kept = afresh(line);
        const asked = instants.map((at) => [isWithinOpeningHours(kept, at), callbackDueAt(kept, at)]);
        // The same questions again, in the other order, to a line that keeps them and to fresh copies.
        const again = [...instants].reverse().map((at) => [isWithinOpeningHours(kept, at), callbackDueAt(kept, at)]);
        const fresh = instants.map((at) => [isWithinOpeningHours(afresh(line), at), callbackDueAt(afresh(line), at)]);
        expect(asked).toEqual(fresh);
        expect(again.reverse()).toEqual(fresh);
      }),
      { numRuns: 60 },
    );
  });

  it('still answer right past the number of days kept per line (the oldest are dropped)', () => {
    const line = afresh(SOSTIENIMI);
    // Twelve years of days, more than are kept, then the first ones again.
    const start = DateTime.fromISO('2010-01-04T10:00:00', { zone: 'Europe/Rome' });
    const days = Array.from({ length: 12 * 366 }, (_, index) => start.plus({ days: index }).toUTC().toISO()!);
    for (const at of days) isWithinOpeningHours(line, at);
    for (const at of days.slice(0, 30)) {
      expect(isWithinOpeningHours(line, at)).toBe(isWithinOpeningHours(afresh(SOSTIENIMI), at));
      expect(nextOpening(line, at)).toBe(nextOpening(afresh(SOSTIENIMI), at));
    }
  });
});
