// Trust anchors reload without a restart: CallerTrust re-reads STIR_SHAKEN_TRUST_ANCHORS (serve calls
// this on SIGHUP). A new STI-CA counts at once, a removed one stops counting at once (validated chains
// are forgotten), and a broken file changes nothing.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { CallerTrust } from '../../src/trust/caller-trust.js';
import { createRootCa } from '../../src/trust/test-pki.js';
import { callFacts, signedIdentity, startStirFixture, x5uFetchTimeoutMsForTests, type StirFixture } from './fixtures.js';

describe('trust: STIR/SHAKEN trust anchors reload without a restart', function () {
  this.timeout(30_000);
  let fixture: StirFixture;
  let dir: string;
  let anchorsFile: string;
  let trust: CallerTrust;

  const stirOf = async (): Promise<{ status: string; reason?: string }> => {
    const screening = await trust.screen(callFacts([await signedIdentity(fixture)]));
    if (screening.decision === undefined) throw new Error(`refused: ${JSON.stringify(screening)}`);
    return screening.decision.stir;
  };

  before(async () => {
    fixture = await startStirFixture();
    dir = mkdtempSync(join(tmpdir(), 'dn-anchors-'));
    anchorsFile = join(dir, 'anchors.pem');
    const otherRoot = await createRootCa({ name: 'CN=Some Other STI-CA, O=Test' });
    writeFileSync(anchorsFile, otherRoot.certificatePem);
    const config = loadConfig({
      REDIS_SOCKET: fixture.redis.server.socketPath, DATA_DIR: dir, STIR_SHAKEN_TRUST_ANCHORS: anchorsFile,
      RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1000',
    });
    trust = new CallerTrust({
      config, redis: fixture.redis.client(), keys: jurisdictionKeys('ia'), logger: pino({ level: 'silent' }),
      fetcher: {
        fetchTimeoutMs: x5uFetchTimeoutMsForTests, tlsCa: fixture.server.tls.certificatePem,
        allowPrivateAddresses: true,
      },
    });
  });
  after(async () => {
    trust.close();
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, refuses a broken file without losing the anchors in use, and removes', async () => {
    expect(await stirOf()).to.deep.include({ status: 'failed', reason: 'chain-untrusted' });

    writeFileSync(anchorsFile, fixture.root.certificatePem);
    expect(trust.reloadTrustAnchors()).to.deep.equal({ reloaded: true, anchors: 1 });
    expect(await stirOf()).to.deep.include({ status: 'passed' });

    writeFileSync(anchorsFile, 'not a certificate\n');
    const broken = trust.reloadTrustAnchors();
    expect(broken).to.deep.include({ reloaded: false });
    expect(await stirOf()).to.deep.include({ status: 'passed' });

    writeFileSync(anchorsFile, (await createRootCa({ name: 'CN=Yet Another STI-CA, O=Test' })).certificatePem);
    expect(trust.reloadTrustAnchors()).to.deep.equal({ reloaded: true, anchors: 1 });
    // The chain was validated (and cached) under the old anchors; it must not count any more.
    expect(await stirOf()).to.deep.include({ status: 'failed', reason: 'chain-untrusted' });
  });

  it('says why when the anchors were not configured from a file', async () => {
    const config = loadConfig({ REDIS_SOCKET: fixture.redis.server.socketPath, DATA_DIR: dir });
    const unconfigured = new CallerTrust({ config, redis: fixture.redis.client(), keys: jurisdictionKeys('ia'),
      logger: pino({ level: 'silent' }) });
    expect(unconfigured.reloadTrustAnchors()).to.deep.include({ reloaded: false });
    unconfigured.close();
  });
});
