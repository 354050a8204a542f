/**
 * Row-by-row validation of a social-indicator CSV (district, indicator, period, value,
 * individuals) and of the indicator catalogue (JSON). Every problem is reported with its line
 * and column so the whole file can be fixed in one go; the caller stores nothing unless there
 * are no errors (all or nothing).
 */
import { z } from 'zod';
import { Id, describeIssues } from '@byliv/protocol';
import { parseCsv } from './csv.ts';

/** The district id of the municipality-wide rows: the average each district is compared with. */
export const MUNICIPALITY = 'kommune';

export const SOCIAL_COLUMNS = ['district', 'indicator', 'period', 'value', 'individuals'] as const;

export interface SocialValueInput {
  district: string;
  indicator: string;
  period: string;
  value: number;
  individuals: number;
}

export interface RowError {
  /** The line in the file (1-based; the header is line 1). */
  line: number;
  /** The column's name from the header, or null when the problem is the whole row or header. */
  column: string | null;
  message: string;
}

export interface CatalogueEntryContext {
  unit: string;
}

/**
 * Periods: a year (2025), a half-year (2025-H1), a quarter (2025-Q3), a month (2025-09) or a
 * school year (2024/25, for exam grades). They sort as text within each form.
 */
const PERIOD = /^(\d{4})(?:-(?:H[12]|Q[1-4]|0[1-9]|1[0-2])|\/(\d{2}))?$/;

export function isPeriod(s: string): boolean {
  const m = PERIOD.exec(s);
  if (!m) return false;
  return m[2] === undefined || Number(m[2]) === (Number(m[1]) + 1) % 100;
}

/** A decimal number with '.' or ',' as the decimal mark (Danish Excel writes 12,5); no thousands separators. */
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$/;

export function parseDecimal(s: string): number | null {
  const t = s.trim();
  if (!DECIMAL.test(t)) return null;
  return Number(t.replace(',', '.'));
}

/**
 * Validates a CSV of values. `districts`: the known district ids (besides "kommune"), `indicators`:
 * the catalogue (with entries the same import adds). Units '%' must lie within 0–100.
 */
export function validateSocialCsv(
  text: string,
  context: { districts: ReadonlySet<string>; indicators: ReadonlyMap<string, CatalogueEntryContext> },
): { rows: SocialValueInput[]; errors: RowError[] } {
  const parsed = parseCsv(text);
  const errors: RowError[] = [];
  const [header, ...records] = parsed.records;
  const firstError = parsed.errors[0];
  if (!header || (firstError && firstError.line < header.line)) {
    const first = firstError;
    errors.push(first ? { line: first.line, column: null, message: first.message } : { line: 1, column: null, message: `the file is empty: the first line must be the header ${SOCIAL_COLUMNS.join(parsed.separator)}` });
    return { rows: [], errors };
  }
  const hl = header.line;
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!(SOCIAL_COLUMNS as readonly string[]).includes(name)) errors.push({ line: hl, column: name || null, message: `unknown column "${header.fields[i]}": the columns are ${SOCIAL_COLUMNS.join(', ')}` });
    else if (index.has(name)) errors.push({ line: hl, column: name, message: `column "${name}" appears twice` });
    else index.set(name, i);
  });
  const missing = SOCIAL_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) errors.push({ line: hl, column: null, message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header must name ${SOCIAL_COLUMNS.join(', ')})` });
  for (const e of parsed.errors) errors.push({ line: e.line, column: names[e.field - 1] ?? null, message: e.message });
  if (errors.length > 0 && errors.some((e) => e.line === hl)) return { rows: [], errors: sortErrors(errors) };

  const rows: SocialValueInput[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.length !== names.length) {
      errors.push({ line, column: null, message: `${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${names.length} (separator "${parsed.separator}")` });
      continue;
    }
    const get = (c: (typeof SOCIAL_COLUMNS)[number]) => fields[index.get(c)!].trim();
    const rowErrors: RowError[] = [];
    const fail = (column: string, message: string) => rowErrors.push({ line, column, message });

    const district = get('district');
    if (district === '') fail('district', 'empty: a district id or "kommune"');
    else if (district !== MUNICIPALITY && !context.districts.has(district)) fail('district', `unknown district "${district}": import the districts first, or write "${MUNICIPALITY}" for the whole municipality`);

    const indicator = get('indicator');
    const entry = context.indicators.get(indicator);
    if (indicator === '') fail('indicator', 'empty: an indicator id from the catalogue');
    else if (!entry) fail('indicator', `unknown indicator "${indicator}": add it to the catalogue first`);

    const period = get('period');
    if (!isPeriod(period)) fail('period', `"${period}" is not a period: write 2025, 2025-H1, 2025-Q3, 2025-09 or a school year like 2024/25`);

    const rawValue = get('value');
    const value = parseDecimal(rawValue);
    if (value === null) fail('value', rawValue === '' ? 'empty: every row needs a value (leave the row out when there is none)' : `"${rawValue}" is not a number: write 12.5 or 12,5, without thousands separators`);
    else if (entry?.unit === '%' && (value < 0 || value > 100)) fail('value', `${value} is not a percentage from 0 to 100`);

    const rawIndividuals = get('individuals');
    const individuals = /^\d+$/.test(rawIndividuals) ? Number(rawIndividuals) : null;
    if (individuals === null) fail('individuals', `"${rawIndividuals}" is not a whole number ≥ 0 (how many people the value rests on)`);

    if (rowErrors.length === 0) {
      const key = `${district}\u0000${indicator}\u0000${period}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) fail('period', `${district}, ${indicator}, ${period} already appears on line ${earlier}`);
      else seen.set(key, line);
    }
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else rows.push({ district, indicator, period, value: value!, individuals: individuals! });
  }
  if (records.length === 0 && errors.length === 0) errors.push({ line: hl, column: null, message: 'the file has a header but no rows' });
  return errors.length > 0 ? { rows: [], errors: sortErrors(errors) } : { rows, errors };
}

const sortErrors = (errors: RowError[]) => errors.sort((a, b) => a.line - b.line);

/** One entry of the indicator catalogue, as imported (JSON). */
export const CatalogueEntry = z
  .object({
    id: Id,
    nameDa: z.string().min(1).max(200),
    nameEn: z.string().min(1).max(200),
    unit: z.string().min(1).max(40),
    higherIsBetter: z.boolean(),
    source: z.string().max(500).optional(),
    sample: z.boolean().optional(),
  })
  .strict();
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

/** Validates a catalogue: a JSON array of entries (or `{ indicators: [...] }`), ids unique. */
export function validateCatalogue(json: unknown): { entries: CatalogueEntry[]; errors: { index: number | null; message: string }[] } {
  const list = Array.isArray(json) ? json : json !== null && typeof json === 'object' && Array.isArray((json as { indicators?: unknown }).indicators) ? (json as { indicators: unknown[] }).indicators : null;
  if (list === null) return { entries: [], errors: [{ index: null, message: 'the catalogue must be a JSON array of {id, nameDa, nameEn, unit, higherIsBetter, source?}' }] };
  const errors: { index: number | null; message: string }[] = [];
  const entries: CatalogueEntry[] = [];
  const ids = new Map<string, number>();
  list.forEach((item, index) => {
    const parsed = CatalogueEntry.safeParse(item);
    if (!parsed.success) return errors.push({ index, message: describeIssues(parsed.error) });
    const earlier = ids.get(parsed.data.id);
    if (earlier !== undefined) return errors.push({ index, message: `id "${parsed.data.id}" already used by entry ${earlier}` });
    ids.set(parsed.data.id, index);
    entries.push(parsed.data);
  });
  if (list.length === 0) errors.push({ index: null, message: 'the catalogue is empty' });
  return errors.length > 0 ? { entries: [], errors } : { entries, errors };
}
