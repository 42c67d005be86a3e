import fc from 'fast-check';
import { instantsInUtc } from './instant-format';

/** What every answer's instants were turned into before the canonical ones were left alone. */
function parsedAgain(value: string): string {
  const millis = Date.parse(value);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : value;
}

describe('instantsInUtc', () => {
  it('writes an instant in UTC with milliseconds, and leaves dates and texts alone', () => {
    expect(
      instantsInUtc({
        at: '2026-11-24T10:15:00+01:00',
        pg: '2026-11-24T09:15:00+0000',
        day: '2026-11-24',
        note: 'call back at 10',
        nested: [{ due: '2026-11-24T09:15:00.5Z' }],
      }),
    ).toEqual({
      at: '2026-11-24T09:15:00.000Z',
      pg: '2026-11-24T09:15:00.000Z',
      day: '2026-11-24',
      note: 'call back at 10',
      nested: [{ due: '2026-11-24T09:15:00.500Z' }],
    });
  });

  it('answers every string in the canonical shape exactly as parsing it again would', () => {
    const digits = (length: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
    const canonicalShape = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(
        ([year, month, day, hour, minute, second, ms]) => `${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`,
      );
    fc.assert(
      fc.property(canonicalShape, (value) => {
        expect(instantsInUtc(value)).toBe(parsedAgain(value));
      }),
      { numRuns: 5000 },
    );
    for (const value of ['2026-02-30T10:00:00.000Z', '2026-04-31T23:59:59.999Z', '2026-01-01T24:00:00.000Z'])
      expect(instantsInUtc(value)).toBe(parsedAgain(value));
  });
});
