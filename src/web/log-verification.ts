// Server-side verification of the audit log as stored: every entry's hash is recomputed from its
// body and the previous hash (ChainVerifier, the same check as `log verify --store`). The result is
// kept for a short while (WEB_VERIFY_CACHE_MS) so that page views do not rehash millions of entries.
import { ChainVerifier } from '../core/audit-entry.js';
import type { AuditLog } from '../store/audit-log.js';

export type LogVerification =
  | { ok: true; count: number; head: string; checkedAt: number }
  | { ok: false; count: number; brokenAt: number; reason: string; checkedAt: number };

export class LogVerifier {
  private last: { result: Promise<LogVerification>; at: number } | null = null;

  constructor(private readonly log: AuditLog, private readonly cacheMs: number) {
    if (!Number.isSafeInteger(cacheMs) || cacheMs < 0) throw new RangeError('cacheMs must be ≥ 0');
  }

  async verify(): Promise<LogVerification> {
    const now = Date.now();
    if (this.last !== null && now - this.last.at <= this.cacheMs) return this.last.result;
    const result = this.run();
    this.last = { result, at: now };
    result.catch(() => { this.last = null; });
    return result;
  }

  private async run(): Promise<LogVerification> {
    const verifier = new ChainVerifier();
    const checkedAt = Date.now();
    try {
      for await (const entry of this.log.readSealed()) {
        const problem = verifier.push(entry.seq, entry);
        if (problem !== null) {
          return { ok: false, count: verifier.count, brokenAt: problem.seq, reason: problem.reason, checkedAt };
        }
      }
    } catch (error) {
      // An unreadable body (e.g. a tampered byte that breaks its JSON) breaks the chain right there.
      const reason = (error as Error).message;
      return { ok: false, count: verifier.count, brokenAt: verifier.count + 1, reason, checkedAt };
    }
    return { ok: true, count: verifier.count, head: verifier.head, checkedAt };
  }
}
