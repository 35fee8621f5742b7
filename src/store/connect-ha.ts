// Clients for Redis beyond one machine, through ioredis's own Sentinel and Cluster support:
// a Sentinel-managed primary with replicas, or a Redis Cluster. Every key of a jurisdiction carries
// its hash tag (`{ia}`), so with a Cluster all of a jurisdiction's multi-key scripts run on one node.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisNode } from '../config/config.js';

/** How long a command may wait for the store to come back (e.g. a Sentinel failover) before it fails. */
export const haRetriesPerRequestMax = 40;
const reconnectDelayMsMax = 500;
export const haSocketTimeoutMs = 5_000;

// A command whose reply was lost when the primary died is sent again to the new primary (ioredis's
// autoResendUnfulfilledCommands; with it off, ioredis 6.0.0 drops those commands' promises unsettled).
// That is safe for every commit: guards (idempotency keys, demurrage cursors, roll generations) refuse a
// second application, and a resent vote records the same choice again. See README "Beyond one machine".
const haCommandOptions: RedisOptions = {
  autoResendUnfulfilledCommands: true,
  maxRetriesPerRequest: haRetriesPerRequestMax,
  // A primary cut off the network sends no RST: without this a command to it waits forever. A reply
  // slower than this (WAIT is bounded by REDIS_WAIT_TIMEOUT_MS) drops the socket and asks the sentinels again.
  socketTimeout: haSocketTimeoutMs,
  connectTimeout: haSocketTimeoutMs,
};

/** A replica promoted by someone else answers READONLY to writes: reconnect through Sentinel, do not resend. */
function reconnectOnReadOnly(error: Error): 1 | false {
  return error.message.startsWith('READONLY') ? 1 : false;
}

export function sentinelClient(sentinels: readonly RedisNode[], masterName: string): Redis {
  return new Redis({
    ...haCommandOptions,
    sentinels: sentinels.map(({ host, port }) => ({ host, port })),
    name: masterName,
    role: 'master',
    // No failoverDetector: with ioredis 6.0.0 its reconnect on +switch-master sometimes left the client
    // closed for good (seen in test/cluster/failover.test.ts). A dead primary drops the connection and a
    // demoted one answers READONLY; both make the client ask the sentinels again.
    reconnectOnError: reconnectOnReadOnly,
    retryStrategy: (attempt) => Math.min(attempt * 50, reconnectDelayMsMax),
    sentinelRetryStrategy: (attempt) => Math.min(attempt * 100, reconnectDelayMsMax * 2),
  });
}

/**
 * A Cluster client. ioredis's Cluster has the same command methods as Redis (both are its Commander),
 * so the rest of the store uses it through the Redis type; `test/cluster/cluster.test.ts` runs the
 * whole app flow on a real 3-primary cluster to hold that claim.
 */
export function clusterClient(nodes: readonly RedisNode[]): Redis {
  const cluster = new Cluster(nodes.map(({ host, port }) => ({ host, port })), {
    redisOptions: { ...haCommandOptions, reconnectOnError: reconnectOnReadOnly },
    retryDelayOnFailover: 100,
    retryDelayOnTryAgain: 50,
    retryDelayOnClusterDown: 100,
    // Slot migration (ASK/MOVED) and failover redirect a command a few times before it succeeds.
    maxRedirections: 32,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, reconnectDelayMsMax * 2),
  });
  return cluster as unknown as Redis;
}
