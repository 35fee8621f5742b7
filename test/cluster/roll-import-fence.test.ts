// Roll imports across processes with fencing, on a real redis-server: importer A (the real CLI) is
// frozen with SIGSTOP while it writes a big roll; its lease and import lock (JOB_LEASE_TTL_MS=1000)
// expire; importer B imports and activates a small roll. After SIGCONT, A stops with lock-lost and
// nothing it does lands: B's roll stays current and whole, A's generation (removed by B as a
// leftover) is not written again, only B's activation is in the audit log, and the log verifies.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { generateRoll } from '../../src/roll/generate.js';
import { loadIowa } from '../../src/roll/iowa/index.js';
import { RollStore } from '../../src/store/roll-store.js';
import { cliPath, runCli } from '../support/cli.js';
import { amesVoters, writeIowaZip } from '../support/iowa-zip.js';
import { startTestRollStore, type TestRedis } from '../support/redis.js';
import { makeTempDir } from '../roll/roll-fixtures.js';

const bigRollVoters = 150_000;
/** Freeze A once this many of its rows are in Redis: well inside the roll. */
const freezeAfterRows = 10_000;
const leaseTtlMs = 1_000;
const small = amesVoters(5, 6101, 'fenced');

describe('cluster/roll-import-fence: a roll importer frozen past its lease cannot write or activate when it resumes', function () {
  this.timeout(180_000);
  const temp = makeTempDir('dn-fence-');
  let testRedis: TestRedis;
  let redis: Redis;
  let store: RollStore;
  let env: Record<string, string>;

  before(async () => {
    ({ testRedis, redis, store } = await startTestRollStore());
    env = { REDIS_SOCKET: testRedis.server.socketPath, DATA_DIR: join(temp.path, 'app'),
      JOB_LEASE_TTL_MS: String(leaseTtlMs), LOG_LEVEL: 'warn' };
  });
  after(async () => {
    await testRedis.stop();
    temp.remove();
  });

  it('refuses the stale importer\'s writes inside the scripts and keeps the other importer\'s roll', async () => {
    const big = await generateRoll({ seed: 7, voters: bigRollVoters, jurisdiction: loadIowa(), outputPath: join(temp.path, 'big.zip') });
    await writeIowaZip(join(temp.path, 'small.zip'), small);

    const a = spawn(process.execPath, [cliPath, 'roll', 'import', big.path], { env: { PATH: process.env.PATH ?? '', ...env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'] });
    let aStderr = '';
    a.stderr.on('data', (chunk: Buffer) => { aStderr += chunk.toString(); });
    a.stdout.resume();
    const aExit = new Promise<number>((resolve) => a.once('exit', (code) => resolve(code ?? -1)));
    let aGeneration: number | null = null;
    const started = Date.now();
    for (;;) {
      aGeneration = await store.buildingGeneration();
      if (aGeneration !== null && await store.count(aGeneration) >= freezeAfterRows) break;
      if (Date.now() - started > 60_000 || a.exitCode !== null) throw new Error(`A did not get going: ${aStderr}`);
      await sleep(20);
    }
    a.kill('SIGSTOP');
    const rowsAtFreeze = await store.count(aGeneration);
    await sleep(leaseTtlMs * 2.5);

    const b = await runCli(['roll', 'import', join(temp.path, 'small.zip')], env);
    expect(b.code, b.stderr).to.equal(0);
    const bGeneration = await store.currentGeneration();
    expect(bGeneration).to.not.equal(aGeneration);
    expect(await redis.exists(...store.keysOfGeneration(aGeneration)), 'B removed A\'s unfinished generation').to.equal(0);

    a.kill('SIGCONT');
    expect(await aExit, 'A stops with an error').to.not.equal(0);
    expect(aStderr).to.match(/roll import stopped: (another import took over the lock \(write refused: roll import lock \{ia\}:roll:lock no longer holds token|the import lock expired)/);
    const refusedByScript = /write refused/.test(aStderr);
    console.log(`      A frozen at ${rowsAtFreeze} rows; after SIGCONT it stopped: ${refusedByScript
      ? 'its next batch was refused inside the write script (fence)' : 'its lock refresh saw the lock gone first'}`);

    expect(await store.currentGeneration(), 'B\'s roll stays current').to.equal(bGeneration);
    expect(await store.count(), 'B\'s roll is whole').to.equal(small.length);
    expect(await redis.exists(...store.keysOfGeneration(aGeneration)), 'nothing of A\'s generation was written again').to.equal(0);
    expect(await store.buildingGeneration()).to.equal(null);
    expect(await store.generations()).to.deep.equal([bGeneration]);
    const log = await redis.lrange('{ia}:log', 0, -1);
    const activations = log.filter((body) => body.includes('"type":"roll"'));
    expect(activations, 'exactly one roll activation, B\'s').to.have.length(1);
    const verify = await runCli(['log', 'verify', '--store'], env);
    expect(verify.stdout, verify.stderr).to.match(/^ok: \d+ entries/);
  });
});
