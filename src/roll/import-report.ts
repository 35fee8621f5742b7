// What an import tells its caller: counts of everything, and the first few hundred problems in
// detail (file inside the ZIP, line number, reason) so an operator can fix the export.
import assert from 'node:assert/strict';

export interface RowIssue {
  /** Location inside the export, e.g. "roll.zip/inner.zip/part1.csv". */
  file: string;
  /** 1-based line number in that file (the line where the row ends). */
  line: number;
  reason: string;
}

export interface ImportReport {
  generation: number;
  previousGeneration: number | null;
  /** Generations left by crashed or interrupted imports, removed before this one started. */
  removedLeftovers: number[];
  previousGenerationDeleted: boolean;
  source: string;
  sha256: string;
  files: string[];
  ignoredEntries: string[];
  district: string | null;
  /** Data rows read (header rows excluded). */
  rowsRead: number;
  votersImported: number;
  /** Rows of other districts, skipped because of the district filter. */
  rowsFiltered: number;
  badRows: number;
  warnings: number;
  /** Rows with more fields than the header: clipped and kept. */
  clippedRows: number;
  /** Rows that were not UTF-8 and were decoded as Windows-1252 (also counted as warnings). */
  reencodedRows: number;
  badRowReports: RowIssue[];
  warningReports: RowIssue[];
  bytesRead: number;
  durationMs: number;
}

/** Counts every issue, keeps the first `reportsMax` in detail. */
export class IssueLog {
  count = 0;
  readonly reports: RowIssue[] = [];

  constructor(private readonly reportsMax: number) {
    assert.ok(Number.isSafeInteger(reportsMax) && reportsMax >= 0, `bad reportsMax ${reportsMax}`);
  }

  add(issue: RowIssue): void {
    assert.ok(issue.line >= 1 && issue.reason.length > 0, 'an issue has a line and a reason');
    this.count += 1;
    if (this.reports.length < this.reportsMax) this.reports.push(issue);
  }
}
