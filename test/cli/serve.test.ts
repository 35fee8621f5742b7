// The product process that ./scripts/start runs: embedded redis-server, a sample roll when none is
// configured, the sample bills, the published log, and a clean shutdown on SIGTERM / SIGINT.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { cliPath } from '../support/cli.js';

const startTimeoutMs = 60_000;

function startServe(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(process.execPath, [cliPath, 'serve'], {
    env: { PATH: process.env.PATH ?? '', CI: 'true', LOG_LEVEL: 'warn', SIP_LISTEN: '127.0.0.1:0', WEB_LISTEN: '127.0.0.1:0', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${output}`)), startTimeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('stop with Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${output}`)); });
  });
  return { child, output: () => output, ready };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('cli serve: the one-machine default', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dn-serve-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts its own redis-server, a sample roll and the log, and stops cleanly on SIGTERM', async () => {
    const env = { DATA_DIR: dir, SAMPLE_ROLL_VOTERS: '500' };
    const server = startServe(env);
    await server.ready;
    expect(server.output()).to.match(/generation 1, 500 voters/);
    expect(server.output()).to.match(/bills: +6/);
    expect(server.output()).to.match(/sip: +127\.0\.0\.1:[1-9]\d* \(UDP and TCP\)/);
    const socket = join(dir, 'redis', 'redis.sock');
    const client = new Redis({ path: socket });
    expect(await client.config('GET', 'appendfsync')).to.deep.equal(['appendfsync', 'always']);
    client.disconnect();
    const text = readFileSync(join(dir, 'audit_log.txt'), 'utf8');
    expect(text).to.match(/^#1 At \S+ operator imports voter roll generation 1 \(500 voters\)/);
    const exit = exited(server.child);
    server.child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(server.output()).to.match(/stopped cleanly/);
    expect(existsSync(socket)).to.equal(false);
    expect(existsSync(join(dir, 'redis', 'owner.pid'))).to.equal(false);
  });

  it('keeps its data across restarts: same roll, no duplicate imports (SIGINT this time)', async () => {
    const server = startServe({ DATA_DIR: dir, SAMPLE_ROLL_VOTERS: '500' });
    await server.ready;
    expect(server.output()).to.match(/generation 1, 500 voters/);
    const exit = exited(server.child);
    server.child.kill('SIGINT');
    expect(await exit).to.equal(0);
    const lines = readFileSync(join(dir, 'audit_log.jsonl'), 'utf8').trim().split('\n');
    expect(lines.filter((line) => line.includes('imports voter roll'))).to.have.length(1);
  });

  it('refuses to start with an invalid variable and names it', async () => {
    const server = startServe({ DATA_DIR: dir, NUMBER_OF_ACTIVATIONS_TO_REWARD: '-3' });
    const code = await exited(server.child);
    await server.ready.catch(() => undefined);
    expect(code).to.equal(2);
    expect(server.output()).to.match(/NUMBER_OF_ACTIVATIONS_TO_REWARD: expected at least 1/);
  });

  it('names WEB_LISTEN when its port is taken, and SIP_LISTEN when the SIP port is', async () => {
    const web = createServer();
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const sip = createSocket('udp4');
    await new Promise<void>((resolve) => sip.bind(0, '127.0.0.1', resolve));
    try {
      const webTaken = `127.0.0.1:${(web.address() as AddressInfo).port}`;
      const webServe = startServe({ DATA_DIR: dir, WEB_LISTEN: webTaken, SPEECH_ENGINE: 'none' });
      expect(await exited(webServe.child)).to.equal(2);
      await webServe.ready.catch(() => undefined);
      expect(webServe.output()).to.include(`WEB_LISTEN: ${webTaken} is in use by another process`);
      const sipTaken = `127.0.0.1:${sip.address().port}`;
      const sipServe = startServe({ DATA_DIR: dir, SIP_LISTEN: sipTaken, SPEECH_ENGINE: 'none' });
      expect(await exited(sipServe.child)).to.equal(2);
      await sipServe.ready.catch(() => undefined);
      expect(sipServe.output()).to.include(`SIP_LISTEN: ${sipTaken} is in use by another process`);
      // Nothing was left holding the data directory: the next start succeeds.
      const server = startServe({ DATA_DIR: dir, SPEECH_ENGINE: 'none' });
      await server.ready;
      const exit = exited(server.child);
      server.child.kill('SIGTERM');
      expect(await exit).to.equal(0);
    } finally {
      web.close();
      sip.close();
    }
  });
});
