// Test helpers for roll tests: temp dirs under os.tmpdir(), hand-made export ZIPs and CSV rows in
// the Iowa layout, and a reader that unpacks a ZIP's CSVs for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { iowaExportColumns } from '../../src/roll/iowa/roll-format.js';

export function makeTempDir(prefix = 'dn-roll-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ZipEntrySpec {
  name: string;
  data: Buffer | string;
}

export async function zipBuffer(entries: readonly ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    zip.addBuffer(data, entry.name, { mtime: new Date(Date.UTC(2024, 0, 1)) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function writeZip(path: string, entries: readonly ZipEntrySpec[]): Promise<string> {
  await writeFile(path, await zipBuffer(entries));
  return path;
}

/** Column values by name for one Iowa row; residence columns only (mailing ones stay empty). */
export type IowaRowValues = Partial<Record<string, string>>;

export function iowaRow(values: IowaRowValues): string[] {
  const seen = new Set<string>();
  return iowaExportColumns.map((column) => {
    const first = !seen.has(column);
    seen.add(column);
    return first ? values[column] ?? '' : '';
  });
}

export function csvText(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((row) => row.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field))
    .join(',')).join('\r\n') + '\r\n';
}

/** A valid row whose REGN_NUM, names and phone derive from `n`. */
export function validRow(n: number, overrides: IowaRowValues = {}): string[] {
  return iowaRow({
    REGN_NUM: String(5_000_000 + n), FIRST_NAME: 'JANE', MIDDLE_NAME: 'Q', LAST_NAME: `DOE${n}`,
    HOUSE_NUM: String(100 + n), STREET_NAME: 'MAIN', STREET_TYPE: 'ST', CITY: 'AMES', ZIP_CODE: '50010',
    COUNTY: 'STORY', PRECINCT: 'AMES 01', CONGRESSIONAL: '4', PHONENO: `515-555-${String(1000 + n).slice(-4)}`,
    ...overrides,
  });
}

export function iowaCsv(rows: ReadonlyArray<readonly string[]>): string {
  return csvText([iowaExportColumns, ...rows]);
}

/** Every CSV entry of a ZIP file, parsed (header row included), in ZIP order. */
export async function readZipCsvs(path: string): Promise<Array<{ name: string; rows: string[][] }>> {
  const zip = await yauzl.openPromise(path, { autoClose: false });
  const files: Array<{ name: string; rows: string[][] }> = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const stream = await zip.openReadStreamPromise(entry);
      const chunks: Buffer[] = [];
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
      const rows = parse(Buffer.concat(chunks), { relax_column_count: true }) as string[][];
      files.push({ name: entry.fileName, rows });
    }
  } finally {
    zip.close();
  }
  return files;
}
