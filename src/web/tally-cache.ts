// Tallies for the web: a bill's tally is recomputed only when the audit log has grown since it was
// last computed (every change is an entry), so page views cost a Redis LLEN, not a graph resolution.
// "As of" tallies never change once computed, so they are cached by their sequence number.
import type { AppContext } from '../app/context.js';
import { tallyReport, type TallyReport } from '../app/tally-service.js';
import type { BillId } from '../core/bill.js';
import { invariant } from '../core/invariant.js';

export const tallyCacheEntriesMax = 256;
export const influencersShown = 10;

export class TallyCache {
  private readonly reports = new Map<string, Promise<TallyReport>>();

  constructor(private readonly context: Pick<AppContext, 'store' | 'roll' | 'auditLog'>) {}

  /** The tally now (at = null) or as of `at`; concurrent requests for the same key share one computation. */
  async tally(bill: BillId, at: number | null): Promise<TallyReport> {
    invariant(at === null || (Number.isSafeInteger(at) && at >= 0), 'at is a sequence number');
    const length = await this.context.auditLog.length();
    const key = at === null || at >= length ? `${bill}|now|${length}` : `${bill}|at|${at}`;
    let report = this.reports.get(key);
    if (report === undefined) {
      const asOf = at === null || at >= length ? null : at;
      report = tallyReport(this.context, bill, { at: asOf, influencers: influencersShown });
      this.reports.set(key, report);
      // A failed computation is not remembered, so the next request tries again.
      report.catch(() => this.reports.delete(key));
      this.evict(bill, length);
    }
    return report;
  }

  private evict(bill: BillId, length: number): void {
    // "Now" entries of older log lengths are stale; beyond the bound, drop the oldest.
    for (const key of this.reports.keys()) {
      const [keyBill, kind, value] = key.split('|');
      if (keyBill === bill && kind === 'now' && Number(value) < length) this.reports.delete(key);
    }
    while (this.reports.size > tallyCacheEntriesMax) {
      const oldest = this.reports.keys().next().value;
      if (oldest === undefined) break;
      this.reports.delete(oldest);
    }
  }
}
