import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const COLUMN_DELIMITERS = {
  COMMA: ',',
  TAB: '\t',
  SEMICOLON: ';',
  PIPE: '|',
  CARET: '^',
  BACKQUOTE: '`'
} as const;

export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export interface CsvFormat {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
}

/** Rows of a Bulk API upload (first row: the header). */
export function parseCsv(text: string, format: CsvFormat): string[][] {
  return parse(text, {
    delimiter: COLUMN_DELIMITERS[format.columnDelimiter],
    bom: true,
    skip_empty_lines: true,
    relax_quotes: false
  }) as string[][];
}

/** A Bulk API CSV file: header then rows, in the job's delimiter and line ending. */
export function writeCsv(header: string[], rows: string[][], format: CsvFormat): string {
  return stringify([header, ...rows], {
    delimiter: COLUMN_DELIMITERS[format.columnDelimiter],
    record_delimiter: format.lineEnding === 'CRLF' ? 'windows' : 'unix',
    quoted_match: /^$|[\s"]/
  });
}
