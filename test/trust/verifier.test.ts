import { expect } from 'chai';
import { CompactSign } from 'jose';
import { createSecretKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { identityHeaderBytesMax } from '../../src/trust/identity-header.js';
import type { StirFailureReason } from '../../src/trust/stir-failure.js';
import {
  createCrl, createIntermediateCa, createRootCa, identityHeaderValue, issueServiceProvider, serialNumberOf,
  signPassport,
} from '../../src/trust/test-pki.js';
import type { IncomingCallFacts, StirResult } from '../../src/trust/verifier.js';
import { StirVerifier } from '../../src/trust/verifier.js';
import {
  callFacts, calledE164, callerE164, signedIdentity, startStirFixture, x5uBodyBytesMaxForTests,
  x5uFetchTimeoutMsForTests, type StirFixture,
} from './fixtures.js';

function b64(json: unknown): string {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

function expectFailure(result: StirResult, reason: StirFailureReason, detail?: RegExp): void {
  expect(result.status, JSON.stringify(result)).to.equal('failed');
  if (result.status !== 'failed') return;
  expect(result.reason, result.detail).to.equal(reason);
  if (detail !== undefined) expect(result.detail).to.match(detail);
}

describe('trust: STIR/SHAKEN verifier (real HTTPS x5u, real Redis)', () => {
  let fixture: StirFixture;
  const verify = (headers: string[], overrides: Partial<IncomingCallFacts> = {}): Promise<StirResult> =>
    fixture.verifier.verify(callFacts(headers, overrides));

  before(async () => {
    fixture = await startStirFixture();
  });
  after(async () => {
    await fixture.close();
  });

  for (const attest of ['A', 'B', 'C'] as const) {
    it(`passes a valid PASSporT with attestation ${attest}`, async () => {
      const origid = randomUUID();
      const result = await verify([await signedIdentity(fixture, { attest, origid })]);
      expect(result).to.deep.include({ status: 'passed', attest, origid, callingNumber: '5155550100' });
    });
  }

  it('says absent when the call has no Identity header', async () => {
    expect(await verify([])).to.deep.equal({ status: 'absent' });
  });

  it('ignores other PASSporT types and finds the shaken header among folded values', async () => {
    const shaken = await signedIdentity(fixture);
    const result = await verify([`e30.e30.c2ln;info=<${fixture.x5u}>;ppt=div`, shaken]);
    expect(result.status).to.equal('passed');
  });

  it('accepts the caller from P-Asserted-Identity when From differs', async () => {
    const result = await verify([await signedIdentity(fixture)], {
      fromNumber: '<sip:anonymous@anonymous.invalid>', paiNumber: `<tel:+${callerE164}>`,
    });
    expect(result.status).to.equal('passed');
  });

  it('refuses a PASSporT signed with another key', async () => {
    const other = await issueServiceProvider({ issuer: fixture.intermediate, spc: '1234' });
    expectFailure(await verify([await signedIdentity(fixture, {}, other)]), 'signature-invalid');
  });

  it('refuses a signature over a tampered payload', async () => {
    const [token = '', ...parameters] = (await signedIdentity(fixture, { attest: 'C' })).split(';');
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = [header, b64({ ...claims, attest: 'A' }), signature].join('.');
    expectFailure(await verify([[tampered, ...parameters].join(';')]), 'signature-invalid');
  });

  describe('algorithms other than ES256', () => {
    const claims = (): Record<string, unknown> => ({
      attest: 'A', dest: { tn: [calledE164] }, iat: Math.floor(Date.now() / 1000), orig: { tn: callerE164 }, origid: randomUUID(),
    });
    const header = (alg: string): Record<string, unknown> => ({ alg, ppt: 'shaken', typ: 'passport', x5u: fixture.x5u });
    const sign = async (alg: string, key: Parameters<CompactSign['sign']>[0]): Promise<string> =>
      await new CompactSign(Buffer.from(JSON.stringify(claims())))
        .setProtectedHeader(header(alg) as { alg: string }).sign(key);

    it('refuses alg none', async () => {
      const token = `${b64(header('none'))}.${b64(claims())}.`;
      expectFailure(await verify([`${token};info=<${fixture.x5u}>;ppt=shaken`]), 'alg-unsupported');
    });
    it('refuses HS256 (even keyed with the public key)', async () => {
      const token = await sign('HS256', createSecretKey(Buffer.from(fixture.provider.certificatePem)));
      expectFailure(await verify([`${token};info=<${fixture.x5u}>;ppt=shaken`]), 'alg-unsupported');
    });
    it('refuses RS256', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = await sign('RS256', privateKey);
      expectFailure(await verify([`${token};info=<${fixture.x5u}>;ppt=shaken`]), 'alg-unsupported');
    });
    it('refuses an alg parameter other than ES256 on the header', async () => {
      const value = (await signedIdentity(fixture)).replace('alg=ES256', 'alg=RS256');
      expectFailure(await verify([value]), 'alg-unsupported');
    });
  });

  describe('certificates', () => {
    type ProviderOptions = Parameters<typeof issueServiceProvider>[0];
    const serveProvider = async (path: string, options: ProviderOptions): Promise<string> => {
      const provider = await issueServiceProvider(options);
      const x5u = fixture.server.serve(path, provider.chainPem);
      return await signedIdentity(fixture, { x5u }, provider);
    };

    it('refuses an expired certificate', async () => {
      const identity = await serveProvider('/expired.pem', {
        issuer: fixture.intermediate, spc: '1234', notBefore: new Date(Date.now() - 10 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      });
      expectFailure(await verify([identity]), 'certificate-expired');
    });
    it('refuses a certificate that is not yet valid', async () => {
      const identity = await serveProvider('/future.pem', {
        issuer: fixture.intermediate, spc: '1234', notBefore: new Date(Date.now() + 86_400_000),
      });
      expectFailure(await verify([identity]), 'certificate-not-yet-valid');
    });
    it('refuses a chain whose intermediate has expired', async () => {
      const oldIntermediate = await createIntermediateCa({
        issuer: fixture.root, notBefore: new Date(Date.now() - 10 * 86_400_000),
        notAfter: new Date(Date.now() - 86_400_000),
      });
      const identity = await serveProvider('/old-intermediate.pem', {
        issuer: oldIntermediate, spc: '1234', notBefore: new Date(Date.now() - 5 * 86_400_000),
      });
      expectFailure(await verify([identity]), 'certificate-expired', /Intermediate/);
    });
    it('refuses a leaf served without its intermediate', async () => {
      const x5u = fixture.server.serve('/leaf-only.pem', fixture.provider.certificatePem);
      expectFailure(await verify([await signedIdentity(fixture, { x5u })]), 'chain-untrusted');
    });
    it('refuses a chain to an untrusted root', async () => {
      const rogueRoot = await createRootCa({ name: 'CN=Delegate Network Test STI-CA Root, O=Test' });
      const rogueIntermediate = await createIntermediateCa({ issuer: rogueRoot });
      const identity = await serveProvider('/rogue.pem', { issuer: rogueIntermediate, spc: '1234' });
      expectFailure(await verify([identity]), 'chain-untrusted');
    });
    it('refuses a chain longer than an intermediate\'s path length constraint', async () => {
      // The fixture's intermediate has pathLenConstraint 0: it may sign leaves, not other CAs.
      const sub = await createIntermediateCa({ issuer: fixture.intermediate, name: 'CN=Sub CA, O=Test' });
      const provider = await issueServiceProvider({ issuer: sub, spc: '1234' });
      const x5u = fixture.server.serve('/too-deep.pem', provider.chainPem + fixture.intermediate.certificatePem);
      expectFailure(await verify([await signedIdentity(fixture, { x5u }, provider)]), 'chain-untrusted',
        /allows 0 intermediate\(s\) below it, the chain has 1/);
    });
    it('refuses a chain longer than the trust anchor\'s path length constraint', async () => {
      // The root allows one intermediate; this chain has two, the upper one allowing the lower.
      const upper = await createIntermediateCa({ issuer: fixture.root, name: 'CN=Upper CA, O=Test', pathLength: 1 });
      const lower = await createIntermediateCa({ issuer: upper, name: 'CN=Lower CA, O=Test' });
      const provider = await issueServiceProvider({ issuer: lower, spc: '1234' });
      const x5u = fixture.server.serve('/too-deep-for-root.pem', provider.chainPem + upper.certificatePem);
      expectFailure(await verify([await signedIdentity(fixture, { x5u }, provider)]), 'chain-untrusted',
        /Root.*allows 1 intermediate\(s\) below it, the chain has 2/);
    });
    it('refuses a leaf signed by an intermediate whose keyUsage lacks keyCertSign (OpenSSL\'s checkIssued)', async () => {
      const noSigning = await createIntermediateCa({ issuer: fixture.root, name: 'CN=No Signing CA, O=Test', keyCertSign: false });
      const identity = await serveProvider('/no-cert-sign.pem', { issuer: noSigning, spc: '1234' });
      expectFailure(await verify([identity]), 'chain-untrusted', /no trusted issuer for .*No Signing CA/);
    });
    describe('revocation (CRL distribution point over HTTPS)', () => {
      /** A provider whose certificate names `${path}.crl`; returns a signer of fresh Identity headers. */
      const revocable = async (path: string, crl: (serial: string) => Promise<string | null>):
        Promise<() => Promise<string>> => {
        const crlUrl = fixture.server.url(`${path}.crl`);
        const provider = await issueServiceProvider({ issuer: fixture.intermediate, spc: '1234', crlUrl });
        const body = await crl(serialNumberOf(provider.certificatePem));
        if (body !== null) fixture.server.serve(`${path}.crl`, body);
        const x5u = fixture.server.serve(`${path}.pem`, provider.chainPem);
        return () => signedIdentity(fixture, { x5u }, provider);
      };

      it('refuses a certificate its issuer\'s CRL lists', async () => {
        const sign = await revocable('/revoked', (serial) => createCrl(fixture.intermediate, [serial]));
        expectFailure(await verify([await sign()]), 'certificate-revoked');
      });
      it('passes a certificate the CRL does not list, and fetches that CRL once', async () => {
        const sign = await revocable('/not-revoked', () => createCrl(fixture.intermediate, ['0badc0de']));
        expect((await verify([await sign()])).status).to.equal('passed');
        expect((await verify([await sign()])).status).to.equal('passed');
        expect(fixture.server.hits('/not-revoked.crl')).to.equal(1);
      });
      it('refuses when the named CRL cannot be fetched', async () => {
        const sign = await revocable('/crl-missing', () => Promise.resolve(null));
        expectFailure(await verify([await sign()]), 'crl-unavailable', /404/);
      });
      it('refuses a CRL signed by another CA', async () => {
        const sign = await revocable('/crl-forged', () => createCrl(fixture.root, []));
        expectFailure(await verify([await sign()]), 'crl-unavailable', /not signed by/);
      });
      it('refuses an out-of-date CRL', async () => {
        const sign = await revocable('/crl-stale', () => createCrl(fixture.intermediate, [],
          { nextUpdate: new Date(Date.now() - 1000) }));
        expectFailure(await verify([await sign()]), 'crl-unavailable', /out of date/);
      });
    });
    it('refuses a certificate without TNAuthList', async () => {
      const identity = await serveProvider('/no-tnauth.pem', { issuer: fixture.intermediate, tnAuthList: false });
      expectFailure(await verify([identity]), 'tn-auth-list-missing');
    });
    it('refuses a TNAuthList that does not cover the caller', async () => {
      const identity = await serveProvider('/wrong-tn.pem', { issuer: fixture.intermediate, tns: ['15155559999'] });
      expectFailure(await verify([identity]), 'tn-auth-list-mismatch');
    });
    it('accepts a TN-based TNAuthList that covers the caller', async () => {
      const identity = await serveProvider('/right-tn.pem', { issuer: fixture.intermediate, tns: [callerE164] });
      expect((await verify([identity])).status).to.equal('passed');
    });
  });

  describe('claims', () => {
    it('refuses a stale iat', async () => {
      const iat = Math.floor(Date.now() / 1000) - 120;
      expectFailure(await verify([await signedIdentity(fixture, { iat })]), 'iat-stale');
    });
    it('refuses an iat in the future', async () => {
      const iat = Math.floor(Date.now() / 1000) + 120;
      expectFailure(await verify([await signedIdentity(fixture, { iat })]), 'iat-future');
    });
    it('refuses a replayed PASSporT on another call, not a retransmission of the same call', async () => {
      const identity = await signedIdentity(fixture);
      const first = callFacts([identity]);
      expect((await fixture.verifier.verify(first)).status).to.equal('passed');
      expect((await fixture.verifier.verify(first)).status).to.equal('passed');
      expectFailure(await verify([identity]), 'replay');
    });
    it('refuses orig.tn that is not the caller', async () => {
      expectFailure(await verify([await signedIdentity(fixture, { orig: '15155550111' })]), 'orig-mismatch');
    });
    it('refuses dest.tn that is not the called number', async () => {
      expectFailure(await verify([await signedIdentity(fixture, { dest: '13195550100' })]), 'dest-mismatch');
    });
    it('refuses x5u that differs from the info parameter', async () => {
      const value = (await signedIdentity(fixture)).replace(/info=<[^>]+>/, 'info=<https://127.0.0.1:1/other.pem>');
      expectFailure(await verify([value]), 'x5u-mismatch');
    });
  });

  describe('malformed input', () => {
    it('refuses malformed base64', async () => {
      const [token = '', ...rest] = (await signedIdentity(fixture)).split(';');
      const [header = '', , signature = ''] = token.split('.');
      expectFailure(await verify([[`${header}.e30x_.${signature}`, ...rest].join(';')]), 'passport-malformed',
        /claims is not valid base64url/);
    });
    it('refuses malformed JSON', async () => {
      const header = b64({ alg: 'ES256', ppt: 'shaken', typ: 'passport', x5u: fixture.x5u });
      const token = `${header}.${Buffer.from('{"attest":').toString('base64url')}.c2ln`;
      expectFailure(await verify([`${token};info=<${fixture.x5u}>;ppt=shaken`]), 'passport-malformed', /claims is not JSON/);
    });
    it('refuses a header that is not a JWS', async () => {
      expectFailure(await verify([`not a token;info=<${fixture.x5u}>`]), 'header-malformed');
    });
    it('refuses a compact-form PASSporT by name', async () => {
      expectFailure(await verify([`..c2lnbmF0dXJl;info=<${fixture.x5u}>;ppt=shaken`]), 'passport-compact-form');
    });
    it('refuses an oversized header without parsing it', async () => {
      const value = `${'a'.repeat(identityHeaderBytesMax)}.b.c;info=<${fixture.x5u}>`;
      expectFailure(await verify([value]), 'header-too-large');
    });
    it('refuses a header without info', async () => {
      const value = (await signedIdentity(fixture)).replace(/;info=<[^>]+>/, '');
      expectFailure(await verify([value]), 'info-missing');
    });
  });

  describe('x5u fetching', () => {
    const identityAt = (x5u: string): Promise<string> => signedIdentity(fixture, { x5u });

    it('refuses a plain-HTTP x5u', async () => {
      expectFailure(await verify([await identityAt('http://127.0.0.1:1/sp.pem')]), 'x5u-not-https');
    });
    it('reports an unreachable x5u', async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      expectFailure(await verify([await identityAt(`https://127.0.0.1:${port}/sp.pem`)]), 'x5u-unreachable');
    });
    it('gives up on a slow x5u after the timeout', async () => {
      const x5u = fixture.server.route('/slow.pem', () => { /* never answers */ });
      const started = Date.now();
      expectFailure(await verify([await identityAt(x5u)]), 'x5u-timeout');
      expect(Date.now() - started).to.be.lessThan(x5uFetchTimeoutMsForTests * 4);
    });
    it('refuses a huge x5u body announced by Content-Length', async () => {
      const x5u = fixture.server.route('/huge.pem', (_request, response) => {
        response.writeHead(200, { 'content-length': String(x5uBodyBytesMaxForTests * 4) });
        response.end('x'.repeat(x5uBodyBytesMaxForTests * 4));
      });
      expectFailure(await verify([await identityAt(x5u)]), 'x5u-too-large');
    });
    it('refuses a huge chunked x5u body while reading it', async () => {
      const x5u = fixture.server.route('/huge-chunked.pem', (_request, response) => {
        response.writeHead(200);
        for (let i = 0; i < 8; i++) response.write('x'.repeat(x5uBodyBytesMaxForTests / 2));
        response.end();
      });
      expectFailure(await verify([await identityAt(x5u)]), 'x5u-too-large');
    });
    it('refuses a redirect to plain HTTP', async () => {
      const x5u = fixture.server.route('/to-http.pem', (_request, response) => {
        response.writeHead(302, { location: 'http://127.0.0.1:1/sp.pem' }).end();
      });
      expectFailure(await verify([await identityAt(x5u)]), 'x5u-redirect-refused');
    });
    it('follows a redirect to HTTPS', async () => {
      const x5u = fixture.server.route('/moved.pem', (_request, response) => {
        response.writeHead(301, { location: '/sp.pem' }).end();
      });
      expect((await verify([await identityAt(x5u)])).status).to.equal('passed');
    });
    it('reports an HTTP error status', async () => {
      expectFailure(await verify([await identityAt(fixture.server.url('/missing.pem'))]), 'x5u-http-status');
    });
    it('refuses a body that is not a certificate', async () => {
      const x5u = fixture.server.serve('/junk.pem', 'hello');
      expectFailure(await verify([await identityAt(x5u)]), 'certificate-unparsable');
    });
  });

  it('fails with verifier-error, not an exception, when Redis is gone', async () => {
    const { ReplayCache } = await import('../../src/trust/replay-cache.js');
    const { jurisdictionKeys } = await import('../../src/store/keys.js');
    const client = fixture.redis.client();
    const replay = new ReplayCache(client, jurisdictionKeys('ia'), 70);
    client.disconnect();
    const verifier = new StirVerifier({ fetcher: fixture.fetcher, anchors: fixture.anchors, replay });
    expectFailure(await verifier.verify(callFacts([await signedIdentity(fixture)])), 'verifier-error');
  });

  it('signs through the PKI helpers with a token the verifier accepts in full-form JWS', async () => {
    const token = await signPassport({ orig: callerE164, dest: [calledE164], attest: 'B', x5u: fixture.x5u },
      fixture.provider.privateKeyPem);
    expect(token.split('.')).to.have.length(3);
    expect(await verify([identityHeaderValue(token, fixture.x5u)])).to.deep.include({ status: 'passed', attest: 'B' });
  });
});
