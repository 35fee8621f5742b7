// STIR/SHAKEN benchmark: full verifications per second with a warm certificate cache (Identity
// parsing, claim checks, cached chain, ES256 via jose, Redis replay check), next to raw
// crypto.verify ES256 in the same run; and the cost of a cold x5u fetch over local HTTPS.
//
//   node dist/bench/stir-shaken.js [--results bench/results] [--verifications 6000]
//
// Writes <resultsDir>/stir-shaken.json. Node runs on one core; redis-server is its own process.
import { generateKeyPairSync, randomUUID, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { jurisdictionKeys } from '../src/store/keys.js';
import { RedisServer } from '../src/store/redis-server.js';
import { CertificateFetcher } from '../src/trust/certificate-fetcher.js';
import { TrustAnchors, validateChain } from '../src/trust/certificate-chain.js';
import { ReplayCache } from '../src/trust/replay-cache.js';
import {
  createIntermediateCa, createRootCa, identityHeaderValue, issueServiceProvider, signPassport,
} from '../src/trust/test-pki.js';
import { StirVerifier, type IncomingCallFacts } from '../src/trust/verifier.js';
import { X5uTestServer } from '../src/trust/x5u-test-server.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const verificationsDefault = 6000;
const baselineVerifications = 20_000;
/** Calls arriving together on a busy trunk; lets Redis round trips overlap as they would live. */
const concurrentCalls = 64;
const coldFetches = 40;
const targetVerificationsPerSecond = 2000;
const orig = '15155550100';
const dest = '13195550199';

export interface StirShakenBenchOptions {
  resultsDir: string;
  verifications?: number;
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
}

function baselineRawVerifyPerSecond(): number {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = Buffer.from('header.payload of a typical PASSporT, about this long: '.repeat(6));
  const signature = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const started = performance.now();
  for (let i = 0; i < baselineVerifications; i++) {
    if (!verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('baseline');
  }
  return baselineVerifications / ((performance.now() - started) / 1000);
}

function facts(identity: string): IncomingCallFacts {
  return {
    callId: randomUUID(), fromNumber: `<sip:+${orig}@carrier.example>`, calledNumber: `sip:+${dest}@dn.example`,
    identityHeaders: [identity], sourceAddress: '192.0.2.1',
  };
}

interface Throughput {
  perSecond: number;
  /** Per second of this process's CPU time (main thread and libuv pool, where WebCrypto runs). */
  perCpuSecond: number;
}

async function runConcurrently(
  identities: readonly string[], verifier: StirVerifier, inFlight: number,
): Promise<Throughput> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < identities.length) {
      const identity = identities[next++];
      if (identity === undefined) break;
      const result = await verifier.verify(facts(identity));
      if (result.status !== 'passed') throw new Error(`bench verification failed: ${JSON.stringify(result)}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, () => worker()));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { perSecond: identities.length / elapsedSeconds, perCpuSecond: identities.length / cpuSeconds };
}

/** Each sample uses a new fetcher: a new TLS connection, PEM parse and chain validation. */
async function measureCold(setup: {
  x5u: string; anchors: TrustAnchors; replay: ReplayCache; newFetcher: () => CertificateFetcher;
  provider: { privateKeyPem: string };
}): Promise<{ coldFetchMs: number[]; coldVerifyMs: number[] }> {
  const { x5u, anchors, replay, newFetcher, provider } = setup;
  const coldFetchMs: number[] = [];
  const coldVerifyMs: number[] = [];
  for (let i = 0; i < coldFetches; i++) {
    const fetchStarted = performance.now();
    const fetched = await newFetcher().fetch(x5u);
    validateChain(fetched.certificates, anchors, Date.now());
    coldFetchMs.push(performance.now() - fetchStarted);
    const coldVerifier = new StirVerifier({ fetcher: newFetcher(), anchors, replay });
    const identity = identityHeaderValue(await signPassport({ orig, dest, attest: 'A', x5u }, provider.privateKeyPem), x5u);
    const verifyStarted = performance.now();
    const result = await coldVerifier.verify(facts(identity));
    if (result.status !== 'passed') throw new Error(`cold verification failed: ${JSON.stringify(result)}`);
    coldVerifyMs.push(performance.now() - verifyStarted);
  }
  return { coldFetchMs: coldFetchMs.sort((a, b) => a - b), coldVerifyMs: coldVerifyMs.sort((a, b) => a - b) };
}

export async function benchStirShaken(options: StirShakenBenchOptions): Promise<Record<string, unknown>> {
  const verifications = options.verifications ?? verificationsDefault;
  const dir = mkdtempSync(join(tmpdir(), 'dn-bench-stir-'));
  const redisServer = new RedisServer({ dir });
  await redisServer.start();
  const redis = new Redis({ path: redisServer.socketPath });
  const server = await X5uTestServer.start();
  const fetchers: CertificateFetcher[] = [];
  try {
    const root = await createRootCa();
    const provider = await issueServiceProvider({ issuer: await createIntermediateCa({ issuer: root }), spc: '1234' });
    const x5u = server.serve('/sp.pem', provider.chainPem, { cacheControl: 'max-age=3600' });
    const anchors = new TrustAnchors([new X509Certificate(root.certificatePem)]);
    const newFetcher = (): CertificateFetcher => {
      const fetcher = new CertificateFetcher({ tlsCa: server.tls.certificatePem, allowPrivateAddresses: true });
      fetchers.push(fetcher);
      return fetcher;
    };
    const replay = new ReplayCache(redis, jurisdictionKeys('ia'), 120);
    const verifier = new StirVerifier({ fetcher: newFetcher(), anchors, replay });

    const signStarted = performance.now();
    const identities: string[] = [];
    for (let i = 0; i < verifications * 2 + 1; i++) {
      const token = await signPassport({ orig, dest, attest: 'A', x5u }, provider.privateKeyPem);
      identities.push(identityHeaderValue(token, x5u));
    }
    const signPerSecond = identities.length / ((performance.now() - signStarted) / 1000);
    await verifier.verify(facts(identities.pop() ?? '')); // warms the certificate cache
    const baseline = baselineRawVerifyPerSecond();
    const warmConcurrent = await runConcurrently(identities.slice(0, verifications), verifier, concurrentCalls);
    const warmSequential = await runConcurrently(identities.slice(verifications), verifier, 1);

    const { coldFetchMs, coldVerifyMs } = await measureCold({ x5u, anchors, replay, newFetcher, provider });

    const result = {
      benchmark: 'stir-shaken',
      machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, os: `${platform()} ${release()}` },
      measures: 'full StirVerifier.verify (parse, claims, cached chain, ES256 via jose, Redis replay SET NX) on ' +
        `${verifications} distinct PASSporTs; baseline: node:crypto verify ES256 of a 330-byte message, same run`,
      targetVerificationsPerSecond,
      warmVerificationsPerSecond: Math.round(warmConcurrent.perSecond),
      warmVerificationsPerCpuSecond: Math.round(warmConcurrent.perCpuSecond),
      warmVerificationsPerSecondSequential: Math.round(warmSequential.perSecond),
      meetsTarget: warmConcurrent.perCpuSecond >= targetVerificationsPerSecond,
      meetsTargetMeans: 'verifications per CPU-second of the Node process ≥ target (redis-server CPU not included)',
      baselineRawEs256VerifyPerSecond: Math.round(baseline),
      ratioWarmToRawVerify: Number((warmConcurrent.perSecond / baseline).toFixed(3)),
      concurrentCalls,
      signPerSecond: Math.round(signPerSecond),
      coldX5uFetchAndChainMs: {
        median: percentile(coldFetchMs, 0.5), p95: percentile(coldFetchMs, 0.95), samples: coldFetchMs.length,
        note: 'new HTTPS connection (TLS handshake) to a 127.0.0.1 server, PEM parse and chain validation',
      },
      coldVerificationMs: { median: percentile(coldVerifyMs, 0.5), p95: percentile(coldVerifyMs, 0.95) },
      warmVerificationMsAtOneInFlight: Number((1000 / warmSequential.perSecond).toFixed(3)),
    };
    writeBenchResult(options.resultsDir, 'stir-shaken', result);
    return result;
  } finally {
    for (const fetcher of fetchers) fetcher.close();
    await server.close();
    redis.disconnect();
    await redisServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}


if (isMainModule(import.meta.url)) {
  const resultsDir = benchArgument('results', 'bench/results');
  const verifications = Number(benchArgument('verifications', String(verificationsDefault)));
  const result = await benchStirShaken({ resultsDir, verifications });
  console.log(JSON.stringify(result, null, 2));
}
