// Test support: an app context on a real redis-server of its own, with a hand-made Iowa roll imported as
// generation 1, and one stop() that undoes all of it. Tests that need exact voters start here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { writeIowaZip, type HandVoter } from './iowa-zip.js';
import { startTestRedis, type TestRedis } from './redis.js';

export interface HandRollContext {
  readonly redis: TestRedis;
  /** DATA_DIR, a temp dir removed by stop(); the roll export is `<dir>/<rollFile>`. */
  readonly dir: string;
  readonly config: Config;
  readonly context: AppContext;
  /** Closes the context, stops redis-server and removes the temp dirs. */
  stop(): Promise<void>;
}

export async function startHandRollContext(options: { voters: readonly HandVoter[]; dirPrefix: string;
  env?: Record<string, string>; rollFile?: string }): Promise<HandRollContext> {
  const redis = await startTestRedis();
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix));
  const config = loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, ...options.env });
  const context = await createContext(config, createLogger('silent'));
  const rollPath = join(dir, options.rollFile ?? 'roll.zip');
  await writeIowaZip(rollPath, options.voters);
  await importRollFile(context, rollPath);
  return {
    redis, dir, config, context,
    async stop(): Promise<void> {
      await context.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
