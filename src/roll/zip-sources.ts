// Finds the roll files inside an export ZIP before anything is imported: ZIPs inside the ZIP are
// extracted to temporary files (yauzl needs random access; holding them in memory would not scale
// to a 2 GB roll), every data file's header is read and checked, and the export's SHA-256 is
// taken. Any problem here fails the import before a single Redis key is written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseCsvSync } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { RollImportError } from './errors.js';
import type { BoundRollHeader, RollFormat } from './jurisdiction.js';

export const nestedZipDepthMax = 3;
export const zipEntriesMax = 10_000;
export const headerBytesMax = 64 * 1024;
/** Bound on the bytes extracted from nested ZIPs to temp files: a guard against ZIP bombs. */
export const nestedZipBytesMax = 16 * 1024 ** 3;

export interface RollSource {
  /** The ZIP that holds the entry: the export itself or an inner ZIP extracted to a temp file. */
  zipPath: string;
  entryName: string;
  /** Location for reports: "roll.zip/inner.zip/part1.csv". */
  displayName: string;
  /** Uncompressed size, for progress. */
  bytes: number;
  header: BoundRollHeader;
}

export interface RollSourcePlan {
  sources: RollSource[];
  bytesTotal: number;
  sha256: string;
  /** Entries that are neither data files nor ZIPs, for the report. */
  ignoredEntries: string[];
  /** Removes the temp files of extracted inner ZIPs. */
  dispose(): Promise<void>;
}

interface PendingZip {
  path: string;
  displayName: string;
  depth: number;
}

function malformed(displayName: string, error: unknown): RollImportError {
  const reason = error instanceof Error ? error.message : String(error);
  return new RollImportError('malformed-zip', `${displayName}: not a readable ZIP file (${reason})`, { cause: error });
}

async function openZip(path: string, displayName: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(path, { autoClose: false, strictFileNames: false });
  } catch (error) {
    throw malformed(displayName, error);
  }
}

async function listEntries(zip: yauzl.ZipFile, displayName: string): Promise<yauzl.Entry[]> {
  if (zip.entryCount > zipEntriesMax) {
    throw new RollImportError('malformed-zip', `${displayName}: ${zip.entryCount} entries, at most ${zipEntriesMax} allowed`);
  }
  const entries: yauzl.Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    throw malformed(displayName, error);
  }
  return entries;
}

async function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, displayName: string): Promise<Readable> {
  try {
    return await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw malformed(displayName, error);
  }
}

/** The first line of an entry, without reading the rest. */
async function readFirstLine(stream: Readable, displayName: string): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const newline = chunk.indexOf(0x0a);
      chunks.push(newline >= 0 ? chunk.subarray(0, newline) : chunk);
      length += chunk.length;
      if (newline >= 0 || length >= headerBytesMax) break;
    }
  } catch (error) {
    throw malformed(displayName, error);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').replace(/\r$/, '');
}

async function bindEntryHeader(stream: Readable, displayName: string, format: RollFormat): Promise<BoundRollHeader> {
  const line = await readFirstLine(stream, displayName);
  const rows = parseCsvSync(line, { relax_quotes: true, relax_column_count: true }) as string[][];
  const header = rows[0];
  if (header === undefined || header.length < 2) {
    throw new RollImportError('bad-header', `${displayName}: no CSV header row (first line ${JSON.stringify(line.slice(0, 80))})`);
  }
  const binding = format.bindHeader(header);
  if (!binding.ok) {
    throw new RollImportError('missing-columns',
      `${displayName}: header lacks required column(s) ${binding.missingColumns.join(', ')}`);
  }
  return binding.header;
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

class SourcePlanner {
  readonly sources: RollSource[] = [];
  readonly ignoredEntries: string[] = [];
  private readonly pending: PendingZip[] = [];
  private extractedBytes = 0;
  private extractedCount = 0;
  /** Created on the first nested ZIP only, so a plain export leaves nothing behind even after kill -9. */
  tempDir: string | null = null;

  constructor(private readonly format: RollFormat, private readonly tempParent: string) {}

  async run(zipPath: string): Promise<void> {
    this.pending.push({ path: zipPath, displayName: basename(zipPath), depth: 0 });
    // A work list instead of recursion: the nesting depth and entry counts are bounded above.
    for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
      await this.planZip(next);
    }
  }

  private async planZip(pending: PendingZip): Promise<void> {
    const zip = await openZip(pending.path, pending.displayName);
    try {
      for (const entry of await listEntries(zip, pending.displayName)) {
        await this.planEntry(zip, entry, pending);
      }
    } finally {
      zip.close();
    }
  }

  private async planEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, parent: PendingZip): Promise<void> {
    const name = entry.fileName;
    const displayName = `${parent.displayName}/${name}`;
    const lower = name.toLowerCase();
    if (name.endsWith('/')) return;
    if (lower.endsWith('.zip')) {
      await this.extractNested(zip, entry, parent, displayName);
      return;
    }
    if (!this.format.dataFileSuffixes.some((suffix) => lower.endsWith(suffix))) {
      this.ignoredEntries.push(displayName);
      return;
    }
    const header = await bindEntryHeader(await openEntry(zip, entry, displayName), displayName, this.format);
    this.sources.push({ zipPath: parent.path, entryName: name, displayName, bytes: entry.uncompressedSize, header });
  }

  private async extractNested(zip: yauzl.ZipFile, entry: yauzl.Entry, parent: PendingZip,
    displayName: string): Promise<void> {
    if (parent.depth + 1 > nestedZipDepthMax) {
      throw new RollImportError('malformed-zip', `${displayName}: ZIPs nested deeper than ${nestedZipDepthMax} levels`);
    }
    this.extractedBytes += entry.uncompressedSize;
    if (this.extractedBytes > nestedZipBytesMax) {
      throw new RollImportError('malformed-zip', `${displayName}: nested ZIPs exceed ${nestedZipBytesMax} bytes`);
    }
    this.extractedCount += 1;
    this.tempDir ??= await mkdtemp(join(this.tempParent, 'dn-roll-'));
    const path = join(this.tempDir, `nested-${this.extractedCount}.zip`);
    try {
      await pipeline(await openEntry(zip, entry, displayName), createWriteStream(path));
    } catch (error) {
      throw error instanceof RollImportError ? error : malformed(displayName, error);
    }
    this.pending.push({ path, displayName, depth: parent.depth + 1 });
  }
}

/** Checks the export and lists its data files. Throws RollImportError; cleans up after itself then. */
export async function planRollSources(options: {
  zipPath: string; format: RollFormat; tempDir?: string;
}): Promise<RollSourcePlan> {
  const { zipPath, format } = options;
  try {
    const info = await stat(zipPath);
    assert.ok(info.isFile(), 'not a file');
  } catch (error) {
    throw new RollImportError('bad-options', `roll file ${zipPath} cannot be read`, { cause: error });
  }
  const planner = new SourcePlanner(format, options.tempDir ?? tmpdir());
  const dispose = async (): Promise<void> => {
    if (planner.tempDir !== null) await rm(planner.tempDir, { recursive: true, force: true });
  };
  try {
    await planner.run(zipPath);
    if (planner.sources.length === 0) {
      throw new RollImportError('no-data-files',
        `${basename(zipPath)}: no ${format.dataFileSuffixes.join(' or ')} files inside (found: ${planner.ignoredEntries.join(', ') || 'nothing'})`);
    }
    const bytesTotal = planner.sources.reduce((sum, source) => sum + source.bytes, 0);
    const sha256 = await sha256OfFile(zipPath);
    return { sources: planner.sources, bytesTotal, sha256, ignoredEntries: planner.ignoredEntries, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Opens one planned data file for streaming. `close` releases the ZIP's file descriptor. */
export async function openRollSource(source: RollSource): Promise<{ stream: Readable; close(): void }> {
  const zip = await openZip(source.zipPath, source.displayName);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName === source.entryName) {
        const stream = await openEntry(zip, entry, source.displayName);
        return { stream, close: () => zip.close() };
      }
    }
  } catch (error) {
    zip.close();
    throw error instanceof RollImportError ? error : malformed(source.displayName, error);
  }
  zip.close();
  throw new RollImportError('malformed-zip', `${source.displayName}: entry vanished between planning and import`);
}
