// Call admission by sliding windows in Redis: at most N calls per calling number per hour and per
// source address per minute (SPEC §2), shared by every app process. The clock is Redis's own TIME,
// so processes with skewed clocks still agree on the window.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { JurisdictionKeys } from '../store/keys.js';

/** Each window is a sorted set of admitted calls scored by time; it never holds more than the limit. */
const slidingWindowScript = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, count + 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, count, tonumber(oldest[2]) + window - now}`;

interface WindowCommands {
  dnSlidingWindow(key: string, windowMs: number, limit: number, member: string): Promise<[number, number, number]>;
}

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  perNumber: WindowLimit;
  perSource: WindowLimit;
}

export const rateLimitMax = 1_000_000;

export type Admission =
  | { admitted: true }
  | { admitted: false; limited: 'number' | 'source'; sipStatus: 486 | 503; retryAfterSeconds: number; count: number };

function assertLimit(name: string, limit: WindowLimit): void {
  if (!Number.isInteger(limit.limit) || limit.limit < 1 || limit.limit > rateLimitMax) {
    throw new RangeError(`${name}.limit must be 1-${rateLimitMax}`);
  }
  if (!Number.isInteger(limit.windowMs) || limit.windowMs < 1) throw new RangeError(`${name}.windowMs must be ≥ 1`);
}

export interface CallToAdmit {
  callId: string;
  sourceAddress: string;
  callingNumber: string | null;
}

function memberOf(call: CallToAdmit): string {
  return `${call.callId.slice(0, 128)}:${randomBytes(6).toString('base64url')}`;
}

export class CallRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JurisdictionKeys,
    private readonly limits: RateLimits,
  ) {
    assertLimit('perNumber', limits.perNumber);
    assertLimit('perSource', limits.perSource);
    redis.defineCommand('dnSlidingWindow', { numberOfKeys: 1, lua: slidingWindowScript });
  }

  /**
   * The source address is checked first: a flood from one trunk or host is answered with 503 and
   * Retry-After (RFC 3261 §21.5.4) without spending the numbers' budgets. A number over its limit
   * gets 486 Busy Here, which a caller's phone presents as a busy line.
   */
  async admit(call: CallToAdmit, options: { verified?: boolean } = {}): Promise<Admission> {
    const source = await this.admitSource(call);
    if (!source.admitted) return source;
    return this.admitNumber(call, options.verified ?? false);
  }

  /** Step one, before any verification work (so a flood costs no x5u fetches). */
  async admitSource(call: CallToAdmit): Promise<Admission> {
    const source = await this.hit(this.keys.key('rate', 'source', call.sourceAddress), this.limits.perSource, memberOf(call));
    if (!source.admitted) return { admitted: false, limited: 'source', sipStatus: 503, ...source.over };
    return { admitted: true };
  }

  /**
   * Step two, once trust is decided. Verified and unverified calls from one number count in separate
   * windows: the claimed number of an unverified call may be spoofed, and a spoofer must not be able
   * to use up the real voter's allowance.
   */
  async admitNumber(call: CallToAdmit, verified: boolean): Promise<Admission> {
    if (call.callingNumber === null) return { admitted: true };
    const key = this.keys.key('rate', 'number', verified ? 'verified' : 'unverified', call.callingNumber);
    const number = await this.hit(key, this.limits.perNumber, memberOf(call));
    if (!number.admitted) return { admitted: false, limited: 'number', sipStatus: 486, ...number.over };
    return { admitted: true };
  }

  private async hit(key: string, limit: WindowLimit, member: string):
    Promise<{ admitted: true } | { admitted: false; over: { retryAfterSeconds: number; count: number } }> {
    const commands = this.redis as unknown as WindowCommands;
    const [admitted, count, retryAfterMs] = await commands.dnSlidingWindow(key, limit.windowMs, limit.limit, member);
    if (admitted === 1) return { admitted: true };
    // Retry-After is whole seconds; round up so that a retry at that time is admitted.
    return { admitted: false, over: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)), count } };
  }
}
