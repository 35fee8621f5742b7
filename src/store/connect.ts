// Connects to the configured Redis: a URL, a unix socket, or (the default) an embedded redis-server
// that this process starts on the data directory — or reuses, if another process of ours already
// runs it there. A lock file makes sure two processes never start two servers on the same AOF.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Logger } from '../config/logger.js';
import { clusterClient, sentinelClient } from './connect-ha.js';
import { RedisServer, redisStartTimeoutMs } from './redis-server.js';

const lockPollIntervalMs = 50;

export interface RedisConnection {
  redis: Redis;
  /** Set when this process started the embedded server and owns it. */
  server: RedisServer | null;
  close(): Promise<void>;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pingSocket(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const probe = new Redis({ path, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Takes the embedded server's lock, or returns false if a live process holds it. */
function tryLock(lockPath: string): boolean {
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch {
    const holder = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isSafeInteger(holder) && holder > 0 && processAlive(holder)) return false;
    rmSync(lockPath, { force: true });
    return tryLock(lockPath);
  }
}

async function connectEmbedded(dir: string, logger: Logger): Promise<RedisConnection> {
  mkdirSync(dir, { recursive: true });
  const server = new RedisServer({ dir });
  const lockPath = join(dir, 'owner.pid');
  const deadline = Date.now() + redisStartTimeoutMs * 2;
  while (Date.now() < deadline) {
    if (await pingSocket(server.socketPath)) {
      logger.debug({ socket: server.socketPath }, 'using the running embedded redis-server');
      const redis = new Redis({ path: server.socketPath });
      return { redis, server: null, close: async () => { redis.disconnect(); } };
    }
    if (tryLock(lockPath)) {
      try {
        await server.start();
      } catch (error) {
        rmSync(lockPath, { force: true });
        throw error;
      }
      logger.info({ socket: server.socketPath, pid: server.pid }, 'started embedded redis-server (AOF, appendfsync always)');
      const redis = new Redis({ path: server.socketPath });
      return {
        redis,
        server,
        close: async () => {
          await redis.quit().catch(() => undefined);
          await server.stop();
          rmSync(lockPath, { force: true });
        },
      };
    }
    await sleep(lockPollIntervalMs);
  }
  throw new Error(`embedded redis-server in ${dir} is locked by another process but does not answer`);
}

export async function connectRedis(config: Config, logger: Logger): Promise<RedisConnection> {
  const target = config.redis;
  if (target.kind === 'embedded') return connectEmbedded(target.dir, logger);
  const redis = target.kind === 'url' ? new Redis(target.url, { lazyConnect: true })
    : target.kind === 'socket' ? new Redis({ path: target.path, lazyConnect: true })
      : target.kind === 'sentinel' ? sentinelClient(target.sentinels, target.masterName)
        : clusterClient(target.nodes);
  // Errors while the store fails over are retried by ioredis; each one is worth a debug line, not a crash.
  redis.on('error', (error: Error) => logger.debug({ err: error.message, kind: target.kind }, 'redis connection error'));
  try {
    // Sentinel and Cluster clients retry their first connection too (a failover may be under way).
    if (target.kind === 'sentinel' || target.kind === 'cluster') await redis.ping();
    else await redis.connect();
  } catch (error) {
    redis.disconnect();
    const where = { url: 'REDIS_URL', socket: 'REDIS_SOCKET', sentinel: 'REDIS_SENTINELS', cluster: 'REDIS_CLUSTER_NODES' }[target.kind];
    throw new Error(`cannot connect to Redis (${where}): ${(error as Error).message}`);
  }
  // disconnect() after QUIT also ends the Sentinel client's own connections (its failover detector).
  return { redis, server: null, close: async () => { await redis.quit().catch(() => undefined); redis.disconnect(); } };
}
