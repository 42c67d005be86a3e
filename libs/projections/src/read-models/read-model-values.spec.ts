import {
  decodeCursor,
  encodeCursor,
  linesToFilter,
  pageLimit,
  ReadModelQueryError,
  toInstant,
} from './read-model-values';

describe('read-model values', () => {
  it("reads a line scope: '*' (alone or in a list) is every line, an empty list is none", () => {
    expect(linesToFilter('*')).toBeNull();
    expect(linesToFilter(['sostienimi', '*'])).toBeNull();
    expect(linesToFilter([])).toEqual([]);
    expect(linesToFilter(['sostienimi', 'sostienimi', 'psych-emergency'])).toEqual(['sostienimi', 'psych-emergency']);
    expect(() => linesToFilter('sostienimi' as never)).toThrow(ReadModelQueryError);
  });

  it('keeps a cursor to its own listing and shape', () => {
    const cursor = encodeCursor('listing', ['2020-03-15T12:00:00.000Z', 3, 'case']);
    expect(decodeCursor('listing', cursor, ['instant', 'number', 'string'])).toEqual([
      '2020-03-15T12:00:00.000Z',
      3,
      'case',
    ]);
    expect(() => decodeCursor('other', cursor, ['instant', 'number', 'string'])).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
    expect(() => decodeCursor('listing', cursor, ['instant', 'string', 'string'])).toThrow(ReadModelQueryError);
    expect(() => decodeCursor('listing', 'garbage!', ['string'])).toThrow(ReadModelQueryError);
  });

  it('takes instants with an offset, cut to milliseconds in UTC, and page sizes from 1 to 200', () => {
    expect(toInstant('2020-03-15T13:00:00.123456+01:00', 'now')).toBe('2020-03-15T12:00:00.123Z');
    expect(toInstant(new Date('2020-03-15T12:00:00Z'), 'now')).toBe('2020-03-15T12:00:00.000Z');
    expect(() => toInstant('2020-03-15T13:00', 'now')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIMESTAMP', field: 'now' }),
    );
    expect(pageLimit(undefined)).toBe(50);
    expect(() => pageLimit({ limit: 201 })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE', field: 'limit' }));
  });
});
