// Sign-in by phone (SPEC §8): the page asks for a short random code; the voter calls from their
// registered phone and keys it; only a verified call of a registered voter confirms it; the browser
// that holds the attempt (an HttpOnly cookie) then turns it into a session, once. Codes expire, are
// single use (deleted by the first keying, right or wrong attempt), and rate limited per IP address
// (codes issued) and per calling voter (wrong codes keyed). Everything lives in Redis with expiries,
// so any web or phone process can take either side.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Caller } from '../core/caller.js';
import { invariant } from '../core/invariant.js';
import type { JurisdictionKeys } from '../store/keys.js';

export const signInCodeDigits = 6;
export const signInCodeTtlMs = 5 * 60 * 1000;
export const codesPerAddressMax = 10;
export const codesPerAddressWindowMs = 10 * 60 * 1000;
export const wrongCodesPerVoterMax = 5;
export const wrongCodesPerVoterWindowMs = 60 * 60 * 1000;
export const sessionTtlMs = 12 * 60 * 60 * 1000;
const codeCollisionRetriesMax = 20;

export type AttemptStatus = 'pending' | 'confirmed' | 'used';

export interface SignInAttempt {
  code: string;
  status: AttemptStatus;
  csrf: string;
  expiresAt: number;
}

export interface WebSession {
  voterId: string;
  csrf: string;
}

export type ConfirmResult = 'signed-in' | 'unknown-code' | 'not-allowed' | 'too-many-attempts';

export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
}

// KEYS[1] code key. ARGV[1] voter id, ARGV[2] attempt key prefix. Single use: the code is deleted
// whether or not its attempt is still pending.
const confirmScript = `
local attempt = redis.call('GET', KEYS[1])
if not attempt then return 0 end
redis.call('DEL', KEYS[1])
local key = ARGV[2] .. attempt
if redis.call('HGET', key, 'status') ~= 'pending' then return 0 end
redis.call('HSET', key, 'status', 'confirmed', 'voterId', ARGV[1])
return 1`;

// KEYS[1] attempt key. Returns the voter id once, and marks the attempt used.
const completeScript = `
if redis.call('HGET', KEYS[1], 'status') ~= 'confirmed' then return false end
redis.call('HSET', KEYS[1], 'status', 'used')
return redis.call('HGET', KEYS[1], 'voterId')`;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Stored keys hold a hash of the secret, so a copy of Redis does not hand out live cookies. */
function secretKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class SignInStore {
  constructor(private readonly redis: Redis, private readonly keys: JurisdictionKeys) {
    redis.defineCommand('dnWebConfirm', { numberOfKeys: 1, lua: confirmScript });
    redis.defineCommand('dnWebComplete', { numberOfKeys: 1, lua: completeScript });
  }

  private codeKey(code: string): string { return this.keys.key('web', 'code', code); }
  private get attemptPrefix(): string { return this.keys.key('web', 'attempt', ''); }
  private attemptKey(attemptId: string): string { return this.attemptPrefix + secretKey(attemptId); }
  private sessionKey(sessionId: string): string { return this.keys.key('web', 'session', secretKey(sessionId)); }

  private async script(name: string, ...args: string[]): Promise<unknown> {
    const command = (this.redis as unknown as Record<string, (...a: string[]) => Promise<unknown>>)[name];
    invariant(command !== undefined, 'sign-in scripts are defined');
    return command.call(this.redis, ...args);
  }

  /** Counts one event in a fixed window; true while under the limit. */
  private async underLimit(key: string, max: number, windowMs: number): Promise<boolean> {
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()) as [[null, number]];
    return count <= max;
  }

  /** A new attempt with a fresh code, for the browser at `address`. */
  async begin(address: string): Promise<{ attemptId: string; attempt: SignInAttempt }> {
    if (!(await this.underLimit(this.keys.key('web', 'codes-by-address', address), codesPerAddressMax, codesPerAddressWindowMs))) {
      throw new RateLimitedError('too many sign-in codes from this address; try again in a few minutes');
    }
    const attemptId = randomToken();
    const expiresAt = Date.now() + signInCodeTtlMs;
    for (let tries = 0; tries < codeCollisionRetriesMax; tries += 1) {
      const code = String(randomInt(10 ** signInCodeDigits)).padStart(signInCodeDigits, '0');
      const attempt: SignInAttempt = { code, status: 'pending', csrf: randomToken(), expiresAt };
      // Attempt first (the code points to it), then claim the code only if no live attempt has it.
      const key = this.attemptKey(attemptId);
      await this.redis.multi().hset(key, { ...attempt }).pexpire(key, signInCodeTtlMs).exec();
      // The code points at the attempt's stored key (a hash of its id), never at the cookie value.
      if ((await this.redis.set(this.codeKey(code), secretKey(attemptId), 'PX', signInCodeTtlMs, 'NX')) === 'OK') {
        return { attemptId, attempt };
      }
    }
    throw new Error('could not find a free sign-in code');
  }

  async attempt(attemptId: string): Promise<SignInAttempt | null> {
    if (attemptId.length === 0) return null;
    const raw = await this.redis.hgetall(this.attemptKey(attemptId));
    if (raw.code === undefined || raw.status === undefined || raw.csrf === undefined) return null;
    return { code: raw.code, status: raw.status as AttemptStatus, csrf: raw.csrf, expiresAt: Number(raw.expiresAt) };
  }

  /** The phone side: a verified call of a registered voter keyed `code`. */
  async confirm(code: string, caller: Caller): Promise<ConfirmResult> {
    if (!caller.verified || !caller.registered || caller.voterId.length === 0) return 'not-allowed';
    const failures = this.keys.key('web', 'wrong-codes', caller.voterId);
    const count = Number(await this.redis.get(failures) ?? 0);
    if (count >= wrongCodesPerVoterMax) return 'too-many-attempts';
    if (!new RegExp(`^\\d{${signInCodeDigits}}$`).test(code)) return 'unknown-code';
    const confirmed = await this.script('dnWebConfirm', this.codeKey(code), caller.voterId, this.attemptPrefix);
    if (confirmed === 1) return 'signed-in';
    await this.underLimit(failures, wrongCodesPerVoterMax, wrongCodesPerVoterWindowMs);
    return 'unknown-code';
  }

  /** The browser side: a confirmed attempt becomes a session exactly once. */
  async complete(attemptId: string): Promise<{ sessionId: string; session: WebSession } | null> {
    const voterId = await this.script('dnWebComplete', this.attemptKey(attemptId));
    if (typeof voterId !== 'string' || voterId.length === 0) return null;
    const sessionId = randomToken();
    const session: WebSession = { voterId, csrf: randomToken() };
    const key = this.sessionKey(sessionId);
    await this.redis.multi().hset(key, { ...session, createdAt: Date.now() }).pexpire(key, sessionTtlMs).exec();
    return { sessionId, session };
  }

  async session(sessionId: string): Promise<WebSession | null> {
    if (sessionId.length === 0) return null;
    const raw = await this.redis.hgetall(this.sessionKey(sessionId));
    if (raw.voterId === undefined || raw.csrf === undefined) return null;
    return { voterId: raw.voterId, csrf: raw.csrf };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.redis.del(this.sessionKey(sessionId));
  }
}
