// A job process for the lease test: takes the `demurrage` job lease with a short TTL and, under it,
// commits one fenced write every 50 ms until the lease is lost (exit 3) or a time limit passes (exit 0).
// Run with REDIS_SOCKET; the test pauses it with SIGSTOP and takes the lease meanwhile.
import { createContext } from '../../../src/app/context.js';
import { runSingletonJob } from '../../../src/app/singleton-job.js';
import { loadConfig, readEnvironment } from '../../../src/config/config.js';
import { createLogger } from '../../../src/config/logger.js';
import { LeaseLostError } from '../../../src/store/lease.js';
import { setTimeout as sleep } from 'node:timers/promises';

const [ttlMs = '500', limitMs = '20000'] = process.argv.slice(2);
const context = await createContext(loadConfig(readEnvironment()), createLogger('silent'));
const writesKey = context.keys.key('lease-test', 'writes');
let code = 0;
try {
  const scope = { redis: context.connection.redis, keys: context.keys, committer: context.committer };
  const outcome = await runSingletonJob(scope, 'demurrage', { ttlMs: Number(ttlMs) }, async (fenced) => {
      const end = Date.now() + Number(limitMs);
      for (let i = 0; Date.now() < end; i += 1) {
        await fenced.commit({ guards: [], writes: [{ op: 'rpush', key: writesKey, value: `${process.pid}-${i}` }], entries: [] });
        if (i === 0) process.stdout.write('holding\n');
        await sleep(50);
      }
    });
  process.stdout.write(outcome.ran ? 'finished\n' : 'busy\n');
} catch (error) {
  if (!(error instanceof LeaseLostError)) throw error;
  process.stdout.write(`lease-lost: ${error.message}\n`);
  code = 3;
} finally {
  await context.close();
}
process.exit(code);
