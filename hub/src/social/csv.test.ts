import { describe, expect, it } from 'vitest';
import { detectSeparator, parseCsv } from './csv.ts';

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields: separators, doubled quotes and line breaks inside quotes', () => {
    const { records, errors } = parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\nplain,,last\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      // the record after a two-line field starts on line 4
      { line: 4, fields: ['plain', '', 'last'] },
    ]);
  });

  it('strips a byte-order mark, accepts CRLF, skips blank lines and a missing final newline', () => {
    const { records } = parseCsv('\ufeffa;b\r\n1;2\r\n\r\n3;4');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 4, fields: ['3', '4'] },
    ]);
  });

  it('guesses the separator from the header, ignoring quoted text', () => {
    expect(detectSeparator('district;indicator;period;value;individuals\n')).toBe(';');
    expect(detectSeparator('district,indicator,period,value,individuals\n')).toBe(',');
    expect(detectSeparator('"a;b;c",d\n')).toBe(',');
    expect(parseCsv('a;b\n"1,5";2\n').records[1].fields).toEqual(['1,5', '2']);
  });

  it('reports syntax errors with line and field, and leaves those records out', () => {
    const { records, errors } = parseCsv('a,b\n"open,1\n');
    expect(records).toHaveLength(1);
    expect(errors).toEqual([{ line: 2, field: 1, message: expect.stringContaining('never closed') }]);

    const stray = parseCsv('a,b\n1,x"y\n"q"z,2\n3,4\n');
    expect(stray.errors).toEqual([
      { line: 2, field: 2, message: expect.stringContaining('quote inside an unquoted field') },
      { line: 3, field: 1, message: expect.stringContaining('after the closing quote') },
    ]);
    expect(stray.records.map((r) => r.line)).toEqual([1, 4]);
  });
});
