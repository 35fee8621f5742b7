// Acknowledged writes wait for replicas (README "Beyond one machine"): after a commit, WAIT until
// `replicas` replicas have everything this connection wrote, or fail. WAIT is not consistency: a
// write that timed out is still on the primary and may or may not survive a failover, so the caller
// gets an error that says exactly that (idempotency keys make a retry safe for money).
import type { Redis } from 'ioredis';

export interface Durability {
  /** Replicas that must confirm each acknowledged write; 0 acknowledges on the primary alone. */
  replicas: number;
  timeoutMs: number;
}

export const noDurability: Durability = { replicas: 0, timeoutMs: 0 };

export class ReplicationTimeoutError extends Error {
  override name = 'ReplicationTimeoutError';
  constructor(readonly confirmed: number, readonly required: number, readonly timeoutMs: number) {
    super(`write applied on the Redis primary but confirmed by ${confirmed} of ${required} replicas within `
      + `${timeoutMs} ms; it is not acknowledged and may be lost if the primary fails`);
  }
}

export function assertDurability(durability: Durability): void {
  if (!Number.isSafeInteger(durability.replicas) || durability.replicas < 0) throw new RangeError('replicas must be ≥ 0');
  if (durability.replicas > 0 && (!Number.isSafeInteger(durability.timeoutMs) || durability.timeoutMs < 1)) {
    throw new RangeError('a replica wait needs a positive timeout');
  }
}

/**
 * Waits until the replicas have this connection's writes. `slotKey` routes the WAIT: with a Cluster
 * the pipeline goes to the node that owns the key's slot, the same connection the commit used.
 */
export async function confirmReplicated(redis: Redis, slotKey: string, durability: Durability): Promise<void> {
  if (durability.replicas === 0) return;
  const replies = await redis.pipeline().exists(slotKey).wait(durability.replicas, durability.timeoutMs).exec();
  const [error, confirmed] = replies?.[1] ?? [new Error('no reply to WAIT'), 0];
  if (error !== null) throw error;
  if (Number(confirmed) < durability.replicas) {
    throw new ReplicationTimeoutError(Number(confirmed), durability.replicas, durability.timeoutMs);
  }
}
