/**
 * How an export is written: the CSV's metadata lines and rows, and the JSON's header. The CSV
 * opens in a spreadsheet as a self-describing sheet: leading lines starting with `#` carry
 * the title, licence, citation, suppression rule and data dictionary (Danish and English),
 * then one header line and the rows. Readers skip them with pandas
 * `read_csv(path, comment='#')` or R `read.csv(path, comment.char = '#')`; no data field
 * can hold a `#` (ids are from a safe alphabet, values are numbers).
 */
import { DATA_DICTIONARY, DATA_DICTIONARY_DA, EXPORT_COLUMNS, type ExportRow } from './export-dictionary.ts';

export interface ExportMetadata {
  title: string;
  generatedAt: string;
  publishedUntil: string | null;
  query: Record<string, string | null>;
  licence: string;
  citation: string;
  suppressBelow: number;
  suppressionRule: { en: string; da: string };
}

// A metadata line is one field to a CSV reader: no quotes or line breaks inside it.
const clean = (text: string) => text.replace(/["\r\n]+/g, "'");

export function csvMetadata(m: ExportMetadata): string {
  const query = Object.entries(m.query)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const lines = [
    m.title,
    `Generated / dannet: ${m.generatedAt}; query / forespørgsel: ${query}; times in UTC / tider i UTC` +
      (m.publishedUntil === null ? '' : `; data up to / data til: ${m.publishedUntil}`),
    `Licence / licens: ${m.licence}`,
    `Citation / citér som: ${m.citation}`,
    `Suppression (k = ${m.suppressBelow}): ${m.suppressionRule.en}`,
    `Små tal (k = ${m.suppressBelow}): ${m.suppressionRule.da}`,
    'Columns / kolonner:',
    ...EXPORT_COLUMNS.flatMap((c) => [`  ${c} (en): ${DATA_DICTIONARY[c]}`, `  ${c} (da): ${DATA_DICTIONARY_DA[c]}`]),
  ];
  return lines.map((l) => `# ${clean(l)}\n`).join('') + `${EXPORT_COLUMNS.join(',')}\n`;
}

export function csvLine(row: ExportRow): string {
  // Ids are from a safe alphabet and values are numbers: nothing here needs quoting.
  return `${EXPORT_COLUMNS.map((c) => (row[c] === null ? '' : String(row[c]))).join(',')}\n`;
}
