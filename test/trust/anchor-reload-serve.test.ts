// The SIGHUP wiring in the real serve process: after the anchors file changes, `kill -HUP` makes the
// running server log the reload with the new count, keeps serving, and still stops cleanly.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootCa } from '../../src/trust/test-pki.js';
import { cliPath } from '../support/cli.js';

describe('trust: serve reloads STIR/SHAKEN trust anchors on SIGHUP', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dn-anchors-serve-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs the reloaded anchors and stops cleanly afterwards', async () => {
    const anchors = join(dir, 'anchors.pem');
    writeFileSync(anchors, (await createRootCa({ name: 'CN=First STI-CA, O=Test' })).certificatePem);
    const child = spawn(process.execPath, [cliPath, 'serve'], {
      env: { PATH: process.env.PATH ?? '', CI: 'true', LOG_LEVEL: 'info', SIP_LISTEN: '127.0.0.1:0', DATA_DIR: dir,
        SAMPLE_ROLL_VOTERS: '100', STIR_SHAKEN_TRUST_ANCHORS: anchors },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const seen = (pattern: RegExp): Promise<void> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${output.slice(-3000)}`)), 60_000);
      const check = (): void => {
        if (!pattern.test(output)) return;
        clearTimeout(timer);
        resolve();
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
    });
    const collect = (chunk: Buffer): void => { output += chunk.toString(); };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await seen(/stop with Ctrl-C/);
    writeFileSync(anchors, (await createRootCa({ name: 'CN=First STI-CA, O=Test' })).certificatePem
      + (await createRootCa({ name: 'CN=Second STI-CA, O=Test' })).certificatePem);
    child.kill('SIGHUP');
    await seen(/"anchors":2,"msg":"trust anchors reloaded"|"msg":"trust anchors reloaded".*"anchors":2/);
    child.kill('SIGTERM');
    expect(await exited, output.slice(-2000)).to.equal(0);
    expect(output).to.include('stopped cleanly');
  });
});
