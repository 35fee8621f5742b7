// Publishes the sealed audit log as two files (SPEC §5): human-readable text (AUDIT_LOG) and JSON
// lines (same path, .jsonl). Appends only what is new; refuses to append to a file whose last entry
// is not the store's entry at that seq, so a tampered or foreign file is never silently extended.
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, readSync, fstatSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { ChainVerifier, textLine, type SealedEntry, type ChainProblem } from '../core/audit-entry.js';
import { canonicalJson } from '../core/canonical-json.js';
import { AuditLogError, type AuditLog } from './audit-log.js';

const tailReadBytes = 64 * 1024;
const appendBatchEntries = 1_000;

export interface LogFilePaths {
  textPath: string;
  jsonPath: string;
}

export function jsonLine(entry: SealedEntry): string {
  return canonicalJson(entry);
}

/** The last complete line of a file, read from its end without loading the file. */
function lastLine(path: string): string | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    const length = Math.min(size, tailReadBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((line) => line.length > 0);
    return lines.at(-1) ?? null;
  } finally {
    closeSync(fd);
  }
}

/** Appends sealed entries the files do not have yet. Returns the number appended. */
export async function publishLogFiles(log: AuditLog, paths: LogFilePaths): Promise<number> {
  mkdirSync(dirname(paths.jsonPath), { recursive: true });
  mkdirSync(dirname(paths.textPath), { recursive: true });
  const tail = lastLine(paths.jsonPath);
  let publishedSeq = 0;
  if (tail !== null) {
    const seq = (JSON.parse(tail) as { seq?: unknown }).seq;
    let stored: SealedEntry | undefined;
    if (typeof seq === 'number') for await (const entry of log.readSealed(seq, seq)) stored = entry;
    if (stored === undefined || jsonLine(stored) !== tail) {
      throw new AuditLogError(`${paths.jsonPath} ends with an entry that differs from the store; not appending`);
    }
    publishedSeq = stored.seq;
  }
  let appended = 0;
  let jsonBatch: string[] = [];
  let textBatch: string[] = [];
  const flush = (): void => {
    if (jsonBatch.length === 0) return;
    // Text first: if we crash between the two writes, the JSON file (the source of truth for the
    // next publish) lacks the entries and both are appended again; verify reports the duplicate text.
    appendFileSync(paths.textPath, textBatch.join(''));
    appendFileSync(paths.jsonPath, jsonBatch.join(''));
    jsonBatch = [];
    textBatch = [];
  };
  for await (const entry of log.readSealed(publishedSeq + 1)) {
    jsonBatch.push(`${jsonLine(entry)}\n`);
    textBatch.push(`${textLine(entry)}\n`);
    appended += 1;
    if (jsonBatch.length >= appendBatchEntries) flush();
  }
  flush();
  return appended;
}

function parseJsonLine(line: string): { entry: SealedEntry | null; error?: string } {
  try {
    return { entry: JSON.parse(line) as SealedEntry };
  } catch (error) {
    return { entry: null, error: `not valid JSON (${(error as Error).message})` };
  }
}

export type FileVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; file: string; problem: ChainProblem; count: number };

/**
 * Verifies the JSON-lines chain and, in the same pass, that every text line is the rendering of
 * its JSON entry. Reads both files as streams, in lockstep.
 */
export async function verifyLogFiles(paths: { jsonPath: string; textPath: string | null }): Promise<FileVerification> {
  if (!existsSync(paths.jsonPath)) throw new AuditLogError(`no audit log at ${paths.jsonPath}`);
  const verifier = new ChainVerifier();
  const textLines = paths.textPath !== null && existsSync(paths.textPath)
    ? createInterface({ input: createReadStream(paths.textPath, 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator]()
    : null;
  const fail = (file: string, problem: ChainProblem): FileVerification =>
    ({ ok: false, file, problem, count: verifier.count });
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(paths.jsonPath, 'utf8'), crlfDelay: Infinity })) {
    lineNumber += 1;
    const { entry, error } = parseJsonLine(line);
    const problem = verifier.push(lineNumber, entry, error);
    if (problem !== null) return fail(paths.jsonPath, problem);
    if (textLines === null || entry === null) continue;
    const text = await textLines.next();
    if (text.done === true || text.value !== textLine(entry)) {
      return fail(paths.textPath ?? '', { seq: entry.seq, line: lineNumber, reason: text.done === true ? 'text file is missing entries' : 'text line differs from its JSON entry' });
    }
  }
  if (textLines !== null && (await textLines.next()).done !== true) {
    return fail(paths.textPath ?? '', { seq: verifier.count + 1, line: lineNumber + 1, reason: 'text file has lines without JSON entries' });
  }
  return { ok: true, count: verifier.count, head: verifier.head };
}
