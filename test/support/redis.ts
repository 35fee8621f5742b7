// Test support: every test file that needs Redis gets a real redis-server of its own in a temp dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { RedisServer } from '../../src/store/redis-server.js';
import { RollStore } from '../../src/store/roll-store.js';

export interface TestRedis {
  server: RedisServer;
  dir: string;
  client(): Redis;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  // Short prefix under /tmp keeps the unix socket path well below its 107-byte limit.
  const dir = mkdtempSync(join(tmpdir(), 'dn-redis-'));
  const server = new RedisServer({ dir });
  await server.start();
  const clients: Redis[] = [];
  return {
    server,
    dir,
    client(): Redis {
      const client = new Redis({ path: server.socketPath });
      clients.push(client);
      return client;
    },
    async stop(): Promise<void> {
      for (const client of clients) client.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real redis-server, a client of it, and the Iowa roll store on that client. */
export interface TestRollStore {
  testRedis: TestRedis;
  redis: Redis;
  store: RollStore;
}

export async function startTestRollStore(): Promise<TestRollStore> {
  const testRedis = await startTestRedis();
  const redis = testRedis.client();
  return { testRedis, redis, store: new RollStore(redis, jurisdictionKeys('ia')) };
}
