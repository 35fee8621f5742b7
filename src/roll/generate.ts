// Writes a seeded, realistic, anonymized sample roll in the jurisdiction's export format: a ZIP of
// CSV parts. Rows are produced while yazl compresses, one part after the other, so memory stays
// flat from 1k to 2.2M voters; fixed timestamps make the ZIP byte-identical for a given seed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Jurisdiction, SampleRollFormat } from './jurisdiction.js';
import { Prng } from './prng.js';
import { loadSampleNames } from './sample-names.js';
import { SampleVoterSource } from './sample-voters.js';

export const generatedVotersMax = 10_000_000;
export const rowsPerFileMaxDefault = 1_000_000;
/** Rows are handed to the compressor in chunks of about this many bytes. */
const chunkBytesTarget = 64 * 1024;
const progressEveryVoters = 10_000;
/** Any fixed instant works; this one is the 2010 Census day, whose surname counts we use. */
const fixedEntryTime = new Date(Date.UTC(2010, 3, 1, 12, 0, 0));

export interface GenerateRollOptions {
  seed: number;
  voters: number;
  outputPath: string;
  jurisdiction: Jurisdiction;
  rowsPerFileMax?: number;
  /** Called now and then with the number of voters generated so far (the CLI draws a bar). */
  onProgress?: (votersDone: number) => void;
}

export interface GeneratedRoll {
  path: string;
  voters: number;
  sha256: string;
  bytes: number;
  files: string[];
}

function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The text of one CSV part, in chunks: header, then `rows` voters drawn from the shared source. */
function* csvPart(
  format: SampleRollFormat, source: SampleVoterSource, prng: Prng, rows: number, onRow: () => void,
): Generator<Buffer> {
  let chunk = csvLine(format.header);
  for (let row = 0; row < rows; row += 1) {
    chunk += csvLine(format.formatRow(source.next(), prng));
    onRow();
    if (chunk.length >= chunkBytesTarget) {
      yield Buffer.from(chunk, 'utf8');
      chunk = '';
    }
  }
  if (chunk.length > 0) yield Buffer.from(chunk, 'utf8');
}

function partSizes(voters: number, rowsPerFileMax: number): number[] {
  const sizes: number[] = [];
  for (let remaining = voters; remaining > 0; remaining -= rowsPerFileMax) {
    sizes.push(Math.min(remaining, rowsPerFileMax));
  }
  return sizes;
}

function checkOptions(options: GenerateRollOptions): number {
  const rowsPerFileMax = options.rowsPerFileMax ?? rowsPerFileMaxDefault;
  assert.ok(Number.isSafeInteger(options.seed) && options.seed >= 0, `seed must be a non-negative integer: ${options.seed}`);
  assert.ok(Number.isSafeInteger(options.voters) && options.voters >= 1 && options.voters <= generatedVotersMax,
    `voters must be 1…${generatedVotersMax}: ${options.voters}`);
  assert.ok(Number.isSafeInteger(rowsPerFileMax) && rowsPerFileMax >= 1, `bad rowsPerFileMax ${rowsPerFileMax}`);
  assert.ok(options.outputPath.length > 0, 'outputPath is required');
  return rowsPerFileMax;
}

/** Generates the roll into `outputPath` (written to a temp name, then renamed: never half a file). */
export async function generateRoll(options: GenerateRollOptions): Promise<GeneratedRoll> {
  const rowsPerFileMax = checkOptions(options);
  const format = options.jurisdiction.sample.format;
  const prng = new Prng(options.seed);
  const source = new SampleVoterSource(options.jurisdiction, loadSampleNames(), prng);
  const zip = new yazl.ZipFile();
  const files: string[] = [];
  let votersDone = 0;
  const onRow = (): void => {
    votersDone += 1;
    if (votersDone % progressEveryVoters === 0 || votersDone === options.voters) options.onProgress?.(votersDone);
  };
  partSizes(options.voters, rowsPerFileMax).forEach((rows, index) => {
    const name = format.fileName(index + 1);
    files.push(name);
    // Lazy: yazl asks for a part's stream only when the previous part is done, and the parts
    // share one generator state, so their order is the order of the voters.
    zip.addReadStreamLazy(name, { mtime: fixedEntryTime, forceDosTimestamp: true, compress: true },
      (callback) => callback(null, Readable.from(csvPart(format, source, prng, rows, onRow), { objectMode: false })));
  });
  zip.end();
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const temporaryPath = `${options.outputPath}.partial`;
  try {
    await pipeline(zip.outputStream, hashing, createWriteStream(temporaryPath));
    await rename(temporaryPath, options.outputPath);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
  return { path: options.outputPath, voters: options.voters, sha256: hash.digest('hex'), bytes, files };
}
