import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustAnchors } from '../../src/trust/certificate-chain.js';
import { tnAuthListOf } from '../../src/trust/tn-auth-list.js';
import { StirVerifier } from '../../src/trust/verifier.js';
import { runCli } from '../support/cli.js';
import { callFacts, startStirFixture, type StirFixture } from './fixtures.js';

describe('trust: pki command line (real CLI binary)', function () {
  // Several CLI processes start in turn; on a busy machine each takes seconds.
  this.timeout(60_000);
  let fixture: StirFixture;
  let dir: string;
  before(async () => {
    fixture = await startStirFixture();
    dir = mkdtempSync(join(tmpdir(), 'dn-pki-'));
  });
  after(async () => {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a PKI, issues an SP certificate, and signs an Identity header the verifier accepts', async () => {
    const init = await runCli(['pki', 'init', '--dir', dir], {});
    expect(init.code, init.stderr).to.equal(0);
    expect(init.stdout).to.contain('STIR_SHAKEN_TRUST_ANCHORS');
    expect(statSync(join(dir, 'root.key')).mode & 0o077).to.equal(0);
    const again = await runCli(['pki', 'init', '--dir', dir], {});
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/already holds a PKI/);

    const issue = await runCli(['pki', 'issue-sp', '--dir', dir, '--spc', '1234', '--tn', '515-555-0100'], {});
    expect(issue.code, issue.stderr).to.equal(0);
    const leaf = new X509Certificate(readFileSync(join(dir, 'sp-1234.pem')));
    expect(tnAuthListOf(leaf)).to.deep.equal({ spcs: ['1234'], numbers: ['15155550100'], ranges: [] });

    const x5u = fixture.server.serve('/cli-sp.pem', readFileSync(join(dir, 'sp-1234-chain.pem'), 'utf8'));
    const sign = await runCli(['pki', 'sign', '--dir', dir, '--orig', '515-555-0100', '--dest', '(319) 555-0199',
      '--attest', 'b', '--x5u', x5u], {});
    expect(sign.code, sign.stderr).to.equal(0);
    const header = sign.stdout.trim();
    expect(header).to.match(/;info=<https:\/\/127\.0\.0\.1:\d+\/cli-sp\.pem>;alg=ES256;ppt=shaken$/);

    const anchors = new TrustAnchors([new X509Certificate(readFileSync(join(dir, 'root.pem')))]);
    const verifier = new StirVerifier({ fetcher: fixture.fetcher, anchors, replay: fixture.replay });
    expect(await verifier.verify(callFacts([header]))).to.deep.include({ status: 'passed', attest: 'B' });
  });

  it('explains bad arguments in one line with exit code 2', async () => {
    const result = await runCli(['pki', 'sign', '--dir', dir, '--orig', '12', '--dest', '3195550199',
      '--attest', 'A', '--x5u', 'https://127.0.0.1/x.pem'], {});
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/--orig must be a 10-digit phone number/);
    const plain = await runCli(['pki', 'sign', '--dir', dir, '--orig', '5155550100', '--dest', '3195550199',
      '--attest', 'A', '--x5u', 'http://127.0.0.1/x.pem'], {});
    expect(plain.stderr).to.match(/--x5u must be an https:\/\/ URL/);
  });
});
