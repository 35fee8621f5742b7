// Delegate money benchmark, on a private redis-server started exactly like the embedded one (unix
// socket, AOF, appendfsync always):
//  1. transfers/s: 50 callers paying at once commit payments through the same commit as `money pay`
//     (balance guard, idempotency record, journal entry, balances): through one app process's
//     connection (as `serve`: their commits share script calls) and, second figure, each through its
//     own connection; in the same run `redis-benchmark -t set` with 50 clients against the same
//     server as the baseline, and the disk's fdatasync latency in Redis's directory (what every
//     write-bearing event-loop turn waits for under appendfsync always). Before round 0, an
//     unmeasured warm-up of the same transfers through one connection (`warmUp` in the results): the
//     first seconds of a process run unoptimised code (round 0 cost 18–22 µs of client CPU per
//     transfer against 12 in later rounds: JIT warm-up, not the commit path);
//  2. a demurrage run over many accounts: wall time and the peak memory of this process;
//  3. `ledger verify` over the resulting journal.
//
//   node dist/bench/money.js [--voters 2200000] [--results bench/results] [--seconds 25]
//
// Writes <resultsDir>/money.json.
import { execFile } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { DemurrageService } from '../src/app/demurrage-service.js';
import { ActivationRewards, MoneyService, paymentFingerprint } from '../src/app/money-service.js';
import type { Caller } from '../src/core/caller.js';
import { mintAccount, type Leg, type TransferEvent } from '../src/core/money/ledger.js';
import { Committer } from '../src/store/commit.js';
import { DemocracyStore } from '../src/store/democracy-store.js';
import { jurisdictionKeys } from '../src/store/keys.js';
import { LedgerStore } from '../src/store/ledger-store.js';
import { RedisServer } from '../src/store/redis-server.js';
import { RollStore } from '../src/store/roll-store.js';
import { benchArgument, isMainModule, percentileOf, writeBenchResult } from './support.js';

const keys = jurisdictionKeys('ia');
const clientCount = 50;
const payerAccounts = 10_000;
const payerStartCents = 1_000_000;
const seedLegsPerCommit = 1_000;
const participantShare = 0.1;
const demurrageRateBasisPoints = 50;
const memorySampleIntervalMs = 100;
const setBenchmarkRequests = 50_000;
/** Transfers and SET alternate in rounds: this machine's load varies, and each ratio compares neighbours. */
const roundCount = 5;
/** The unmeasured warm-up before round 0, in seconds. */
const warmUpSeconds = 2;

export interface MoneyBenchOptions {
  resultsDir: string;
  /** Accounts for the demurrage run (default 2,200,000). */
  voters?: number;
  /** Duration of each transfer phase, split over the rounds (default 25 s: 5 rounds of 5 s). */
  transferSeconds?: number;
}

const run = promisify(execFile);

interface Round {
  transfersPerSecond: number; separateConnectionsPerSecond: number; setPerSecond: number; ratio: number;
  fsyncMicrosecondsMedian: number;
  /** CPU per transfer through the app connection: far less distorted by the machine's other load than rates. */
  clientCpuMicrosecondsPerTransfer: number; redisCpuMicrosecondsPerTransfer: number;
}

const fsyncSamples = 200;

/**
 * The disk's fdatasync latency in Redis's own directory, now: what `appendfsync always` waits for after
 * every event-loop turn that wrote. Appends 256 bytes and syncs, as the AOF does; the median in µs.
 */
function fsyncMicroseconds(dir: string): number {
  const path = join(dir, 'fsync-probe');
  const fd = openSync(path, 'a');
  const block = Buffer.alloc(256, 0x2a);
  const samples: number[] = [];
  try {
    for (let i = 0; i < fsyncSamples; i += 1) {
      writeSync(fd, block);
      const started = performance.now();
      fdatasyncSync(fd);
      samples.push((performance.now() - started) * 1000);
    }
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
  return percentileOf(samples.sort((a, b) => a - b), 0.5);
}

/** Mints `cents(i)` to accounts `first`..`first+count-1` in commits of 1,000 legs, journal included. */
export async function seedAccounts(committer: Committer, ledger: LedgerStore, options: {
  first: number; count: number; cents: (index: number) => number;
}): Promise<void> {
  for (let start = 0; start < options.count; start += seedLegsPerCommit) {
    const legs: Leg[] = [];
    let total = 0;
    for (let i = start; i < Math.min(options.count, start + seedLegsPerCommit); i += 1) {
      const cents = options.cents(i);
      legs.push([String(options.first + i), cents]);
      total += cents;
    }
    legs.unshift([mintAccount, -total]);
    const event: TransferEvent = { type: 'transfer', kind: 'mint', legs, reference: 'bench seed' };
    const result = await committer.commit({ guards: [], writes: ledger.transferParts(legs).writes,
      entries: [{ actor: 'operator', actorId: null, channel: 'system', text: 'seeds benchmark balances', event }] });
    if (!result.ok) throw new Error('seeding conflicted');
  }
}

/**
 * `clientCount` callers paying at once for `seconds`. `connectionCount` 1 is one app process (`serve`
 * holds one Redis connection, so its callers' commits share script calls: commit-batcher.ts);
 * `clientCount` is one process per caller, each with its own connection.
 */
async function transfersPerSecond(socketPath: string, seconds: number, round: number | 'warm-up', connectionCount: number):
  Promise<Record<string, number>> {
  const connections = Array.from({ length: connectionCount }, () => new Redis({ path: socketPath }));
  const deadline = performance.now() + seconds * 1000;
  let transfers = 0;
  let refused = 0;
  const redisCpuBefore = await redisCpuSeconds(connections[0] as Redis);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const client = async (index: number): Promise<void> => {
    const redis = connections[index % connectionCount] as Redis;
    const ledger = new LedgerStore(redis, keys);
    const committer = new Committer(redis, keys);
    const money = new MoneyService(ledger, committer, new RollStore(redis, keys), new DemocracyStore(redis, keys),
      { amountMaxCents: 100_000_000 });
    let random = Math.imul(index + 1, 2_654_435_761) >>> 0;
    for (let n = 0; performance.now() < deadline; n += 1) {
      // 32-bit LCG in integer arithmetic (Math.imul): a float product would lose its low bits.
      random = (Math.imul(random, 1_103_515_245) + 12_345) >>> 0;
      const fromIndex = random % payerAccounts;
      // Never the same account twice, and never a loop iteration without an await.
      const toIndex = (fromIndex + 1 + ((random >>> 8) % (payerAccounts - 1))) % payerAccounts;
      const [from, to] = [String(1 + fromIndex), String(1 + toIndex)];
      const amountCents = 1 + (random % 100);
      const caller: Caller = { voterId: from, actor: 'Bench Voter of Ames', verified: true, registered: true, channel: 'cli' };
      const clientKey = `bench-${round}-${index}-${n}`;
      const request = money.transferRequest({
        caller, request: { to: { voter: to }, amountCents, idempotencyKey: clientKey }, kind: 'pay', from,
        target: { account: to, name: 'Bench Payee of Adel', createTentative: null },
        claim: ledger.claimId(clientKey),
        fingerprint: paymentFingerprint('pay', from, to, amountCents),
      });
      const result = await committer.commit(request);
      if (result.ok) transfers += 1;
      else refused += 1;
    }
  };
  await Promise.all(Array.from({ length: clientCount }, (_, index) => client(index)));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = (await redisCpuSeconds(connections[0] as Redis)) - redisCpuBefore;
  for (const redis of connections) redis.disconnect();
  return { clients: clientCount, connections: connectionCount, seconds: elapsedSeconds, transfers, refused,
    transfersPerSecond: transfers / elapsedSeconds,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    // CPU per transfer depends far less on the machine's other load than the rate does.
    clientCpuMicrosecondsPerTransfer: (cpu.user + cpu.system) / Math.max(1, transfers),
    redisCpuMicrosecondsPerTransfer: (redisCpu * 1e6) / Math.max(1, transfers) };
}

/** redis-server's own CPU time so far (user + system, main thread and the rest). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function setBaseline(socketPath: string): Promise<number> {
  const { stdout } = await run('redis-benchmark',
    ['-s', socketPath, '-t', 'set', '-n', String(setBenchmarkRequests), '-c', String(clientCount), '-q']);
  const match = /SET: ([\d.]+) requests per second/.exec(stdout.replace(/\r/g, '\n'));
  if (match?.[1] === undefined) throw new Error(`cannot read redis-benchmark output: ${stdout.slice(-200)}`);
  return Number(match[1]);
}

async function demurrageRun(redis: Redis, accounts: number): Promise<Record<string, number>> {
  const ledger = new LedgerStore(redis, keys);
  const committer = new Committer(redis, keys);
  const seedStarted = performance.now();
  const first = 1_000_000;
  await seedAccounts(committer, ledger, { first, count: accounts, cents: (i) => 100 + ((i * 7_919) % 1_000_000) });
  // Participants activate through the real activation commit (N = 1: serials without rewards).
  const participants = Math.floor(accounts * participantShare);
  const rewards = new ActivationRewards(ledger, 1);
  for (let start = 0; start < participants; start += seedLegsPerCommit) {
    const batch = [];
    for (let i = start; i < Math.min(participants, start + seedLegsPerCommit); i += 1) {
      batch.push({ voter: String(first + i * 10), actor: 'Bench Voter of Ames', channel: 'system' as const });
    }
    const parts = await rewards.partsFor(batch);
    if (parts === null || !(await committer.commit(parts)).ok) throw new Error('activating participants failed');
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const service = new DemurrageService(ledger, committer, { rateBasisPoints: demurrageRateBasisPoints, periodUnit: 'month' });
  let rssMax = 0;
  let heapMax = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rssMax = Math.max(rssMax, usage.rss);
    heapMax = Math.max(heapMax, usage.heapUsed);
  }, memorySampleIntervalMs);
  const redisCpuBefore = await redisCpuSeconds(redis);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const report = await service.run('2026-11');
  const runSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const redisCpu = (await redisCpuSeconds(redis)) - redisCpuBefore;
  clearInterval(sampler);
  const verifyStarted = performance.now();
  const verification = await ledger.verify();
  const verifySeconds = (performance.now() - verifyStarted) / 1000;
  if (!verification.ok) {
    throw new Error(`ledger verify failed after the demurrage run: ${JSON.stringify(verification.problems)} `
      + JSON.stringify(verification.serialProblems));
  }
  return {
    accounts, participants: report.participants, seedSeconds, runSeconds, chargedAccounts: report.chargedAccounts,
    // CPU per account on both sides: what the run costs, whatever else the machine is doing.
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
    clientCpuMicrosecondsPerAccount: (cpu.user + cpu.system) / accounts,
    redisCpuSeconds: redisCpu, redisCpuMicrosecondsPerAccount: (redisCpu * 1e6) / accounts,
    collectedCents: report.collectedCents, shareCents: report.shareCents, carriedCents: report.carriedCents,
    heapBeforeMiB: heapBefore / 2 ** 20, heapMaxMiB: heapMax / 2 ** 20, rssMaxMiB: rssMax / 2 ** 20,
    verifySeconds, verifiedTransfers: verification.transfers,
  };
}

export async function benchMoney(options: MoneyBenchOptions): Promise<Record<string, unknown>> {
  const accounts = options.voters ?? 2_200_000;
  const seconds = options.transferSeconds ?? 25;
  const temp = mkdtempSync(join(tmpdir(), 'dn-bench-money-'));
  const server = new RedisServer({ dir: temp });
  await server.start();
  const redis = new Redis({ path: server.socketPath });
  try {
    await seedAccounts(new Committer(redis, keys), new LedgerStore(redis, keys),
      { first: 1, count: payerAccounts, cents: () => payerStartCents });
    const warmUp = await transfersPerSecond(server.socketPath, warmUpSeconds, 'warm-up', 1);
    if (warmUp.refused !== 0) throw new Error(`${warmUp.refused} transfers were refused in the warm-up`);
    const rounds: Round[] = [];
    let transfers: Record<string, number> = {};
    let separate: Record<string, number> = {};
    for (let round = 0; round < roundCount; round += 1) {
      transfers = await transfersPerSecond(server.socketPath, seconds / roundCount, round, 1);
      separate = await transfersPerSecond(server.socketPath, seconds / roundCount, roundCount + round, clientCount);
      // Every request is a new payment with ample funds: a refusal would be a bug, not a figure.
      for (const phase of [transfers, separate]) {
        if (phase.refused !== 0) throw new Error(`${phase.refused} transfers were refused in round ${round}`);
      }
      const setPerSecond = await setBaseline(server.socketPath);
      const perSecond = transfers.transfersPerSecond ?? 0;
      rounds.push({ transfersPerSecond: perSecond, separateConnectionsPerSecond: separate.transfersPerSecond ?? 0,
        setPerSecond, ratio: perSecond / setPerSecond, fsyncMicrosecondsMedian: fsyncMicroseconds(temp),
        clientCpuMicrosecondsPerTransfer: transfers.clientCpuMicrosecondsPerTransfer ?? 0,
        redisCpuMicrosecondsPerTransfer: transfers.redisCpuMicrosecondsPerTransfer ?? 0 });
    }
    const median = (key: keyof Round): number =>
      [...rounds].sort((a, b) => a[key] - b[key])[Math.floor(roundCount / 2)]?.[key] ?? 0;
    const demurrage = await demurrageRun(redis, accounts);
    const result = {
      benchmark: 'money', when: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', platform: platform(), release: release() },
      redis: 'private redis-server, unix socket, AOF appendfsync always (as embedded)',
      transfers: `${clientCount} callers paying at once through one app process (one connection, as serve); `
        + `also ${clientCount} callers each with its own connection (as ${clientCount} processes)`,
      transfersPerSecondMedian: median('transfersPerSecond'),
      separateConnectionsPerSecondMedian: median('separateConnectionsPerSecond'),
      baseline: { redisBenchmarkSetPerSecondMedian: median('setPerSecond'), clients: clientCount, requestsPerRound: setBenchmarkRequests },
      ratioTransfersToSetMedian: median('ratio'),
      // The figure the rates move with on this machine (its disk's sync latency varies between runs).
      fsyncMicrosecondsMedian: median('fsyncMicrosecondsMedian'),
      clientCpuMicrosecondsPerTransferMedian: median('clientCpuMicrosecondsPerTransfer'),
      redisCpuMicrosecondsPerTransferMedian: median('redisCpuMicrosecondsPerTransfer'),
      // The load other work put on this machine during the run (1-minute load average at the end).
      loadAverage: loadavg()[0],
      // Not in the medians: the same transfers while the JIT compiles the commit path.
      warmUp: { seconds: warmUp.seconds, transfers: warmUp.transfers, transfersPerSecond: warmUp.transfersPerSecond,
        clientCpuMicrosecondsPerTransfer: warmUp.clientCpuMicrosecondsPerTransfer },
      rounds, lastRound: { app: transfers, separateConnections: separate },
      targets: { transfersPerSecond: 20_000, ratioToSet: 0.25, demurrageAccounts: 2_200_000, demurrageSeconds: 30 },
      demurrage,
    };
    writeBenchResult(options.resultsDir, 'money', result);
    return result;
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}


if (isMainModule(import.meta.url)) {
  const result = await benchMoney({ voters: Number(benchArgument('voters', '2200000')), resultsDir: benchArgument('results', 'bench/results'),
    transferSeconds: Number(benchArgument('seconds', '25')) });
  console.log(JSON.stringify(result, null, 2));
}
