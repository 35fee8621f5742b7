// Replay detection for PASSporTs (RFC 8224 §12.1): a token seen once is refused on any other call
// while its iat is still fresh. Kept in Redis so that every app process shares one memory; the
// entry expires by itself once the token would be stale anyway, so the set stays bounded.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JurisdictionKeys } from '../store/keys.js';

/** A retransmitted or forked INVITE of the same call carries the same token: not a replay. */
const rememberScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0`;

interface ReplayCommands {
  dnStirRemember(key: string, callId: string, ttlSeconds: number): Promise<number>;
}

export const callIdCharsMax = 256;

export class ReplayCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JurisdictionKeys,
    /** How long a token stays remembered: the iat window plus the allowed clock skew. */
    private readonly rememberSeconds: number,
  ) {
    if (!Number.isInteger(rememberSeconds) || rememberSeconds < 1) throw new RangeError('rememberSeconds must be ≥ 1');
    redis.defineCommand('dnStirRemember', { numberOfKeys: 1, lua: rememberScript });
  }

  keyOf(token: string): string {
    // A digest keeps keys short and fixed-length whatever the token's size.
    return this.keys.key('stir', 'seen', createHash('sha256').update(token).digest('base64url'));
  }

  /** True the first time a token is seen (or again on the same call); false for a replay. */
  async firstUse(token: string, callId: string): Promise<boolean> {
    if (callId.length === 0 || callId.length > callIdCharsMax) throw new RangeError('callId must be 1-256 characters');
    const commands = this.redis as unknown as ReplayCommands;
    const result = await commands.dnStirRemember(this.keyOf(token), callId, this.rememberSeconds);
    return result === 1;
  }
}
