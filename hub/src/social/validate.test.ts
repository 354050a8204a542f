import { describe, expect, it } from 'vitest';
import { isPeriod, parseDecimal, validateCatalogue, validateSocialCsv } from './validate.ts';

const context = {
  districts: new Set(['north', 'south']),
  indicators: new Map([
    ['unemployment', { unit: '%' }],
    ['grades', { unit: 'karakter' }],
  ]),
};

describe('validateSocialCsv', () => {
  it('reads a valid file, any column order, decimal comma with ";"', () => {
    const csv = 'indicator;district;period;individuals;value\nunemployment;north;2025-H1;120;"4,5"\nunemployment;kommune;2025-H1;900;3,25\ngrades;south;2024/25;30;7.1\n';
    expect(validateSocialCsv(csv, context)).toEqual({
      rows: [
        { district: 'north', indicator: 'unemployment', period: '2025-H1', value: 4.5, individuals: 120 },
        { district: 'kommune', indicator: 'unemployment', period: '2025-H1', value: 3.25, individuals: 900 },
        { district: 'south', indicator: 'grades', period: '2024/25', value: 7.1, individuals: 30 },
      ],
      errors: [],
    });
  });

  it('a broken file gives every problem with its line and column, and no rows at all', () => {
    const csv = [
      'district,indicator,period,value,individuals',
      'north,unemployment,2025,4.5,120', // fine, but the file fails as a whole
      'west,unemployment,2025,4.5,120', // unknown district
      'north,unemploymnt,2025,4.5,120', // unknown indicator
      'north,unemployment,2025-13,"1.234,5",12.5', // bad period, value, individuals
      'north,unemployment,2025,104,120', // a percentage over 100
      'north,unemployment,2025,4.6,121', // a duplicate of line 2
      'south,grades,2025', // too few fields
      '"south,grades,2025,7,30', // an unclosed quote
    ].join('\n');
    const { rows, errors } = validateSocialCsv(csv, context);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'district'],
      [4, 'indicator'],
      [5, 'period'],
      [5, 'value'],
      [5, 'individuals'],
      [6, 'value'],
      [7, 'period'],
      [8, null],
      [9, 'district'],
    ]);
    expect(errors.find((e) => e.line === 7)!.message).toContain('line 2');
    expect(errors.find((e) => e.line === 5 && e.column === 'value')!.message).toContain('thousands');
  });

  it('checks the header: unknown, missing and repeated columns', () => {
    const { errors } = validateSocialCsv('district,indicator,periode,value,value\nnorth,unemployment,2025,1,10\n', context);
    expect(errors).toEqual([
      { line: 1, column: 'periode', message: expect.stringContaining('unknown column') },
      { line: 1, column: 'value', message: expect.stringContaining('twice') },
      { line: 1, column: null, message: expect.stringContaining('missing columns period, individuals') },
    ]);
    expect(validateSocialCsv('', context).errors[0].message).toContain('empty');
    expect(validateSocialCsv('district,indicator,period,value,individuals\n', context).errors[0].message).toContain('no rows');
  });
});

describe('periods and numbers', () => {
  it.each([
    ['2025', true], ['2025-H2', true], ['2025-Q4', true], ['2025-09', true], ['2024/25', true], ['1999/00', true],
    ['2024/26', false], ['2025-H3', false], ['2025-13', false], ['25', false], ['2025-W01', false],
  ])('%s is a period: %s', (s, ok) => expect(isPeriod(s)).toBe(ok));

  it('reads decimals with either mark and refuses thousands separators', () => {
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal(' -0.25 ')).toBe(-0.25);
    expect(parseDecimal('1.234,5')).toBeNull();
    expect(parseDecimal('1e3')).toBeNull();
    expect(parseDecimal('')).toBeNull();
  });
});

describe('validateCatalogue', () => {
  it('accepts an array or {indicators}, refuses bad entries and repeated ids by index', () => {
    const entry = { id: 'unemployment', nameDa: 'Ledighed', nameEn: 'Unemployment', unit: '%', higherIsBetter: false };
    expect(validateCatalogue([entry]).entries).toEqual([entry]);
    expect(validateCatalogue({ indicators: [entry] }).entries).toEqual([entry]);
    const { errors } = validateCatalogue([entry, { ...entry, higherIsBetter: 'no' }, entry]);
    expect(errors.map((e) => e.index)).toEqual([1, 2]);
    expect(validateCatalogue('x').errors[0].index).toBeNull();
  });
});
