// Singleton jobs across several app processes (SPEC §11): a job runs only while its process holds the
// job's lease, and every commit it makes is fenced by the lease's token (store/lease.ts). The lease
// is renewed while the job runs; a holder that stalls past its lease loses it, and its next commit is
// refused inside the commit script, so two holders can never both write.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from '../config/logger.js';
import type { Committer } from '../store/commit.js';
import type { JurisdictionKeys } from '../store/keys.js';
import { Lease } from '../store/lease.js';

export const jobLeaseTtlMsDefault = 15_000;
/** Renew three times per lease, so one slow reply does not lose it. */
const renewalsPerTtl = 3;
const acquirePollIntervalMs = 100;

export interface JobScope {
  redis: Redis;
  keys: JurisdictionKeys;
  committer: Committer;
  logger?: Logger;
}

export interface JobOptions {
  ttlMs?: number;
  /** How long to wait for another holder's lease before giving up; 0: try once. */
  waitMs?: number;
}

export type JobOutcome<T> = { ran: true; value: T } | { ran: false };

async function acquire(scope: JobScope, job: string, ttlMs: number, waitMs: number): Promise<Lease | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lease = await Lease.tryAcquire(scope.redis, scope.keys, job, ttlMs);
    if (lease !== null || Date.now() >= deadline) return lease;
    await sleep(acquirePollIntervalMs);
  }
}

/** Runs `body` holding the job's lease, with a committer fenced by it; `{ ran: false }` if the lease was busy. */
export async function runSingletonJob<T>(
  scope: JobScope, job: string, options: JobOptions, body: (fenced: Committer) => Promise<T>,
): Promise<JobOutcome<T>> {
  const ttlMs = options.ttlMs ?? jobLeaseTtlMsDefault;
  const lease = await acquire(scope, job, ttlMs, options.waitMs ?? 0);
  if (lease === null) {
    scope.logger?.info({ job }, 'another process holds the job lease; not running it here');
    return { ran: false };
  }
  scope.logger?.debug({ job, token: lease.token }, 'job lease taken');
  const timer = setInterval(() => {
    lease.renew().then(
      (held) => { if (!held) scope.logger?.warn({ job, token: lease.token }, 'job lease lost; its commits will be refused'); },
      (error: unknown) => scope.logger?.warn({ job, err: error }, 'renewing the job lease failed'));
  }, Math.floor(ttlMs / renewalsPerTtl));
  timer.unref();
  try {
    return { ran: true, value: await body(scope.committer.fencedBy(lease)) };
  } finally {
    clearInterval(timer);
    await lease.release().catch((error: unknown) => scope.logger?.warn({ job, err: error }, 'releasing the job lease failed'));
  }
}
