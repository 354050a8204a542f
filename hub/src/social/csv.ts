/**
 * A small RFC 4180 CSV reader: quoted fields ("" inside quotes is a quote; quotes may hold the
 * separator and line breaks), CRLF or LF, a leading byte-order mark. The separator is ',' or ';'
 * (Danish Excel writes ';' because ',' is its decimal mark); unless given, it is guessed from the
 * header line. Pure: text in, records and syntax errors out.
 */

export type CsvSeparator = ',' | ';';

export interface CsvRecord {
  /** The physical line (1-based) the record starts on: what an editor shows. */
  line: number;
  fields: string[];
}

export interface CsvSyntaxError {
  line: number;
  /** 1-based field number within the record. */
  field: number;
  message: string;
}

export interface CsvParse {
  separator: CsvSeparator;
  records: CsvRecord[];
  errors: CsvSyntaxError[];
}

/** The separator that occurs more often outside quotes on the first line; ',' when tied. */
export function detectSeparator(text: string): CsvSeparator {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Splits CSV text into records. Blank lines are skipped (a trailing newline is normal). A record
 * with a syntax error (an unclosed quote, text after a closing quote, a quote inside an unquoted
 * field) is reported and left out.
 */
export function parseCsv(input: string, options: { separator?: CsvSeparator } = {}): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const separator = options.separator ?? detectSeparator(text);
  const records: CsvRecord[] = [];
  const errors: CsvSyntaxError[] = [];

  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: CsvSyntaxError | null = null;
    // one record
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
        if (!closed) {
          error ??= { line: startLine, field: fields.length + 1, message: 'a quoted field is never closed (a missing ")' };
        } else if (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          error ??= { line, field: fields.length + 1, message: `text after the closing quote of a quoted field (write "" for a quote inside quotes)` };
          while (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') i++;
        }
      } else {
        while (i < n && text[i] !== separator && text[i] !== '\n' && text[i] !== '\r') {
          if (text[i] === '"') error ??= { line, field: fields.length + 1, message: 'a quote inside an unquoted field (quote the whole field and write "" for the quote)' };
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (i < n && text[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    // end of record: CRLF, LF, lone CR or end of text
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    const endLine = line;
    line++;
    const blank = fields.length === 1 && fields[0].trim() === '' && endLine === startLine;
    if (error) errors.push(error);
    else if (!blank) records.push({ line: startLine, fields });
  }
  return { separator, records, errors };
}
