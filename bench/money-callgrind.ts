// Redis's own cost of a payment, counted in instructions (valgrind --tool=callgrind), which the
// machine's other load does not move: a private redis-server as embedded (unix socket, AOF,
// appendfsync always) runs under callgrind with instrumentation off; 10,000 payers are seeded and
// `--warm` payments made (the claim bucket outgrows its listpack at 512 claims, as any live bucket
// has), then instrumentation is on for `--payments` payments from 50 callers through one connection,
// each the commit `money pay` makes. Also the AOF bytes and used_memory per payment, and the memory
// of the claims (freed when their keys are deleted at the end). Not part of `npm run bench`.
//
//   node dist/bench/money-callgrind.js [--payments 5000] [--warm 1000] [--redis-server redis-server]
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MoneyService, paymentFingerprint } from '../src/app/money-service.js';
import type { Caller } from '../src/core/caller.js';
import { Committer } from '../src/store/commit.js';
import { DemocracyStore } from '../src/store/democracy-store.js';
import { jurisdictionKeys } from '../src/store/keys.js';
import { LedgerStore } from '../src/store/ledger-store.js';
import { RedisServer } from '../src/store/redis-server.js';
import { RollStore } from '../src/store/roll-store.js';
import { seedAccounts } from './money.js';
import { benchArgument, isMainModule } from './support.js';

const keys = jurisdictionKeys('ia');
const callerCount = 50;
const payerAccounts = 10_000;

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

function aofBytes(dir: string): number {
  const aofDir = join(dir, 'appendonlydir');
  return readdirSync(aofDir).reduce((sum, name) => sum + statSync(join(aofDir, name)).size, 0);
}

/** `count` payments from 50 callers at once, client keys `<prefix>-<caller>-<n>`; how many were refused. */
async function pay(redis: Redis, count: number, prefix: string): Promise<number> {
  const ledger = new LedgerStore(redis, keys);
  const committer = new Committer(redis, keys);
  const money = new MoneyService(ledger, committer, new RollStore(redis, keys), new DemocracyStore(redis, keys),
    { amountMaxCents: 100_000_000 });
  let refused = 0;
  await Promise.all(Array.from({ length: callerCount }, async (_, index) => {
    for (let n = 0; n < count / callerCount; n += 1) {
      const from = String(1 + ((index * 7_919 + n * 31) % payerAccounts));
      const to = String(1 + ((index * 7_919 + n * 31 + 1 + (n % 97)) % payerAccounts));
      const amountCents = 1 + (n % 100);
      const clientKey = `${prefix}-${index}-${n}`;
      const caller: Caller = { voterId: from, actor: 'Bench Voter of Ames', verified: true, registered: true, channel: 'cli' };
      const request = money.transferRequest({ caller,
        request: { to: { voter: to }, amountCents, idempotencyKey: clientKey }, kind: 'pay', from, target: { account: to, name: 'Bench Payee of Adel', createTentative: null },
        claim: ledger.claimId(clientKey),
        fingerprint: paymentFingerprint('pay', from, to, amountCents) });
      if (!(await committer.commit(request)).ok) refused += 1;
    }
  }));
  return refused;
}

export async function benchMoneyCallgrind(options: { payments: number; warm: number; redisServer: string }):
Promise<Record<string, number>> {
  const temp = mkdtempSync(join(tmpdir(), 'dn-callgrind-'));
  const outFile = join(temp, 'callgrind.out');
  const wrapper = join(temp, 'redis-under-callgrind.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=${outFile} `
    + `${options.redisServer} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const server = new RedisServer({ dir: join(temp, 'redis'), binary: wrapper });
  await server.start();
  const redis = new Redis({ path: server.socketPath });
  try {
    await seedAccounts(new Committer(redis, keys), new LedgerStore(redis, keys),
      { first: 1, count: payerAccounts, cents: () => 1_000_000_000 });
    if (await pay(redis, options.warm, 'warm') !== 0) throw new Error('a warm-up payment was refused');
    const memoryBefore = await usedMemory(redis);
    const aofBefore = aofBytes(join(temp, 'redis'));
    execFileSync('callgrind_control', ['-i', 'on', String(server.pid)]);
    const refused = await pay(redis, options.payments, 'measured');
    execFileSync('callgrind_control', ['-i', 'off', String(server.pid)]);
    if (refused !== 0) throw new Error(`${refused} payments were refused`);
    const memoryAfter = await usedMemory(redis);
    const aofAfter = aofBytes(join(temp, 'redis'));
    // The claims' memory: what deleting every claim key (or claim bucket) frees.
    const claimKeys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${keys.key('money')}:*`, 'COUNT', 1_000);
      cursor = next;
      claimKeys.push(...found.filter((key) => !key.startsWith(keys.key('money', 'serial'))));
    } while (cursor !== '0');
    for (let i = 0; i < claimKeys.length; i += 1_000) await redis.del(...claimKeys.slice(i, i + 1_000));
    const memoryWithoutClaims = await usedMemory(redis);
    redis.disconnect();
    await server.stop();
    const totals = /^totals: (\d+)/m.exec(readFileSync(outFile, 'utf8'))?.[1];
    if (totals === undefined) throw new Error('no totals in the callgrind output');
    return { payments: options.payments, warm: options.warm,
      redisInstructionsPerPayment: Number(totals) / options.payments,
      aofBytesPerPayment: (aofAfter - aofBefore) / options.payments,
      usedMemoryBytesPerPayment: (memoryAfter - memoryBefore) / options.payments,
      claimBytesPerClaim: (memoryAfter - memoryWithoutClaims) / (options.payments + options.warm) };
  } finally {
    redis.disconnect();
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  console.log(JSON.stringify(await benchMoneyCallgrind({ payments: Number(benchArgument('payments', '5000')),
    warm: Number(benchArgument('warm', '1000')), redisServer: benchArgument('redis-server', 'redis-server') }), null, 2));
}
