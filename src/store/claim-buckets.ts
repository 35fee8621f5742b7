// Idempotency claims (a payment's or bid's "this key was used, for this"), kept as fields of a few
// time-bucketed hashes instead of one string key with an expiry each. Bucket n holds the claims the
// commit script took while its clock (the log's never-decreasing ts, commit-script.ts) was in
// [n·W, (n+1)·W); a claim counts while the script's bucket is n or n+1, so it lives at least W
// (30 days: as long as the key it replaces) and at most 2W, and bucket n expires at (n+2)·W, when
// the script no longer reads it: no sweeper. Per script call the claims cost one HMGET per bucket
// and one HSET for all of them, instead of a SET NX PX (a key, an expires entry and an AOF record)
// each. The bucket is the script's to decide: it refuses a call that names other buckets than its
// clock's (the batcher learns the server's clock from every reply and sends again), so app
// processes with skewed clocks still all read and write the same buckets.
import type { Redis } from 'ioredis';
import type { JurisdictionKeys } from './keys.js';

/** Claims outlive client retries; 30 days covers any sane retry policy (and the keys they replace lived that long). */
export const claimBucketWidthMs = 30 * 24 * 60 * 60 * 1000;

export class ClaimBuckets {
  /** The name commit conflicts give for a claim (field: the claim id); no key is named this. */
  readonly conflictKey: string;
  private readonly prefix: string;

  constructor(keys: JurisdictionKeys, readonly widthMs: number = claimBucketWidthMs) {
    if (!Number.isSafeInteger(widthMs) || widthMs < 1) throw new RangeError(`claim bucket width must be ≥ 1 ms, got ${widthMs}`);
    this.conflictKey = keys.key('money', 'claim');
    // The width is part of the name: buckets of another width never mix with these.
    this.prefix = keys.key('money', 'claim', widthMs);
  }

  bucketAt(ms: number): number {
    return Math.floor(ms / this.widthMs);
  }

  key(bucket: number): string {
    return `${this.prefix}:${bucket}`;
  }

  /**
   * The claim `id` as stored, or null when none is live: the buckets around Redis's own clock (the
   * script's may be a bucket ahead of it, never behind).
   */
  async read(redis: Redis, id: string): Promise<string | null> {
    const [seconds, micros] = await redis.time();
    const now = this.bucketAt(Number(seconds) * 1000 + Math.floor(Number(micros) / 1000));
    const pipeline = redis.pipeline();
    for (const bucket of [now + 1, now, now - 1]) pipeline.hget(this.key(bucket), id);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error, value] of replies) {
      if (error !== null) throw error;
      if (typeof value === 'string') return value;
    }
    return null;
  }
}
