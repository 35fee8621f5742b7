// A call and the death of the process that answered it: two `serve` processes (the real CLI, embedded
// SIP endpoints on their own ports) share one real redis-server. A real sipp caller calls A; once the
// dialog runs (its call-state key is in Redis), A gets kill -9. The call does not survive (its SIP
// dialog, media and menu position lived in A), but nothing is half-written: `ledger verify` and `log
// verify --store` pass, the call's state key carries its expiry (it goes away within the hour and no
// one reads it meanwhile), and B answers the next call and ends it cleanly.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { callStateTtlSeconds } from '../../src/ivr/verb.js';
import { cliPath, runCli } from '../support/cli.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { callerMedia } from '../telephony/support/caller-media.js';
import { writePcap } from '../telephony/support/pcap.js';
import { runSipp, type SippResult } from '../telephony/support/sipp.js';
import { kill9 } from './support/redis-hosts.js';

const startTimeoutMs = 90_000;

interface Serve { child: ChildProcess; sipPort: number; output: () => string }

function startServe(env: Record<string, string>): Promise<Serve> {
  const child = spawn(process.execPath, [cliPath, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve not ready: ${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const port = /sip: +127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (output.includes('stop with Ctrl-C') && port !== undefined) {
        clearTimeout(timer);
        resolve({ child, sipPort: Number(port), output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${output}`)); });
  });
}

async function callKeys(redis: Redis): Promise<string[]> {
  return (await redis.keys('{ia}:call:*')).sort();
}

describe('cluster/call-process-death: kill -9 of the process answering a call', function () {
  this.timeout(240_000);
  let testRedis: TestRedis;
  let redis: Redis;
  let dir: string;
  const servers: Serve[] = [];

  before(async () => {
    testRedis = await startTestRedis();
    redis = testRedis.client();
    dir = mkdtempSync(join(tmpdir(), 'dn-calldeath-'));
  });
  after(async () => {
    for (const server of servers) await kill9(server.child);
    await testRedis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function env(name: string, rtpBase: number): Record<string, string> {
    return { REDIS_SOCKET: testRedis.server.socketPath, DATA_DIR: join(dir, name), SAMPLE_ROLL_VOTERS: '500',
      SIP_LISTEN: '127.0.0.1:0', WEB_LISTEN: '127.0.0.1:0', SPEECH_ENGINE: 'none', LOG_LEVEL: 'warn',
      RTP_PORT_MIN: String(rtpBase), RTP_PORT_MAX: String(rtpBase + 49) };
  }

  function sippDir(name: string): string {
    const cwd = join(dir, name);
    mkdirSync(cwd, { recursive: true });
    writePcap(join(cwd, 'keys.pcap'), callerMedia({ toneMs: 600, digits: '1' }));
    return cwd;
  }

  it('loses the call but writes nothing half, and the other process keeps serving', async () => {
    const rtpBase = 40_000 + (process.pid % 100) * 100;
    servers.push(await startServe(env('a', rtpBase)));
    servers.push(await startServe(env('b', rtpBase + 50)));
    const [a, b] = servers as [Serve, Serve];

    // The caller waits for our BYE; it never comes, and sipp gives up after its timeout.
    const doomed: Promise<SippResult> = runSipp({ scenario: 'uac-keys.xml', target: `127.0.0.1:${a.sipPort}`,
      cwd: sippDir('call-a'), timeoutMs: 12_000 });
    const started = Date.now();
    let live: string[] = [];
    while (live.length === 0) {
      if (Date.now() - started > 30_000) throw new Error(`A never started the dialog: ${a.output()}`);
      await sleep(50);
      live = await callKeys(redis);
    }
    await sleep(500); // inside the dialog's first prompt
    const stateAtKill = await redis.hgetall(live[0] ?? '');
    await kill9(a.child);
    const sipp = await doomed;
    console.log(`      call-state at kill -9: ${JSON.stringify(stateAtKill)}; sipp exit ${sipp.code} (no BYE from the dead process)`);
    expect(sipp.code, 'the call did not end normally: its process died').to.not.equal(0);

    // Nothing half-written: every change is one commit, so the ledger and the log verify.
    const storeEnv = { REDIS_SOCKET: testRedis.server.socketPath, DATA_DIR: join(dir, 'cli') };
    const ledger = await runCli(['ledger', 'verify'], storeEnv);
    expect(ledger.code, ledger.stderr).to.equal(0);
    expect(ledger.stdout).to.match(/ok/i);
    const log = await runCli(['log', 'verify', '--store'], storeEnv);
    expect(log.stdout, log.stderr).to.match(/^ok: \d+ entries/);
    // The dead call's state stays only until its expiry; it is never marked ended.
    const ttl = await redis.ttl(live[0] ?? '');
    expect(ttl).to.be.greaterThan(0).and.at.most(callStateTtlSeconds);
    expect(stateAtKill.menu).to.not.equal('ended');

    // B answers the next call, and it ends cleanly when the caller hangs up.
    const next = await runSipp({ scenario: 'uac-bye-mid-prompt.xml', target: `127.0.0.1:${b.sipPort}`, cwd: sippDir('call-b'),
      timeoutMs: 20_000 });
    expect(next.code, next.stderr + next.stdout.slice(-1500)).to.equal(0);
    let ended: Record<string, string> = {};
    const since = Date.now();
    while (ended.menu !== 'ended' && Date.now() - since < 10_000) {
      const fresh = (await callKeys(redis)).filter((key) => !live.includes(key));
      ended = fresh.length === 0 ? {} : await redis.hgetall(fresh[0] ?? '');
      await sleep(100);
    }
    expect(ended).to.include({ menu: 'ended' });
    expect(b.child.exitCode, 'B is still running').to.equal(null);
    const after = await runCli(['log', 'verify', '--store'], storeEnv);
    expect(after.stdout, after.stderr).to.match(/^ok: \d+ entries/);
  });
});
