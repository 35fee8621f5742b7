// Shared STIR/SHAKEN fixtures: one test PKI, a local HTTPS x5u server and a verifier on real Redis.
import { randomUUID } from 'node:crypto';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { CertificateFetcher } from '../../src/trust/certificate-fetcher.js';
import { TrustAnchors } from '../../src/trust/certificate-chain.js';
import { ReplayCache } from '../../src/trust/replay-cache.js';
import {
  createIntermediateCa, createRootCa, identityHeaderValue, issueServiceProvider, signPassport,
  type PassportToSign, type PkiMember, type ServiceProvider,
} from '../../src/trust/test-pki.js';
import { StirVerifier, type IncomingCallFacts } from '../../src/trust/verifier.js';
import { X5uTestServer } from '../../src/trust/x5u-test-server.js';
import { X509Certificate } from 'node:crypto';
import { startTestRedis, type TestRedis } from '../support/redis.js';

export const callerE164 = '15155550100';
export const calledE164 = '13195550199';
export const x5uFetchTimeoutMsForTests = 400;
export const x5uBodyBytesMaxForTests = 16 * 1024;

export interface StirFixture {
  redis: TestRedis;
  server: X5uTestServer;
  root: PkiMember;
  intermediate: PkiMember;
  provider: ServiceProvider;
  x5u: string;
  fetcher: CertificateFetcher;
  verifier: StirVerifier;
  anchors: TrustAnchors;
  replay: ReplayCache;
  close(): Promise<void>;
}

export async function startStirFixture(): Promise<StirFixture> {
  const redis = await startTestRedis();
  const server = await X5uTestServer.start();
  const root = await createRootCa();
  const intermediate = await createIntermediateCa({ issuer: root });
  const provider = await issueServiceProvider({ issuer: intermediate, spc: '1234' });
  const x5u = server.serve('/sp.pem', provider.chainPem, { cacheControl: 'max-age=3600' });
  const fetcher = new CertificateFetcher({
    fetchTimeoutMs: x5uFetchTimeoutMsForTests, bodyBytesMax: x5uBodyBytesMaxForTests, tlsCa: server.tls.certificatePem,
    allowPrivateAddresses: true,
  });
  const anchors = new TrustAnchors([new X509Certificate(root.certificatePem)]);
  const replay = new ReplayCache(redis.client(), jurisdictionKeys('ia'), 70);
  const verifier = new StirVerifier({ fetcher, anchors, replay, iatWindowSeconds: 60 });
  return {
    redis, server, root, intermediate, provider, x5u, fetcher, verifier, anchors, replay,
    async close(): Promise<void> {
      fetcher.close();
      await server.close();
      await redis.stop();
    },
  };
}

export function callFacts(identityHeaders: string[], overrides: Partial<IncomingCallFacts> = {}): IncomingCallFacts {
  return {
    callId: randomUUID(),
    fromNumber: `"Ann" <sip:+${callerE164}@carrier.example;user=phone>;tag=a1`,
    calledNumber: `sip:+${calledE164}@delegate.example`,
    identityHeaders,
    sourceAddress: '192.0.2.10',
    ...overrides,
  };
}

/** A correctly signed Identity header from the fixture's provider, with any claim overridden. */
export async function signedIdentity(fixture: StirFixture, overrides: Partial<PassportToSign> = {},
  signer: { privateKeyPem: string } = fixture.provider): Promise<string> {
  const x5u = overrides.x5u ?? fixture.x5u;
  const token = await signPassport({ orig: callerE164, dest: calledE164, attest: 'A', x5u, ...overrides },
    signer.privateKeyPem);
  return identityHeaderValue(token, x5u);
}
