import { once } from 'node:events';
import type { Response } from 'express';
import ExcelJS from 'exceljs';
import type { TFunction } from '../../platform/i18n.js';

// Exports of report tables: CSV or XLSX, header row in the user's language, written while the rows are read
// (CSV chunk by chunk with back-pressure; XLSX through exceljs's streaming WorkbookWriter), so memory stays flat.

export type ColumnType = 'text' | 'number' | 'percent' | 'minutes' | 'date';
export interface Column {
  key: string;
  /** i18n key of the header */
  label: string;
  type: ColumnType;
}
export interface ExportTable {
  /** file name without extension */
  name: string;
  columns: Column[];
  /** batches of rows, read while the file is written */
  rows: AsyncIterable<readonly object[]>;
}

const commaDecimals = (lang: string) => lang !== 'en';

function cell(v: unknown, type: ColumnType): string | number | Date | null {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'number':
      return Number(v);
    case 'percent':
      return Math.round(Number(v) * 1000) / 10;
    case 'minutes':
      return Math.round(Number(v) / 600) / 100;
    case 'date':
      return v instanceof Date ? v : new Date(String(v));
    default:
      return String(v);
  }
}

function csvField(v: string | number | Date | null, lang: string, sep: string): string {
  if (v === null) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString().slice(0, 16).replace('T', ' ');
  else if (typeof v === 'number') s = commaDecimals(lang) ? String(v).replace('.', ',') : String(v);
  // a leading = + - @ would run as a formula in a spreadsheet
  else s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A row's cells in the table's column order. */
const cellsOf = (table: ExportTable, row: object) =>
  table.columns.map((c) => cell((row as Record<string, unknown>)[c.key], c.type));

// Letters of any language stay (names, translated table names); Express writes them as RFC 5987 filename*.
const fileName = (name: string, ext: string) => {
  const stem = name.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-');
  return `${stem.slice(0, 80)}.${ext}`;
};
/** Excel refuses these in a sheet's name, and more than 31 characters. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]+/g, '-').slice(0, 31);

/** The response's headers for a file download. */
function startFile(res: Response, table: ExportTable, ext: string, type: string): void {
  res.attachment(fileName(table.name, ext));
  res.setHeader('Content-Type', type);
}

/** Waits until the client takes more bytes; false when it went away (the export then stops reading rows). */
async function drained(res: Response): Promise<boolean> {
  if (res.writableNeedDrain && !res.destroyed) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

export async function sendCsv(res: Response, table: ExportTable, t: TFunction, lang: string): Promise<void> {
  const sep = commaDecimals(lang) ? ';' : ',';
  startFile(res, table, 'csv', 'text/csv; charset=utf-8');
  const header = table.columns.map((c) => csvField(t(c.label), lang, sep)).join(sep);
  // BOM: spreadsheet programs then read the file as UTF-8
  res.write('\ufeff' + header + '\r\n');
  for await (const rows of table.rows) {
    if (!(await drained(res))) return;
    res.write(
      rows
        .map(
          (r) =>
            cellsOf(table, r)
              .map((v) => csvField(v, lang, sep))
              .join(sep) + '\r\n',
        )
        .join(''),
    );
  }
  res.end();
}

export async function sendXlsx(res: Response, table: ExportTable, t: TFunction): Promise<void> {
  startFile(res, table, 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: res,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet(sheetName(table.name));
  ws.columns = table.columns.map((c) => ({
    header: t(c.label),
    key: c.key,
    width: c.type === 'text' ? 32 : 16,
    ...(c.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd hh:mm' } } : {}),
  }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const rows of table.rows) {
    // the workbook writer does not wait for the client: waiting here keeps a slow download from piling up rows
    if (!(await drained(res))) return;
    for (const r of rows) ws.addRow(cellsOf(table, r)).commit();
  }
  ws.commit();
  await wb.commit();
}
