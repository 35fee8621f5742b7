import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { loadTrustAnchors } from '../../src/trust/certificate-chain.js';
import { CallerTrust } from '../../src/trust/caller-trust.js';
import { callFacts, signedIdentity, startStirFixture, type StirFixture } from './fixtures.js';

describe('trust: screening an inbound call from configuration', () => {
  let fixture: StirFixture;
  let dir: string;
  const logLines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({
    write(chunk: Buffer, _encoding, done) { logLines.push(chunk.toString()); done(); },
  }));
  const trusts: CallerTrust[] = [];

  before(async () => {
    fixture = await startStirFixture();
    dir = mkdtempSync(join(tmpdir(), 'dn-anchors-'));
    writeFileSync(join(dir, 'root.pem'), fixture.root.certificatePem);
    writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
  });
  after(async () => {
    for (const trust of trusts) trust.close();
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const callerTrust = (env: Record<string, string>): CallerTrust => {
    const config = loadConfig({ STIR_SHAKEN_TRUST_ANCHORS: dir, ...env });
    const trust = new CallerTrust({
      config, redis: fixture.redis.client(), keys: jurisdictionKeys('ia'), logger,
      fetcher: { tlsCa: fixture.server.tls.certificatePem, allowPrivateAddresses: true },
    });
    trusts.push(trust);
    return trust;
  };

  it('loads trust anchors from a directory or a file, and refuses an empty set', () => {
    expect(loadTrustAnchors(dir).certificates).to.have.length(1);
    expect(loadTrustAnchors(join(dir, 'root.pem')).certificates).to.have.length(1);
    expect(() => loadTrustAnchors(join(dir, 'notes.txt'))).to.throw(/no PEM certificates/);
  });

  it('admits a call with attestation A as verified and logs the decision', async () => {
    const facts = callFacts([await signedIdentity(fixture)]);
    const screening = await callerTrust({}).screen(facts);
    expect(screening.kind).to.equal('admitted');
    if (screening.kind !== 'admitted') return;
    expect(screening.decision).to.deep.include({ level: 'verified', via: 'stir-shaken', callingNumber: '5155550100' });
    expect(logLines.some((line) => line.includes(facts.callId) && line.includes('call trust decided'))).to.equal(true);
  });

  it('refuses a bad signature with 438 when the policy says reject', async () => {
    const other = await signedIdentity(fixture, { attest: 'C' });
    const tampered = other.replace(/^([^.]+)\.([^.]+)\./, (_all, header: string) =>
      `${header}.${Buffer.from(JSON.stringify({ attest: 'A' })).toString('base64url')}.`);
    const screening = await callerTrust({ STIR_SHAKEN_FAILURE_POLICY: 'reject' }).screen(callFacts([tampered]));
    expect(screening).to.deep.include({ kind: 'refused', sipStatus: 438 });
  });

  it('refuses the calls over the per-number limit with 486 and logs it', async () => {
    const trust = callerTrust({ RATE_LIMIT_CALLS_PER_NUMBER_PER_HOUR: '1' });
    const facts = callFacts([], { fromNumber: '<sip:+15155550142@carrier>' });
    expect((await trust.screen(facts)).kind).to.equal('admitted');
    const refused = await trust.screen({ ...facts, callId: 'second' });
    expect(refused).to.deep.include({ kind: 'refused', sipStatus: 486, reason: 'Busy Here' });
    expect(logLines.some((line) => line.includes('call refused by rate limit'))).to.equal(true);
  });
});
