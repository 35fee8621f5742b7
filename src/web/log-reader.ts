// Reading the sealed audit log for the web: a page of entries newest first, a bounded search
// (substring of actor, text or channel, newest first), and an ascending range for the browser's
// own chain check.
import type { SealedEntry } from '../core/audit-entry.js';
import type { AuditLog } from '../store/audit-log.js';

export const logSearchScanEntriesMax = 100_000;
export const logRangeEntriesMax = 1_000;
const searchBatchEntries = 2_000;

export interface LogSlice {
  entries: SealedEntry[];
  sealed: number;
  /** For searches: the lowest sequence number examined. */
  searchedDownTo: number | null;
}

export async function readLogPage(
  log: AuditLog, options: { before: number | null; limit: number; query: string },
): Promise<LogSlice> {
  const sealed = await log.sealAll();
  const before = Math.min(options.before ?? sealed + 1, sealed + 1);
  const needle = options.query.trim().toLowerCase();
  if (needle.length === 0) return { entries: await log.newest(options.limit, before), sealed, searchedDownTo: null };
  const entries: SealedEntry[] = [];
  let cursor = before;
  let scanned = 0;
  while (cursor > 1 && entries.length < options.limit && scanned < logSearchScanEntriesMax) {
    const batch = await log.newest(searchBatchEntries, cursor);
    if (batch.length === 0) break;
    for (const entry of batch) {
      cursor = entry.seq;
      scanned += 1;
      if (`${entry.actor} ${entry.text} ${entry.channel}`.toLowerCase().includes(needle)) entries.push(entry);
      if (entries.length >= options.limit) break;
    }
  }
  return { entries, sealed, searchedDownTo: cursor };
}

export async function readLogRange(log: AuditLog, from: number, limit: number): Promise<SealedEntry[]> {
  const sealed = await log.sealAll();
  const first = Math.max(1, from);
  const last = Math.min(sealed, first + Math.min(limit, logRangeEntriesMax) - 1);
  const entries: SealedEntry[] = [];
  if (first > last) return entries;
  for await (const entry of log.readSealed(first, last)) entries.push(entry);
  return entries;
}
