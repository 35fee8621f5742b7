// Leases with fencing tokens for singleton jobs (demurrage, roll import) run by any of several app
// processes. A lease is a key `{ia}:lease:<job>` holding a token from a counter that only grows; it
// expires unless its holder renews it. The token is also a commit guard (FencedCommitter): every
// commit of the job checks, inside the commit script, that the lease key still holds its token. So
// a holder that was paused (GC, SIGSTOP, a slow disk) past its lease and then wakes up cannot write:
// its lease expired or another process holds a newer token, and the guard refuses the commit.
import type { Redis } from 'ioredis';
import type { JurisdictionKeys } from './keys.js';

// KEYS[1] lease, KEYS[2] token counter. ARGV[1] ttl ms. Returns the new token, or false if held.
const acquireScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], tostring(token), 'PX', ARGV[1])
return tostring(token)
`;
// KEYS[1] lease. ARGV[1] token, ARGV[2] ttl ms. 1 if still ours and extended.
const renewScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const jobNamePattern = /^[a-z][a-z0-9-]{0,40}$/;
export const leaseTtlMsMin = 100;

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

type ScriptRunner = (...args: Array<string | number>) => Promise<unknown>;

function script(redis: Redis, name: string): ScriptRunner {
  const command = (redis as unknown as Record<string, ScriptRunner | undefined>)[name];
  if (command === undefined) throw new Error(`script ${name} not defined`);
  return command.bind(redis);
}

export class Lease {
  private constructor(
    private readonly redis: Redis, readonly key: string, readonly token: string, readonly ttlMs: number,
  ) {}

  static keyOf(keys: JurisdictionKeys, job: string): string {
    if (!jobNamePattern.test(job)) throw new RangeError(`bad job name ${JSON.stringify(job)}`);
    return keys.key('lease', job);
  }

  /** Takes the job's lease, or returns null while another holder's lease runs. */
  static async tryAcquire(redis: Redis, keys: JurisdictionKeys, job: string, ttlMs: number): Promise<Lease | null> {
    if (!Number.isSafeInteger(ttlMs) || ttlMs < leaseTtlMsMin) throw new RangeError(`lease ttl must be ≥ ${leaseTtlMsMin} ms`);
    redis.defineCommand('dnLeaseAcquire', { numberOfKeys: 2, lua: acquireScript });
    redis.defineCommand('dnLeaseRenew', { numberOfKeys: 1, lua: renewScript });
    redis.defineCommand('dnLeaseRelease', { numberOfKeys: 1, lua: releaseScript });
    const key = Lease.keyOf(keys, job);
    const token = await script(redis, 'dnLeaseAcquire')(key, keys.key('lease', job, 'fence'), ttlMs);
    return typeof token === 'string' ? new Lease(redis, key, token, ttlMs) : null;
  }

  /** Extends the lease; false once it expired or passed to another holder. */
  async renew(): Promise<boolean> {
    return (await script(this.redis, 'dnLeaseRenew')(this.key, this.token, this.ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await script(this.redis, 'dnLeaseRelease')(this.key, this.token);
  }
}
