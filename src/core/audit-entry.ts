// One public audit-log entry (SPEC §5) and its hash chain. Pure: node:crypto is computation only.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { DomainEvent } from './events.js';

export const genesisHash = '0'.repeat(64);

/** Where an action came from; published so that operator actions are visible as such. */
export type Channel = 'phone' | 'web' | 'cli' | 'import' | 'system';

/** What the application writes; the store adds seq and ts atomically when it appends. */
export interface AuditDraft {
  /** Public actor: "John Q Doe of Ames", "712-555-XXXX unregistered" or "operator". Never a full phone. */
  actor: string;
  actorId: string | null;
  channel: Channel;
  /** Human-readable sentence after the actor, e.g. "delegates -> Mary Roe of Adel". */
  text: string;
  /** Structured, replayable event (democracy events; money events are added by the ledger). */
  event: DomainEvent | { type: string; [field: string]: unknown };
  /** Integer cents for money events. */
  amount?: number;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  /** UTC milliseconds since the epoch, from the Redis server clock, never decreasing. */
  ts: number;
}

export interface SealedEntry extends AuditEntry {
  prev: string;
  hash: string;
}

export function entryHash(prev: string, entry: AuditEntry): string {
  if (!/^[0-9a-f]{64}$/.test(prev)) throw new RangeError('previous hash must be 64 hex digits');
  const { seq, ts, actor, actorId, channel, text, event, amount } = entry;
  const canonical = canonicalJson({ seq, ts, actor, actorId, channel, text, event, amount });
  return createHash('sha256').update(prev).update(canonical).digest('hex');
}

export function seal(prev: string, entry: AuditEntry): SealedEntry {
  return { ...entry, prev, hash: entryHash(prev, entry) };
}

/** The seed's human-readable line: "At <time> John Doe of Ames delegates -> Mary Roe of Adel". */
export function textLine(entry: SealedEntry): string {
  const time = new Date(entry.ts).toISOString();
  return `#${entry.seq} At ${time} ${entry.actor} ${entry.text} [${entry.hash.slice(0, 16)}]`;
}

export type ChainProblem = { seq: number; line: number; reason: string };

/**
 * Checks published entries one at a time, in order: consecutive seq from 1, each prev equal to the
 * previous hash, each hash recomputed. Streaming, so a log of millions of entries needs no memory.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prev = genesisHash;

  get count(): number {
    return this.expectedSeq - 1;
  }

  get head(): string {
    return this.prev;
  }

  /** Returns the problem with this entry, or null when it extends the chain correctly. */
  push(line: number, entry: SealedEntry | null, error?: string): ChainProblem | null {
    const seq = this.expectedSeq;
    if (entry === null) return { seq, line, reason: error ?? 'unreadable entry' };
    if (entry.seq !== seq) return { seq, line, reason: `expected seq ${seq}, found ${String(entry.seq)}` };
    if (entry.prev !== this.prev) return { seq, line, reason: 'prev does not match the hash of the entry before' };
    let hash: string;
    try {
      hash = entryHash(this.prev, entry);
    } catch (failure) {
      return { seq, line, reason: `cannot hash entry: ${(failure as Error).message}` };
    }
    if (hash !== entry.hash) return { seq, line, reason: 'hash does not match the entry content' };
    this.prev = hash;
    this.expectedSeq += 1;
    return null;
  }
}
