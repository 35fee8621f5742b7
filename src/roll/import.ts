// Imports a voter roll export (SPEC §9) into a new roll generation and activates it.
//
// Order of work, and why:
//  1. plan: open the ZIP (and ZIPs inside it), check every data file's header, hash the export.
//     Malformed files and missing columns fail here, before Redis is touched.
//  2. lock, then remove leftovers of crashed imports (generations other than the current one).
//  3. stream rows into a NEW generation's keys beside the current one; bad rows are reported and
//     skipped, never fatal.
//  4. call the caller's `activate(new, previous)`: the app switches `roll:current` atomically with
//     tentative-voter migration and the audit-log entry. A kill -9 at any point before this leaves
//     the previous generation current and intact; its leftovers are removed by step 2 next time.
//  5. delete the previous generation (UNLINK: Redis frees the memory in a background thread).
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, type CsvError } from 'csv-parse';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { jurisdictionKeys } from '../store/keys.js';
import { encodeVoterRecord, RollFenceError, RollStore } from '../store/roll-store.js';
import { BatchWriter } from './batch-writer.js';
import { RollImportError } from './errors.js';
import { ImportLock, importLockTtlMsDefault } from './import-lock.js';
import { IssueLog, type ImportReport } from './import-report.js';
import type { Jurisdiction } from './jurisdiction.js';
import { decodeLatin1Row } from './text-encoding.js';
import { openRollSource, planRollSources, type RollSource, type RollSourcePlan } from './zip-sources.js';

export type { ImportReport, RowIssue } from './import-report.js';
export { RollImportError } from './errors.js';

export const issueReportsMaxDefault = 1_000;

export interface ImportRollOptions {
  redis: Redis;
  jurisdiction: Jurisdiction;
  zipPath: string;
  /** VOTING_DISTRICT: import only voters of this district (Iowa: CONGRESSIONAL "1"–"4"). */
  district?: string;
  /** Makes `newGeneration` current; must be atomic. Called once, after every row is written. */
  activate: (newGeneration: number, previousGeneration: number | null) => Promise<void>;
  onProgress?: (rowsDone: number, bytesDone: number, bytesTotal: number) => void;
  logger?: Logger;
  /** Detailed reports kept per kind (bad rows, warnings); the rest are only counted. */
  issueReportsMax?: number;
  lockTtlMs?: number;
  /** How long to wait for another import's lock before failing; default 0 (fail at once). */
  lockWaitMs?: number;
  /** Where nested ZIPs are extracted; default os.tmpdir(). */
  tempDir?: string;
}

interface ImportRun {
  options: ImportRollOptions;
  store: RollStore;
  lock: ImportLock;
  plan: RollSourcePlan;
  district: string | null;
  writer: BatchWriter;
  badRows: IssueLog;
  warnings: IssueLog;
  counts: { rowsRead: number; rowsFiltered: number; clippedRows: number; reencodedRows: number; bytesDone: number };
}

function checkDistrict(options: ImportRollOptions): string | null {
  if (options.district === undefined || options.district.trim() === '') return null;
  const district = options.jurisdiction.normalizeDistrict(options.district);
  if (district === null) {
    throw new RollImportError('bad-options', `VOTING_DISTRICT ${JSON.stringify(options.district)} is not one of `
      + `${options.jurisdiction.name}'s districts (${options.jurisdiction.districts.join(', ')})`);
  }
  return district;
}

/**
 * Turns one CSV record into a row for the writer, or records why it cannot be imported. Returns
 * true when the writer's batch is full and must be flushed.
 */
function acceptRecord(run: ImportRun, source: RollSource, rawFields: string[], line: number): boolean {
  const { counts, badRows, warnings } = run;
  counts.rowsRead += 1;
  const file = source.displayName;
  const { fields, fellBack } = decodeLatin1Row(rawFields);
  if (fellBack) {
    counts.reencodedRows += 1;
    warnings.add({ file, line, reason: 'row is not valid UTF-8; decoded as Windows-1252' });
  }
  if (fields.length < source.header.fieldsNeeded) {
    badRows.add({ file, line, reason: `short row: ${fields.length} fields, ${source.header.fieldsNeeded} needed` });
    return false;
  }
  if (fields.length > source.header.width) counts.clippedRows += 1;
  const outcome = source.header.parseRow(fields);
  if (outcome.kind === 'bad') {
    badRows.add({ file, line, reason: outcome.reason });
    return false;
  }
  for (const reason of outcome.warnings) warnings.add({ file, line, reason });
  if (run.district !== null && outcome.voter.district !== run.district) {
    counts.rowsFiltered += 1;
    return false;
  }
  const row = { id: outcome.voter.id, record: encodeVoterRecord(outcome.voter), phone: outcome.voter.phone ?? '' };
  return run.writer.add(row, { file, line });
}

/**
 * Line bookkeeping for one file. csv-parse's per-record `info` costs about as much as parsing
 * itself (it copies its state for every record), so we count lines ourselves: each record ends one
 * line, plus one per newline inside quoted fields; a skipped (unparseable) record resynchronizes
 * the count from the parser's error context.
 */
interface LineCounter {
  line: number;
}

function csvParser(run: ImportRun, source: RollSource, lines: LineCounter): ReturnType<typeof parse> {
  return parse({
    // latin1 keeps every byte; rows are decoded as UTF-8 or Windows-1252 afterwards (text-encoding.ts).
    encoding: 'latin1',
    from_line: 2,
    relax_column_count: true,
    relax_quotes: true,
    // Empty lines come through as [''] and are skipped by the row loop, which keeps line counts exact.
    skip_empty_lines: false,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === 'number' ? error.lines : lines.line + 1;
      lines.line = line;
      run.badRows.add({ file: source.displayName, line, reason: `unreadable CSV: ${error?.message ?? 'unknown error'}` });
      return undefined;
    },
  });
}

/** Lines a record spans: one, plus the newlines inside its quoted fields. */
function linesOf(record: readonly string[]): number {
  let lines = 1;
  for (const field of record) {
    if (field.includes('\n')) lines += field.split('\n').length - 1;
  }
  return lines;
}

function reportProgress(run: ImportRun, bytesDone: number): void {
  run.options.onProgress?.(run.counts.rowsRead, bytesDone, run.plan.bytesTotal);
}

async function importSource(run: ImportRun, source: RollSource): Promise<void> {
  const { stream, close } = await openRollSource(source);
  const lines: LineCounter = { line: 1 };
  const parser = csvParser(run, source, lines);
  // Inflate errors (a corrupt entry) must end the row loop below, not vanish.
  stream.on('error', (error) => parser.destroy(error));
  stream.pipe(parser);
  const bytesBefore = run.counts.bytesDone;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      lines.line += linesOf(record);
      if (record.length === 1 && record[0] === '') continue;
      if (acceptRecord(run, source, record, lines.line)) {
        run.lock.assertHeld();
        await run.writer.flush();
        // The parser's byte count runs ahead by at most one buffered chunk: fine for a progress bar.
        reportProgress(run, bytesBefore + Math.min(parser.info.bytes, source.bytes));
      }
    }
  } catch (error) {
    if (error instanceof RollImportError || error instanceof RollFenceError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new RollImportError('malformed-zip', `${source.displayName}: cannot read (${reason})`, { cause: error });
  } finally {
    stream.destroy();
    close();
  }
  run.counts.bytesDone = bytesBefore + source.bytes;
  reportProgress(run, run.counts.bytesDone);
}

async function activate(run: ImportRun, generation: number): Promise<number | null> {
  const previous = await run.store.currentGeneration();
  run.lock.assertHeld();
  try {
    await run.options.activate(generation, previous);
  } catch (error) {
    throw new RollImportError('activation-failed',
      `activating roll generation ${generation} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error });
  }
  const current = await run.store.currentGeneration();
  if (current !== generation) {
    throw new RollImportError('activation-failed',
      `activate() returned but the current roll generation is ${current}, not ${generation}`);
  }
  return previous;
}

function buildReport(run: ImportRun, facts: {
  generation: number; previous: number | null; removedLeftovers: number[]; previousDeleted: boolean; startedMs: number;
}): ImportReport {
  const { counts, plan } = run;
  return {
    generation: facts.generation,
    previousGeneration: facts.previous,
    removedLeftovers: facts.removedLeftovers,
    previousGenerationDeleted: facts.previousDeleted,
    source: basename(run.options.zipPath),
    sha256: plan.sha256,
    files: plan.sources.map((source) => source.displayName),
    ignoredEntries: plan.ignoredEntries,
    district: run.district,
    rowsRead: counts.rowsRead,
    votersImported: run.writer.written,
    rowsFiltered: counts.rowsFiltered,
    badRows: run.badRows.count,
    warnings: run.warnings.count,
    clippedRows: counts.clippedRows,
    reencodedRows: counts.reencodedRows,
    badRowReports: run.badRows.reports,
    warningReports: run.warnings.reports,
    bytesRead: counts.bytesDone,
    durationMs: Math.round(performance.now() - facts.startedMs),
  };
}

async function writeGeneration(run: ImportRun, generation: number): Promise<void> {
  for (const source of run.plan.sources) await importSource(run, source);
  await run.writer.finish();
  if (run.writer.written === 0) {
    throw new RollImportError('empty-roll', `${basename(run.options.zipPath)}: no voter could be imported `
      + `(${run.counts.rowsRead} rows, ${run.badRows.count} bad, ${run.counts.rowsFiltered} in other districts)`);
  }
  await run.store.writeMeta({
    generation, voters: run.writer.written, rowsRead: run.counts.rowsRead, badRows: run.badRows.count,
    warnings: run.warnings.count, source: basename(run.options.zipPath), sha256: run.plan.sha256,
    importedAt: new Date().toISOString(), district: run.district ?? '',
  });
}

type ImportSetup = Pick<ImportRun, 'options' | 'store' | 'lock' | 'plan' | 'district'>;

/** A write refused by the fence: another importer holds the lock now, so this one stops and writes nothing more. */
function lockLostOr(error: unknown): unknown {
  if (!(error instanceof RollFenceError)) return error;
  return new RollImportError('lock-lost', `roll import stopped: another import took over the lock (${error.message})`,
    { cause: error });
}

/** Steps 2–5 above, holding the lock; every write fenced by it. */
async function importLocked(setup: ImportSetup, startedMs: number): Promise<ImportReport> {
  try {
    return await importFenced(setup, startedMs);
  } catch (error) {
    throw lockLostOr(error);
  }
}

async function importFenced(setup: ImportSetup, startedMs: number): Promise<ImportReport> {
  const { store, options } = setup;
  const removedLeftovers = await store.removeLeftoverGenerations();
  if (removedLeftovers.length > 0) options.logger?.warn({ removedLeftovers }, 'removed leftovers of unfinished roll imports');
  const generation = await store.beginGeneration();
  const issueReportsMax = options.issueReportsMax ?? issueReportsMaxDefault;
  const badRows = new IssueLog(issueReportsMax);
  const run: ImportRun = {
    ...setup, badRows, warnings: new IssueLog(issueReportsMax), writer: new BatchWriter(store, generation, badRows),
    counts: { rowsRead: 0, rowsFiltered: 0, clippedRows: 0, reencodedRows: 0, bytesDone: 0 },
  };
  options.logger?.info({ generation, files: run.plan.sources.length, bytes: run.plan.bytesTotal }, 'roll import started');
  let previous: number | null;
  try {
    await writeGeneration(run, generation);
    previous = await activate(run, generation);
  } catch (error) {
    await abandonGeneration(run, generation, error);
    throw error;
  }
  const previousDeleted = await cleanUpAfterActivation(run, generation, previous);
  const report = buildReport(run, { generation, previous, removedLeftovers, previousDeleted, startedMs });
  options.logger?.info({ generation, voters: report.votersImported, badRows: report.badRows,
    warnings: report.warnings, durationMs: report.durationMs }, 'roll import activated');
  return report;
}

/** After a failure before activation: remove the new generation (deleteGeneration never removes the current one). */
async function abandonGeneration(run: ImportRun, generation: number, cause: unknown): Promise<void> {
  await run.writer.settle();
  try {
    await run.store.deleteGeneration(generation);
  } catch (error) {
    // The next import removes it (a fenced importer must not: the roll is another importer's now);
    // the caller must hear about the original failure, not this one.
    run.options.logger?.warn({ generation, err: error }, 'could not remove the failed roll generation yet');
  }
  run.options.logger?.error({ generation, err: cause }, 'roll import failed; the current roll is unchanged');
}

/**
 * The new roll is in force whatever happens here. UNLINK hands the previous generation's memory to
 * Redis's lazy-free thread, so even a 2.2M-field hash costs the main thread O(1). A failure only
 * leaves keys that the next import removes, so it is logged, not thrown.
 */
async function cleanUpAfterActivation(run: ImportRun, generation: number, previous: number | null): Promise<boolean> {
  try {
    await run.store.finishBuilding(generation);
    return previous !== null && await run.store.deleteGeneration(previous);
  } catch (error) {
    run.options.logger?.warn({ generation, previous, err: error }, 'roll activated; previous generation left for the next import');
    return false;
  }
}

/**
 * Imports `zipPath` as a new roll generation and activates it through `activate`. Throws
 * RollImportError when the export cannot be imported; the current generation is then unchanged.
 */
export async function importRoll(options: ImportRollOptions): Promise<ImportReport> {
  const startedMs = performance.now();
  assert.ok(typeof options.activate === 'function', 'importRoll needs an activate function');
  const district = checkDistrict(options);
  const plan = await planRollSources({ zipPath: options.zipPath, format: options.jurisdiction.roll,
    tempDir: options.tempDir });
  try {
    const store = new RollStore(options.redis, jurisdictionKeys(options.jurisdiction.code));
    const lock = await ImportLock.acquire(store, { ttlMs: options.lockTtlMs ?? importLockTtlMsDefault,
      waitMs: options.lockWaitMs ?? 0 });
    try {
      return await importLocked({ options, store: store.fencedBy(lock.token), lock, plan, district }, startedMs);
    } finally {
      await lock.release();
    }
  } finally {
    await plan.dispose();
  }
}
