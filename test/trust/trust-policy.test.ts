import { expect } from 'chai';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { decideTrust, logTrustDecision, TrustedTrunks, verstatPassed, type TrustPolicy } from '../../src/trust/trust-policy.js';
import type { IncomingCallFacts, StirResult } from '../../src/trust/verifier.js';

const facts: IncomingCallFacts = {
  callId: 'c1', fromNumber: '<sip:+15155550100@carrier>', calledNumber: 'sip:+13195550199@dn',
  identityHeaders: [], sourceAddress: '203.0.113.5', verstat: 'TN-Validation-Passed',
};
const lenient: TrustPolicy = { onFailure: 'continue', onAbsent: 'continue', trustCarrierVerstat: false, trustedTrunks: new TrustedTrunks([]) };
const passed = (attest: 'A' | 'B' | 'C'): StirResult =>
  ({ status: 'passed', attest, origid: 'o', callingNumber: '5155550100', x5u: 'https://x' });
const failed: StirResult = { status: 'failed', reason: 'signature-invalid', detail: 'd', attest: 'A' };

describe('trust: policy', () => {
  it('verifies attestation A and leaves B and C unverified (call-back may follow)', () => {
    expect(decideTrust(facts, passed('A'), lenient)).to.deep.include({ level: 'verified', via: 'stir-shaken', attestation: 'A' });
    expect(decideTrust(facts, passed('B'), lenient)).to.deep.include({ level: 'unverified', via: 'none', attestation: 'B' });
    expect(decideTrust(facts, passed('C'), lenient).callingNumber).to.equal('5155550100');
  });

  it('continues at the lower level on failure by default, with the reason kept for the log', () => {
    const decision = decideTrust(facts, failed, lenient);
    expect(decision).to.deep.include({ level: 'unverified', attestation: null, callingNumber: '5155550100' });
    expect(decision.stir).to.deep.equal({ status: 'failed', reason: 'signature-invalid', attest: 'A' });
    expect(decision.sipReject).to.equal(undefined);
  });

  it('maps failures to RFC 8224 responses when the policy rejects', () => {
    const reject: TrustPolicy = { ...lenient, onFailure: 'reject', onAbsent: 'reject' };
    const reasonStatus: Array<[StirResult, number]> = [
      [failed, 438],
      [{ status: 'failed', reason: 'x5u-timeout', detail: '' }, 436],
      [{ status: 'failed', reason: 'chain-untrusted', detail: '' }, 437],
      [{ status: 'failed', reason: 'iat-stale', detail: '' }, 403],
      [{ status: 'absent' }, 428],
    ];
    for (const [stir, status] of reasonStatus) {
      expect(decideTrust(facts, stir, reject).sipReject?.status).to.equal(status);
    }
    const ours = decideTrust(facts, { status: 'failed', reason: 'verifier-error', detail: '' }, reject);
    expect(ours.sipReject, 'our own failure never rejects a caller').to.equal(undefined);
  });

  it('counts a carrier verstat only from a trusted trunk, only when allowed, only without Identity', () => {
    const trusting: TrustPolicy = { ...lenient, trustCarrierVerstat: true, trustedTrunks: new TrustedTrunks(['203.0.113.0/24']) };
    expect(decideTrust(facts, { status: 'absent' }, trusting)).to.deep.include({ level: 'verified', via: 'carrier-verstat' });
    expect(decideTrust({ ...facts, sourceAddress: '198.51.100.1' }, { status: 'absent' }, trusting).level).to.equal('unverified');
    expect(decideTrust(facts, { status: 'absent' }, lenient).level).to.equal('unverified');
    expect(decideTrust(facts, failed, trusting).level).to.equal('unverified');
    expect(decideTrust({ ...facts, verstat: 'TN-Validation-Failed' }, { status: 'absent' }, trusting).level).to.equal('unverified');
  });

  it('reads verstat values and trunk lists strictly', () => {
    expect(verstatPassed('TN-Validation-Passed-A')).to.equal(true);
    expect(verstatPassed('TN-Validation-Passed-B')).to.equal(false);
    expect(verstatPassed('No-TN-Validation')).to.equal(false);
    const trunks = new TrustedTrunks(['192.0.2.1', '2001:db8::/32']);
    expect(trunks.includes('::ffff:192.0.2.1')).to.equal(true);
    expect(trunks.includes('2001:db8::5')).to.equal(true);
    expect(trunks.includes('192.0.2.2')).to.equal(false);
    expect(trunks.includes('not-an-ip')).to.equal(false);
    expect(() => new TrustedTrunks(['example.com'])).to.throw(/not an IP address/);
  });

  it('logs the decision with the call', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done(); } });
    logTrustDecision(pino({ level: 'info' }, sink), facts, decideTrust(facts, failed, { ...lenient, onFailure: 'reject' }));
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(entry).to.deep.include({ callId: 'c1', msg: 'call refused by trust policy', level: 40, trustLevel: 'unverified' });
    expect(entry.sipReject).to.deep.equal({ status: 438, reason: 'Invalid Identity Header' });
  });
});
