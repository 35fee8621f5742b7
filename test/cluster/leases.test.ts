// Singleton jobs under leases with fencing tokens, on a real redis-server with real processes:
// two CLI processes start the same demurrage period at once and it runs exactly once; a leaseholder
// paused with SIGSTOP past its lease cannot write after it resumes (the commit script refuses it).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createContext, type AppContext } from '../../src/app/context.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { Lease } from '../../src/store/lease.js';
import { runCli } from '../support/cli.js';
import { amesVoters, writeIowaZip } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const holderPath = fileURLToPath(new URL('./support/lease-holder.js', import.meta.url));
const voters = amesVoters(12, 7001, 'leaser');

describe('cluster/leases: singleton jobs with fencing tokens across processes', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let dir: string;
  let env: Record<string, string>;
  let context: AppContext;

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-leases-'));
    env = { REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, NUMBER_OF_ACTIVATIONS_TO_REWARD: '100',
      DEMURRAGE_PERIOD: 'month', DEMURRAGE_RATE_BASIS_POINTS: '100' };
    context = await createContext(loadConfig(env), createLogger('silent'));
    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await importRollFile(context, join(dir, 'roll.zip'));
    // Each first delegation makes a participant with an activation reward: balances to charge.
    for (const [i, voter] of voters.entries()) {
      await context.democracy.delegate(await context.callers.byVoterId(voter.id, 'cli'), voters[(i + 1) % voters.length]?.id ?? '');
    }
  });
  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs demurrage exactly once when two processes start the same period at once', async () => {
    const run = (): ReturnType<typeof runCli> => runCli(['money', 'demurrage', 'run', '--period', '2026-11'], env);
    const [first, second] = await Promise.all([run(), run()]);
    for (const result of [first, second]) expect(result?.code, result?.stderr).to.equal(0);
    const outputs = [first?.stdout ?? '', second?.stdout ?? ''];
    expect(outputs.filter((out) => /charged \$/.test(out))).to.have.length(1);
    expect(outputs.filter((out) => /already done/.test(out))).to.have.length(1);
    const events: Array<{ type: string; period?: string; kind?: string }> = [];
    for await (const entry of context.auditLog.readEntries()) {
      events.push(entry.event as { type: string; period?: string });
    }
    expect(events.filter((event) => event.type === 'demurrage-start' && event.period === '2026-11')).to.have.length(1);
    expect(events.filter((event) => event.type === 'demurrage-done' && event.period === '2026-11')).to.have.length(1);
    expect(events.filter((event) => event.type === 'transfer' && event.kind === 'dividend')).to.have.length(1);
    const verified = await context.money.verify();
    expect(verified.problems).to.deep.equal([]);
  });

  it('refuses every commit of a leaseholder paused past its lease once it resumes', async () => {
    const child = spawn(process.execPath, [holderPath, '400', '20000'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    const started = Date.now();
    while (!stdout.includes('holding')) {
      if (Date.now() - started > 20_000) throw new Error(`lease holder did not start: ${stdout}`);
      await sleep(20);
    }
    const client = redis.client();
    const writesKey = context.keys.key('lease-test', 'writes');
    child.kill('SIGSTOP');
    await sleep(1_000); // > the 400 ms lease: it expires while the holder is frozen
    const takeover = await Lease.tryAcquire(client, context.keys, 'demurrage', 30_000);
    expect(takeover, 'the lease expired while its holder was paused').to.not.equal(null);
    const writesAtTakeover = await client.llen(writesKey);
    expect(writesAtTakeover).to.be.greaterThan(0);
    child.kill('SIGCONT');
    expect(await exited).to.equal(3);
    expect(stdout).to.match(/lease-lost: lease \{ia\}:lease:demurrage \(token \d+\) expired or passed to another process/);
    expect(await client.llen(writesKey), 'no write of the old holder landed after the takeover').to.equal(writesAtTakeover);
    await takeover?.release();
  });
});
