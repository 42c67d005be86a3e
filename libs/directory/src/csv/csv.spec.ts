import fc from 'fast-check';
import { CsvSyntaxError, formatCsv, formatCsvTable, parseCsv, parseCsvTable } from './csv';

describe('CSV (RFC 4180)', () => {
  describe('reading', () => {
    it('splits records on CRLF and fields on commas', () => {
      expect(parseCsv('a,b,c\r\n1,2,3\r\n')).toEqual([
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ]);
    });

    it('accepts LF and CR line breaks and a missing final line break', () => {
      expect(parseCsv('a,b\n1,2')).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
      expect(parseCsv('a,b\r1,2\r')).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
    });

    it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
      expect(parseCsv('"Via Roma, 1","Il ""Ponte""","riga uno\r\nriga due\nriga tre"\r\nx,y,z\r\n')).toEqual([
        ['Via Roma, 1', 'Il "Ponte"', 'riga uno\r\nriga due\nriga tre'],
        ['x', 'y', 'z'],
      ]);
    });

    it('keeps empty fields, quoted or not, and spaces as they are', () => {
      expect(parseCsv(',"",  a ,\r\n')).toEqual([['', '', '  a ', '']]);
    });

    it('reads an empty line as one empty field and an empty text as no record', () => {
      expect(parseCsv('')).toEqual([]);
      expect(parseCsv('\r\n')).toEqual([['']]);
      expect(parseCsv('a\r\n\r\nb\r\n')).toEqual([['a'], [''], ['b']]);
    });

    it('skips a UTF-8 byte-order mark and keeps accents', () => {
      expect(parseCsv('\uFEFFnome,città\r\nComunità,Milano\r\n')).toEqual([
        ['nome', 'città'],
        ['Comunità', 'Milano'],
      ]);
    });

    it('refuses an unterminated quoted field, a quote inside an unquoted field and text after a closing quote', () => {
      expect(() => parseCsv('a,"b\r\nc,d\r\n')).toThrow(CsvSyntaxError);
      expect(() => parseCsv('a,b"c\r\n')).toThrow(/a quote inside an unquoted field/);
      expect(() => parseCsv('"a"b,c\r\n')).toThrow(/text after a closing quote/);
    });

    it('names the record and line of a syntax error', () => {
      try {
        parseCsv('a,b\r\n"multi\nline",ok\r\nbad"field,x\r\n');
        throw new Error('expected a syntax error');
      } catch (error) {
        expect(error).toBeInstanceOf(CsvSyntaxError);
        expect(error).toMatchObject({ record: 3, line: 4 });
      }
    });
  });

  describe('writing', () => {
    it('quotes only the fields that need it and ends every record with CRLF', () => {
      expect(formatCsv([['plain', 'with, comma', 'with "quote"', 'with\nnewline', 'with\rreturn', '']])).toBe(
        'plain,"with, comma","with ""quote""","with\nnewline","with\rreturn",\r\n',
      );
    });

    it('reads back what it writes, whatever the text', () => {
      const field = fc.string({ unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\r', '\n', 'x', '€') });
      fc.assert(
        fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 6 }), (records) => {
          expect(parseCsv(formatCsv(records))).toEqual(records);
        }),
      );
    });
  });

  describe('tables', () => {
    it('reads a header and one object per record, skipping blank lines', () => {
      expect(parseCsvTable('id,name\r\n1,Uno\r\n\r\n2,"Due, tre"\r\n')).toEqual({
        columns: ['id', 'name'],
        rows: [
          { id: '1', name: 'Uno' },
          { id: '2', name: 'Due, tre' },
        ],
      });
    });

    it('refuses a record with another number of fields than the header, and duplicate columns', () => {
      expect(() => parseCsvTable('id,name\r\n1,Uno,extra\r\n')).toThrow(/has 3 fields, the header has 2/);
      expect(() => parseCsvTable('id,id\r\n1,2\r\n')).toThrow(/column id appears twice/);
    });

    it('writes the columns in the order given, missing values as empty fields', () => {
      const text = formatCsvTable(
        ['id', 'name', 'note'],
        [
          { id: '1', name: 'Uno' },
          { id: '2', note: 'a "b"' },
        ],
      );
      expect(text).toBe('id,name,note\r\n1,Uno,\r\n2,,"a ""b"""\r\n');
      expect(parseCsvTable(text).rows).toEqual([
        { id: '1', name: 'Uno', note: '' },
        { id: '2', name: '', note: 'a "b"' },
      ]);
    });
  });
});
