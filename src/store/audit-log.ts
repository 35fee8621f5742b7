// The public audit log in Redis: entry bodies (written by commit.ts) and their hash chain (written
// here, by the sealer). Any process may seal; a guard on the sealed length makes two concurrent
// sealers harmless: the slower one's batch is refused and it starts again from the new head.
import type { Redis } from 'ioredis';
import { genesisHash, seal, type AuditEntry, type SealedEntry } from '../core/audit-entry.js';
import type { JurisdictionKeys } from './keys.js';

export const sealBatchSizeEntries = 1_000;
export const readBatchSizeEntries = 5_000;

// KEYS[1] hash list. ARGV[1] expected length, ARGV[2..] hashes to append.
const appendHashesScript = `
if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return 1
`;

export class AuditLogError extends Error {
  override name = 'AuditLogError';
}

export function parseEntryBody(body: string): AuditEntry {
  const entry = JSON.parse(body) as AuditEntry;
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 1) throw new AuditLogError(`bad seq in entry ${body.slice(0, 80)}`);
  if (!Number.isSafeInteger(entry.ts)) throw new AuditLogError(`bad ts in entry ${entry.seq}`);
  return entry;
}

export class AuditLog {
  readonly entriesKey: string;
  readonly hashesKey: string;

  constructor(private readonly redis: Redis, keys: JurisdictionKeys) {
    this.entriesKey = keys.key('log');
    this.hashesKey = keys.key('log', 'hashes');
    redis.defineCommand('dnAppendHashes', { numberOfKeys: 1, lua: appendHashesScript });
  }

  async length(): Promise<number> {
    return this.redis.llen(this.entriesKey);
  }

  async sealedLength(): Promise<number> {
    return this.redis.llen(this.hashesKey);
  }

  /** Hash of entry `seq` (genesis for 0). */
  async hashAt(seq: number): Promise<string> {
    if (seq === 0) return genesisHash;
    const hash = await this.redis.lindex(this.hashesKey, seq - 1);
    if (hash === null) throw new AuditLogError(`entry ${seq} is not sealed`);
    return hash;
  }

  /** Computes and stores hashes for every unsealed entry. Returns the sealed length. */
  async sealAll(): Promise<number> {
    for (;;) {
      const sealed = await this.sealedLength();
      const total = await this.length();
      if (sealed >= total) return sealed;
      let prev = await this.hashAt(sealed);
      const bodies = await this.redis.lrange(this.entriesKey, sealed, sealed + sealBatchSizeEntries - 1);
      const hashes: string[] = [];
      for (const [offset, body] of bodies.entries()) {
        const entry = parseEntryBody(body);
        if (entry.seq !== sealed + offset + 1) throw new AuditLogError(`entry at position ${sealed + offset + 1} has seq ${entry.seq}`);
        prev = seal(prev, entry).hash;
        hashes.push(prev);
      }
      const append = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>).dnAppendHashes;
      if (append === undefined) throw new Error('append script not defined');
      await append.call(this.redis, this.hashesKey, sealed, ...hashes);
    }
  }

  /** Sealed entries from `fromSeq` (1-based) to `toSeq` inclusive, in batches. */
  async *readSealed(fromSeq = 1, toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<SealedEntry> {
    const sealed = await this.sealedLength();
    const last = Math.min(toSeq, sealed);
    let prev = await this.hashAt(Math.max(0, fromSeq - 1));
    for (let start = fromSeq; start <= last; start += readBatchSizeEntries) {
      const end = Math.min(last, start + readBatchSizeEntries - 1);
      const [bodies, hashes] = await Promise.all([
        this.redis.lrange(this.entriesKey, start - 1, end - 1),
        this.redis.lrange(this.hashesKey, start - 1, end - 1),
      ]);
      for (const [offset, body] of bodies.entries()) {
        const entry = parseEntryBody(body);
        const hash = hashes[offset];
        if (hash === undefined) throw new AuditLogError(`missing hash for entry ${entry.seq}`);
        yield { ...entry, prev, hash };
        prev = hash;
      }
    }
  }

  /** Entries (sealed or not) up to `toSeq`, for replay. */
  async *readEntries(toSeq = Number.MAX_SAFE_INTEGER): AsyncGenerator<AuditEntry> {
    const total = Math.min(toSeq, await this.length());
    for (let start = 1; start <= total; start += readBatchSizeEntries) {
      const end = Math.min(total, start + readBatchSizeEntries - 1);
      for (const body of await this.redis.lrange(this.entriesKey, start - 1, end - 1)) yield parseEntryBody(body);
    }
  }

  /** Newest first, for the web page and the CLI. */
  async newest(limit: number, beforeSeq?: number): Promise<SealedEntry[]> {
    const sealed = await this.sealedLength();
    const last = Math.min(sealed, (beforeSeq ?? sealed + 1) - 1);
    const first = Math.max(1, last - limit + 1);
    const entries: SealedEntry[] = [];
    for await (const entry of this.readSealed(first, last)) entries.push(entry);
    return entries.reverse();
  }
}
