// The STIR/SHAKEN matrix through real SIP: sipp carries each case's Identity header over loopback into
// the embedded endpoint of a PhoneLine whose operator policy rejects failed and absent verifications
// (STIR_SHAKEN_FAILURE_POLICY=reject, STIR_SHAKEN_ABSENT_POLICY=reject). The x5u chains are served by a
// real local HTTPS server with the test PKI. For every case the test reads both the SIP response sipp
// saw (status and reason phrase) and the decision CallerTrust logged for that Call-ID (its reason).
// One endpoint, one PKI, one HTTPS server and one sipp run serve the whole matrix.
import { expect } from 'chai';
import { CompactSign } from 'jose';
import { createSecretKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { StirFailureReason } from '../../src/trust/stir-failure.js';
import {
  createCrl, createIntermediateCa, createRootCa, issueServiceProvider, serialNumberOf, signPassport,
  type PassportToSign,
} from '../../src/trust/test-pki.js';
import { startStirFixture, type StirFixture } from '../trust/fixtures.js';
import { ann, startSipLine, type SipLine } from '../trust/sip-line.js';
import { screenCalls, type ScreenCase, type ScreenOutcome } from '../trust/sipp-screen.js';

const caller = `1${ann.phone}`;
const called = '13195550199';

interface Expected {
  status: number;
  phrase: string;
  /** The logged verification status and reason; null when the INVITE never reached CallerTrust. */
  stir: { status: 'passed' | 'failed' | 'absent'; reason?: StirFailureReason; attest?: string } | null;
}

interface MatrixCase extends ScreenCase {
  expected: Expected;
}

const accepted = (attest: 'A' | 'B' | 'C'): Expected => ({ status: 200, phrase: 'OK', stir: { status: 'passed', attest } });
const rejected = (status: 403 | 436 | 437 | 438, reason: StirFailureReason): Expected => ({
  status, stir: { status: 'failed', reason },
  phrase: { 403: 'Stale Date', 436: 'Bad Identity Info', 437: 'Unsupported Credential', 438: 'Invalid Identity Header' }[status],
});

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

describe('ivr: the STIR/SHAKEN matrix through sipp, with the reject policy', function () {
  this.timeout(120_000);
  let stir: StirFixture;
  let sip: SipLine;
  let outcomes: ScreenOutcome[] = [];
  let cases: MatrixCase[] = [];
  const rtpPortMin = 44_000 + (process.pid % 50) * 100;

  /** A case signed by the fixture's provider (or another signer), with any claim overridden. */
  async function signed(name: string, expected: Expected, overrides: Partial<PassportToSign> = {},
    signer: { privateKeyPem: string } = stir.provider): Promise<MatrixCase> {
    const x5u = overrides.x5u ?? stir.x5u;
    const token = await signPassport({ orig: caller, dest: called, attest: 'A', x5u, ...overrides }, signer.privateKeyPem);
    return { name, caller: ann.phone, token, info: x5u, expected };
  }

  /** A provider certificate with its own options, served at its own path: the case signs with it. */
  async function servedProvider(name: string, expected: Expected,
    options: Omit<Parameters<typeof issueServiceProvider>[0], 'issuer'> & { issuer?: typeof stir.root; chainTail?: string },
  ): Promise<MatrixCase> {
    const { chainTail = '', ...issue } = options;
    const provider = await issueServiceProvider({ issuer: stir.intermediate, ...issue });
    const x5u = stir.server.serve(`/${name}.pem`, provider.chainPem + chainTail);
    return await signed(name, expected, { x5u }, provider);
  }

  /** A token whose header and signature are made by hand (algorithms ES256 verifiers must refuse). */
  async function otherAlgorithm(name: string, alg: 'none' | 'HS256' | 'RS256'): Promise<MatrixCase> {
    const header = { alg, ppt: 'shaken', typ: 'passport', x5u: stir.x5u };
    const claims = { attest: 'A', dest: { tn: [called] }, iat: Math.floor(Date.now() / 1000), orig: { tn: caller },
      origid: randomUUID() };
    let token: string;
    if (alg === 'none') token = `${b64(header)}.${b64(claims)}.`;
    else {
      const key = alg === 'HS256' ? createSecretKey(Buffer.from(stir.provider.certificatePem))
        : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      token = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader(header).sign(key);
    }
    return { name, caller: ann.phone, token, info: stir.x5u, expected: rejected(437, 'alg-unsupported') };
  }

  async function closedPort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  async function buildCases(): Promise<MatrixCase[]> {
    const now = Math.floor(Date.now() / 1000);
    const dayMs = 86_400_000;
    const valid = await signed('valid-a', accepted('A'));
    const [header = '', payload = '', signature = ''] = (await signed('x', accepted('C'), { attest: 'C' })).token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const replayed = await signed('replay-first-use', accepted('A'));
    const rogueRoot = await createRootCa({ name: 'CN=Delegate Network Test STI-CA Root, O=Test' });
    const rogueIntermediate = await createIntermediateCa({ issuer: rogueRoot });
    // The fixture's intermediate may sign leaves only (pathLenConstraint 0); a CA under it is one too deep.
    const tooDeep = await createIntermediateCa({ issuer: stir.intermediate, name: 'CN=Too Deep CA, O=Test' });
    const revoked = await issueServiceProvider({ issuer: stir.intermediate, spc: '1234', crlUrl: stir.server.url('/revoked.crl') });
    stir.server.serve('/revoked.crl', await createCrl(stir.intermediate, [serialNumberOf(revoked.certificatePem)]));
    const slow = stir.server.route('/slow.pem', () => { /* never answers: the fetch deadline must end it */ });
    const huge = stir.server.route('/huge.pem', (_request, response) => {
      response.writeHead(200, { 'content-length': String(1024 * 1024) }).end('x'.repeat(1024 * 1024));
    });
    const toHttp = stir.server.route('/to-http.pem', (_request, response) => {
      response.writeHead(302, { location: `http://127.0.0.1:${stir.server.port}/sp.pem` }).end();
    });
    const malformedJsonToken = `${b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: stir.x5u })}.`
      + `${Buffer.from('{"attest":').toString('base64url')}.c2ln`;
    return [
      valid,
      { ...await signed('valid-b', accepted('B'), { attest: 'B' }) },
      { ...await signed('valid-c', accepted('C'), { attest: 'C' }) },
      { ...await signed('compact-header-y', accepted('A')), headerName: 'y' },
      await signed('wrong-signing-key', rejected(438, 'signature-invalid'), {},
        await issueServiceProvider({ issuer: stir.intermediate, spc: '1234' })),
      { name: 'tampered-payload', caller: ann.phone, info: stir.x5u, expected: rejected(438, 'signature-invalid'),
        token: [header, b64({ ...claims, attest: 'A' }), signature].join('.') },
      await otherAlgorithm('alg-none', 'none'),
      await otherAlgorithm('alg-hs256', 'HS256'),
      await otherAlgorithm('alg-rs256', 'RS256'),
      await servedProvider('certificate-expired', rejected(437, 'certificate-expired'), {
        spc: '1234', notBefore: new Date(Date.now() - 10 * dayMs), notAfter: new Date(Date.now() - dayMs) }),
      await servedProvider('certificate-not-yet-valid', rejected(437, 'certificate-not-yet-valid'), {
        spc: '1234', notBefore: new Date(Date.now() + dayMs) }),
      await servedProvider('untrusted-root', rejected(437, 'chain-untrusted'), { spc: '1234', issuer: rogueIntermediate }),
      await servedProvider('path-length-exceeded', rejected(437, 'chain-untrusted'), { spc: '1234', issuer: tooDeep,
        chainTail: stir.intermediate.certificatePem }),
      await signed('certificate-revoked', rejected(437, 'certificate-revoked'),
        { x5u: stir.server.serve('/revoked.pem', revoked.chainPem) }, revoked),
      await servedProvider('tn-auth-list-missing', rejected(437, 'tn-auth-list-missing'), { tnAuthList: false }),
      await servedProvider('tn-auth-list-wrong', rejected(437, 'tn-auth-list-mismatch'), { tns: ['15155559999'] }),
      await signed('iat-stale', rejected(403, 'iat-stale'), { iat: now - 120 }),
      await signed('iat-future', rejected(438, 'iat-future'), { iat: now + 120 }),
      replayed,
      { ...replayed, name: 'replay-second-use', expected: rejected(438, 'replay') },
      await signed('orig-not-caller', rejected(438, 'orig-mismatch'), { orig: `1${'5155550111'}` }),
      await signed('dest-not-called', rejected(438, 'dest-mismatch'), { dest: '13195550100' }),
      { ...valid, name: 'malformed-base64', token: `${header}.e30x_.${signature}`,
        expected: rejected(438, 'passport-malformed') },
      { ...valid, name: 'malformed-json', token: malformedJsonToken, expected: rejected(438, 'passport-malformed') },
      // Over the verifier's 4 KiB limit but under the SIP parser's 8 KiB header line: refused by name.
      { ...valid, name: 'oversized-header', token: `${'a'.repeat(5000)}.b.c`, expected: rejected(438, 'header-too-large') },
      await signed('x5u-unreachable', rejected(436, 'x5u-unreachable'),
        { x5u: `https://127.0.0.1:${await closedPort()}/sp.pem` }),
      await signed('x5u-slow', rejected(436, 'x5u-timeout'), { x5u: slow }),
      await signed('x5u-huge', rejected(436, 'x5u-too-large'), { x5u: huge }),
      await signed('x5u-plain-http', rejected(436, 'x5u-not-https'), { x5u: `http://127.0.0.1:${stir.server.port}/sp.pem` }),
      await signed('x5u-redirect-to-http', rejected(436, 'x5u-redirect-refused'), { x5u: toHttp }),
      { ...valid, name: 'identity-absent', headerName: 'X-Not-Identity',
        expected: { status: 428, phrase: 'Use Identity Header', stir: { status: 'absent' } } },
      // Last: after every refusal above, a good call is still answered.
      await signed('valid-after-all', accepted('A')),
    ];
  }

  before(async () => {
    stir = await startStirFixture();
    sip = await startSipLine({
      redis: stir.redis, anchors: stir.anchors, tlsCa: stir.server.tls.certificatePem, rtpPortMin,
      env: { STIR_SHAKEN_FAILURE_POLICY: 'reject', STIR_SHAKEN_ABSENT_POLICY: 'reject' },
    });
    cases = await buildCases();
    const cwd = mkdtempSync(join(sip.dir, 'sipp-'));
    const run = await screenCalls({ cases, target: `127.0.0.1:${sip.line.port}`, cwd });
    expect(run.sipp.code, run.sipp.stderr + run.sipp.stdout.slice(-3000)).to.equal(0);
    outcomes = run.outcomes;
  });

  after(async () => {
    await sip.stop();
    await stir.close();
  });

  it('places every case once, in order, and gets a final response for each', () => {
    expect(outcomes.map((outcome) => outcome.name)).to.deep.equal(cases.map((entry) => entry.name));
  });

  it('answers each case with its own SIP status and reason phrase, as sipp saw them', () => {
    const seen = outcomes.map((outcome) => `${outcome.name} ${outcome.status} ${outcome.phrase}`);
    expect(seen).to.deep.equal(cases.map((entry) => `${entry.name} ${entry.expected.status} ${entry.expected.phrase}`));
  });

  it('logs the decision for each call with its own reason', () => {
    const logged = outcomes.map((outcome) => {
      const decision = sip.logFor(outcome.callId).find((entry) => entry.stir !== undefined);
      if (decision?.stir === undefined) return { name: outcome.name, stir: null };
      const { status, reason, attest } = decision.stir;
      return { name: outcome.name, stir: {
        status, ...(reason === undefined ? {} : { reason }), ...(status === 'passed' ? { attest } : {}) } };
    });
    expect(logged).to.deep.equal(cases.map((entry) => ({ name: entry.name, stir: entry.expected.stir })));
  });

  it('logs refusals with the SIP status sent, and nothing at error level', () => {
    for (const outcome of outcomes.filter((entry) => entry.status !== 200)) {
      const refusal = sip.logFor(outcome.callId).find((entry) => entry.msg === 'call refused by trust policy');
      expect(refusal?.sipReject?.status, outcome.name).to.equal(outcome.status);
    }
    expect(sip.logs.filter((entry) => entry.level >= 50)).to.deep.equal([]);
  });

  it('ends every answered call cleanly and keeps no RTP port', async () => {
    const answered = outcomes.filter((outcome) => outcome.status === 200);
    expect(answered.map((outcome) => outcome.name)).to.deep.equal(['valid-a', 'valid-b', 'valid-c', 'compact-header-y',
      'replay-first-use', 'valid-after-all']);
    for (const outcome of answered) expect(await sip.dialogEnded(outcome.callId), outcome.name).to.equal('hangup');
    expect(sip.line.endpoint.stats.rtpPortsInUse).to.equal(0);
  });
});

describe('ivr: an x5u on a private address is refused before any fetch, through sipp (production guard)', function () {
  this.timeout(60_000);
  let stir: StirFixture;
  let sip: SipLine;
  const rtpPortMin = 44_000 + (process.pid % 50) * 100 + 50;

  before(async () => {
    stir = await startStirFixture();
    sip = await startSipLine({
      redis: stir.redis, anchors: stir.anchors, tlsCa: stir.server.tls.certificatePem, rtpPortMin,
      allowPrivateAddresses: false, env: { STIR_SHAKEN_FAILURE_POLICY: 'reject' },
    });
  });
  after(async () => {
    await sip.stop();
    await stir.close();
  });

  it('answers 436 with reason x5u-address-refused, and the HTTPS server is never asked', async () => {
    const token = await signPassport({ orig: caller, dest: called, attest: 'A', x5u: stir.x5u }, stir.provider.privateKeyPem);
    const run = await screenCalls({ cases: [{ name: 'x5u-loopback', caller: ann.phone, token, info: stir.x5u }],
      target: `127.0.0.1:${sip.line.port}`, cwd: mkdtempSync(join(sip.dir, 'sipp-')) });
    expect(run.sipp.code, run.sipp.stderr + run.sipp.stdout.slice(-3000)).to.equal(0);
    const [outcome] = run.outcomes;
    expect(outcome).to.deep.include({ status: 436, phrase: 'Bad Identity Info' });
    const decision = sip.logFor(outcome?.callId ?? '').find((entry) => entry.stir !== undefined);
    expect(decision?.stir).to.deep.include({ status: 'failed', reason: 'x5u-address-refused' });
    expect(stir.server.hits('/sp.pem')).to.equal(0);
  });
});
