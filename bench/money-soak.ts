// Delegate money soak: SOAK_TRANSFERS payments (default 1,000,000) from 100 concurrent clients on a
// private redis-server (AOF, appendfsync always, as embedded), while redis-server is killed with
// SIGKILL 10 times at evenly spaced points of progress and restarted; ten clients share each of ten
// connections, as callers share an app process's, so crashes cut group-committed batches. Each client
// pays through the same commit as `money pay` (balance guard, idempotency record, journal entry) and, like a real
// client, repeats a request with the same idempotency key until it is acknowledged ("paid", or
// "duplicate" when an earlier try had committed before the reply was lost). Afterwards:
//  - lost acknowledged transfers: acknowledged requests whose journal entry is missing (must be 0);
//  - doubled: requests journaled more than once (must be 0);
//  - conservation: `ledger verify` passes and the payers' balances still sum to exactly what was seeded.
//
//   node dist/bench/money-soak.js [--transfers 1000000] [--results bench/results]
//
// Writes <resultsDir>/money-soak.json.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { MoneyService, paymentFingerprint } from '../src/app/money-service.js';
import type { Caller } from '../src/core/caller.js';
import { isTransferEvent } from '../src/core/money/ledger.js';
import { parseEntryBody } from '../src/store/audit-log.js';
import { Committer } from '../src/store/commit.js';
import { DemocracyStore } from '../src/store/democracy-store.js';
import { jurisdictionKeys } from '../src/store/keys.js';
import { LedgerStore } from '../src/store/ledger-store.js';
import { RedisServer } from '../src/store/redis-server.js';
import { RollStore } from '../src/store/roll-store.js';
import { seedAccounts } from './money.js';
import { benchArgument, isMainModule, writeBenchResult } from './support.js';

const keys = jurisdictionKeys('ia');
const clientCount = 100;
/** Ten app processes' connections, ten clients each: their payments share script calls (group commit). */
const connectionCount = 10;
const killCount = 10;
const payerAccounts = 10_000;
const payerStartCents = 100_000_000;
const retryPauseMs = 20;
/** A request is repeated at most this often (a restart takes well under a minute of retries). */
const requestAttemptCountMax = 3_000;
const readyTimeoutMs = 120_000;
const logReadBatch = 10_000;

export interface MoneySoakOptions {
  resultsDir: string;
  transfers?: number;
}

/** Waits until the restarted server answers PING (it replies LOADING while it replays the AOF). */
async function restart(server: RedisServer): Promise<number> {
  const started = performance.now();
  try {
    await server.start();
  } catch (error) {
    // A long AOF replay can outlast RedisServer's own start deadline; keep polling while it runs.
    if (!server.running) throw error;
    const probe = new Redis({ path: server.socketPath, maxRetriesPerRequest: 0, lazyConnect: true });
    probe.on('error', () => undefined);
    try {
      for (;;) {
        if (performance.now() - started > readyTimeoutMs) throw error;
        if (await probe.ping().catch(() => 'not ready') === 'PONG') break;
        await sleep(100);
      }
    } finally {
      probe.disconnect();
    }
  }
  return (performance.now() - started) / 1000;
}

function reference(ledger: LedgerStore, clientKey: string): string {
  return createHash('sha256').update(ledger.idempotencyKey(clientKey)).digest('hex').slice(0, 16);
}

export async function benchMoneySoak(options: MoneySoakOptions): Promise<Record<string, unknown>> {
  const transfers = options.transfers ?? 1_000_000;
  if (!Number.isSafeInteger(transfers) || transfers < clientCount) throw new RangeError(`transfers must be ≥ ${clientCount}`);
  const temp = mkdtempSync(join(tmpdir(), 'dn-bench-soak-'));
  const server = new RedisServer({ dir: temp });
  await server.start();
  const admin = new Redis({ path: server.socketPath });
  admin.on('error', () => undefined);
  const adminLedger = new LedgerStore(admin, keys);
  const connections = Array.from({ length: connectionCount }, () => {
    const redis = new Redis({ path: server.socketPath, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined); // connection errors during the crashes are expected
    return redis;
  });
  try {
    await seedAccounts(new Committer(admin, keys), adminLedger,
      { first: 1, count: payerAccounts, cents: () => payerStartCents });
    const perClient = Math.ceil(transfers / clientCount);
    const acknowledged = new Array<number>(clientCount).fill(0);
    let acknowledgedTotal = 0;
    let duplicatesAnswered = 0;
    let retries = 0;
    let refused = 0;
    const client = async (index: number): Promise<void> => {
      const redis = connections[index % connectionCount] as Redis;
      const ledger = new LedgerStore(redis, keys);
      const committer = new Committer(redis, keys);
      const money = new MoneyService(ledger, committer, new RollStore(redis, keys), new DemocracyStore(redis, keys),
        { amountMaxCents: payerStartCents });
      const count = Math.min(perClient, transfers - index * perClient);
      for (let n = 0; n < count; n += 1) {
        const from = String(1 + ((index * 7_919 + n * 31) % payerAccounts));
        const to = String(1 + ((index * 7_919 + n * 31 + 1 + (n % (payerAccounts - 1))) % payerAccounts));
        const amountCents = 1 + ((index + n) % 100);
        const clientKey = `soak-${index}-${n}`;
        const claim = ledger.claimId(clientKey);
        const caller: Caller = { voterId: from, actor: 'Soak Voter of Ames', verified: true, registered: true, channel: 'cli' };
        const request = money.transferRequest({ caller,
          request: { to: { voter: to }, amountCents, idempotencyKey: clientKey },
          kind: 'pay', from, target: { account: to, name: 'Soak Payee of Adel', createTentative: null },
          claim, fingerprint: paymentFingerprint('pay', from, to, amountCents) });
        let done = false;
        for (let attempt = 0; !done && attempt < requestAttemptCountMax; attempt += 1) {
          try {
            const result = await committer.commit(request);
            if (result.ok) done = true;
            else if (result.conflict.key === committer.claims.conflictKey && result.conflict.field === claim) {
              duplicatesAnswered += 1; // an earlier try committed; its reply was lost in the crash
              done = true;
            } else {
              refused += 1;
              break;
            }
          } catch {
            retries += 1;
            await sleep(retryPauseMs);
          }
        }
        if (!done) throw new Error(`request ${clientKey} was never acknowledged`);
        acknowledged[index] = n + 1;
        acknowledgedTotal += 1;
      }
    };
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const loadBefore = loadavg()[0];
    const workers = Promise.all(Array.from({ length: clientCount }, (_, index) => client(index)));
    let workersDone = false;
    void workers.then(() => { workersDone = true; }, () => { workersDone = true; });
    const kills: Array<{ atAcknowledged: number; restartSeconds: number; pid: number | undefined }> = [];
    for (let kill = 1; kill <= killCount && !workersDone; kill += 1) {
      const threshold = Math.floor((transfers * kill) / (killCount + 1));
      while (acknowledgedTotal < threshold && !workersDone) await sleep(10);
      if (workersDone) break;
      await server.kill9();
      const restartSeconds = await restart(server);
      kills.push({ atAcknowledged: acknowledgedTotal, restartSeconds, pid: server.pid });
    }
    await workers;
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (refused !== 0) throw new Error(`${refused} payments were refused (every payer has ample funds)`);

    // Every acknowledged request must be in the journal exactly once.
    const journaled = new Map<string, number>();
    const length = await admin.llen(keys.key('log'));
    for (let start = 0; start < length; start += logReadBatch) {
      for (const body of await admin.lrange(keys.key('log'), start, start + logReadBatch - 1)) {
        const entry = parseEntryBody(body);
        if (isTransferEvent(entry.event) && entry.event.kind === 'pay') {
          journaled.set(entry.event.reference, (journaled.get(entry.event.reference) ?? 0) + 1);
        }
      }
    }
    let lostAcknowledged = 0;
    for (let index = 0; index < clientCount; index += 1) {
      for (let n = 0; n < (acknowledged[index] ?? 0); n += 1) {
        if (!journaled.has(reference(adminLedger, `soak-${index}-${n}`))) lostAcknowledged += 1;
      }
    }
    const doubled = [...journaled.values()].filter((count) => count > 1).length;
    const verifyStarted = performance.now();
    const verification = await adminLedger.verify();
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    const payerIds = Array.from({ length: payerAccounts }, (_, i) => String(1 + i));
    const payerSum = (await adminLedger.balances(payerIds)).reduce((sum, cents) => sum + cents, 0);
    const result = {
      benchmark: 'money-soak', when: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', platform: platform(), release: release(),
        loadAverageAtStart: loadBefore, loadAverageAtEnd: loadavg()[0] },
      redis: 'private redis-server, unix socket, AOF appendfsync always (as embedded); SIGKILL + restart',
      transfersRequested: transfers, clients: clientCount, connections: connectionCount,
      kills: kills.length, killsPlanned: killCount,
      acknowledged: acknowledgedTotal, journaledPayments: journaled.size, duplicatesAnswered, retries,
      lostAcknowledged, doubled,
      conservation: { ledgerVerifyOk: verification.ok, balanceSumCents: verification.balanceSumCents,
        payerSumCents: payerSum, seededCents: payerAccounts * payerStartCents,
        exact: payerSum === payerAccounts * payerStartCents && verification.ok && verification.balanceSumCents === 0 },
      seconds, acknowledgedPerSecondIncludingRestarts: acknowledgedTotal / seconds,
      clientCpuSeconds: (cpu.user + cpu.system) / 1e6, verifySeconds, killsDetail: kills,
      targets: { lostAcknowledged: 0, doubled: 0, conservation: 'exact' },
    };
    writeBenchResult(options.resultsDir, 'money-soak', result);
    if (lostAcknowledged !== 0 || doubled !== 0 || !result.conservation.exact) {
      throw new Error(`soak failed: ${JSON.stringify({ lostAcknowledged, doubled, conservation: result.conservation })}`);
    }
    return result;
  } finally {
    for (const redis of connections) redis.disconnect();
    admin.disconnect();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const fromEnv = process.env.SOAK_TRANSFERS;
  const result = await benchMoneySoak({ resultsDir: benchArgument('results', 'bench/results'),
    transfers: Number(benchArgument('transfers', fromEnv ?? '1000000')) });
  console.log(JSON.stringify(result, null, 2));
}
