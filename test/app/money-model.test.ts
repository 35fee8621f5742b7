// Model-based and crash tests of delegate money against a real redis-server.
// 1. Random sequences of mints, payments, retried payments and refused payments run against Redis
//    and against an in-memory model; balances and the supply agree after every step, and the sum
//    over all accounts changes only by minting (it stays 0 with the mint account included).
// 2. kill -9 of redis-server (AOF, appendfsync always) several times while clients pay: after the
//    restart every acknowledged payment is in the journal exactly once and `ledger verify` passes.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { createContext, type AppContext } from '../../src/app/context.js';
import { InsufficientFundsError, SelfPaymentError } from '../../src/app/money-service.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import type { Caller } from '../../src/core/caller.js';
import { isTransferEvent, mintAccount } from '../../src/core/money/ledger.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const sovereignPhone = '5155554001';
const voters: HandVoter[] = Array.from({ length: 8 }, (_, i) => ({
  id: String(4001 + i), first: `m${String.fromCharCode(97 + i)}`, last: 'model', city: 'ames', county: 'story',
  phone: `51555540${String(i + 1).padStart(2, '0')}`,
}));
const accounts = voters.map((voter) => voter.id);

type Operation =
  | { op: 'mint'; to: number; cents: number }
  | { op: 'pay'; from: number; to: number; cents: number }
  | { op: 'retry' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ op: fc.constant('mint' as const), to: fc.nat(7), cents: fc.integer({ min: 1, max: 5_000 }) }),
  { arbitrary: fc.record({ op: fc.constant('pay' as const), from: fc.nat(7), to: fc.nat(7), cents: fc.integer({ min: 1, max: 4_000 }) }), weight: 3 },
  fc.record({ op: fc.constant('retry' as const) }),
);

async function setUp(dir: string, redis: TestRedis): Promise<{ config: Config; context: AppContext }> {
  const config = loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, SOVEREIGN_PHONES: sovereignPhone,
    NUMBER_OF_ACTIVATIONS_TO_REWARD: '1' });
  const context = await createContext(config, createLogger('silent'));
  await writeIowaZip(join(dir, 'roll.zip'), voters);
  await importRollFile(context, join(dir, 'roll.zip'));
  return { config, context };
}

describe('app/money: model-based sequences and kill -9 of redis-server', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let context: AppContext;
  let config: Config;

  beforeEach(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-model-'));
    ({ config, context } = await setUp(dir, redis));
  });
  afterEach(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('agrees with an in-memory model after every step of random operation sequences', async () => {
    const callers = new Map<string, Caller>();
    for (const id of accounts) callers.set(id, await context.callers.byVoterId(id, 'cli'));
    const sovereign = callers.get(accounts[0]!)!;
    expect(sovereign.sovereign).to.equal(true);
    let keyCounter = 0;
    await fc.assert(fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations) => {
      // The model starts from the store's state: each sequence continues the same ledger.
      const model = new Map<string, number>();
      for (const id of [...accounts, mintAccount]) model.set(id, await context.money.balanceOf(id));
      let last: { from: string; to: string; cents: number; key: string } | null = null;
      for (const step of operations) {
        if (step.op === 'mint') {
          const to = accounts[step.to]!;
          const key = `model-key-${(keyCounter += 1)}`;
          await context.money.mint(sovereign, { to: { voter: to }, amountCents: step.cents, idempotencyKey: key });
          model.set(to, model.get(to)! + step.cents);
          model.set(mintAccount, model.get(mintAccount)! - step.cents);
          last = null;
        } else if (step.op === 'pay') {
          const [from, to] = [accounts[step.from]!, accounts[step.to]!];
          const key = `model-key-${(keyCounter += 1)}`;
          const request = { to: { voter: to }, amountCents: step.cents, idempotencyKey: key };
          if (from === to) {
            await context.money.pay(callers.get(from)!, request).then(() => expect.fail('self payment'), (error: unknown) => {
              expect(error).to.be.instanceOf(SelfPaymentError);
            });
          } else if (model.get(from)! < step.cents) {
            await context.money.pay(callers.get(from)!, request).then(() => expect.fail('overdraft'), (error: unknown) => {
              expect(error).to.be.instanceOf(InsufficientFundsError);
            });
          } else {
            const result = await context.money.pay(callers.get(from)!, request);
            expect(result.status).to.equal('paid');
            model.set(from, model.get(from)! - step.cents);
            model.set(to, model.get(to)! + step.cents);
            last = { from, to, cents: step.cents, key };
          }
        } else if (last !== null) {
          const result = await context.money.pay(callers.get(last.from)!,
            { to: { voter: last.to }, amountCents: last.cents, idempotencyKey: last.key });
          expect(result.status).to.equal('duplicate');
        }
        const stored = await context.ledger.balances([...accounts, mintAccount]);
        expect(stored).to.deep.equal([...accounts, mintAccount].map((id) => model.get(id)));
        expect(stored.reduce((sum, value) => sum + value, 0)).to.equal(0);
      }
    }), { numRuns: 40 });
    const verification = await context.money.verify();
    expect(verification.ok).to.equal(true);
    expect(verification.supplyCents).to.equal(-(await context.money.balanceOf(mintAccount)));
  });

  it('keeps every acknowledged payment exactly once across repeated kill -9 of redis-server', async () => {
    const sovereign = await context.callers.byVoterId(accounts[0]!, 'cli');
    await context.money.mint(sovereign, { to: { voter: accounts[1]! }, amountCents: 1_000_000, idempotencyKey: 'crash-seed' });
    const clients: AppContext[] = [];
    for (let i = 0; i < 6; i += 1) clients.push(await createContext(config, createLogger('silent')));
    // Connection errors during the crashes are expected; the workers see them as failed requests.
    for (const client of [context, ...clients]) client.connection.redis.on('error', () => undefined);
    const payer = await context.callers.byVoterId(accounts[1]!, 'cli');
    const acknowledged: string[] = [];
    let stop = false;
    let duplicates = 0;
    const worker = async (index: number): Promise<void> => {
      for (let n = 0; !stop && n < 10_000; n += 1) {
        const key = `crash-${index}-${n}`;
        // Retry the same request (same key) until it is acknowledged, as a real client would.
        for (let attempt = 0; attempt < 200; attempt += 1) {
          try {
            const result = await clients[index % clients.length]!.money.pay(payer,
              { to: { voter: accounts[2 + (n % 6)]! }, amountCents: 7, idempotencyKey: key });
            if (result.status === 'duplicate') duplicates += 1;
            acknowledged.push(key);
            break;
          } catch {
            // The server is down or still loading its AOF: wait, then retry the same request.
            await sleep(20);
          }
        }
      }
    };
    // Four workers per app process: their payments share script calls (group commit) across the crashes.
    const workers = Array.from({ length: 4 * clients.length }, (_, index) => worker(index));
    const pids = new Set<number | undefined>([redis.server.pid]);
    const progress: number[] = [];
    for (let crash = 0; crash < 3; crash += 1) {
      await sleep(400);
      progress.push(acknowledged.length);
      await redis.server.kill9();
      await sleep(100);
      await redis.server.start();
      pids.add(redis.server.pid);
    }
    await sleep(400);
    progress.push(acknowledged.length);
    stop = true;
    await Promise.all(workers);
    for (const client of clients) await client.close();
    // Four different server processes, and clients made progress between every two crashes.
    expect(pids.size).to.equal(4);
    for (let i = 1; i < progress.length; i += 1) expect(progress[i]!, `after crash ${i}`).to.be.greaterThan(progress[i - 1]!);
    expect(acknowledged.length).to.be.greaterThan(50);
    expect(duplicates).to.be.at.most(acknowledged.length);

    const references = new Map<string, number>();
    for await (const entry of context.auditLog.readEntries()) {
      if (isTransferEvent(entry.event) && entry.event.kind === 'pay') {
        references.set(entry.event.reference, (references.get(entry.event.reference) ?? 0) + 1);
      }
    }
    for (const key of acknowledged) {
      const reference = createHash('sha256').update(context.ledger.idempotencyKey(key)).digest('hex').slice(0, 16);
      expect(references.get(reference), key).to.equal(1);
    }
    for (const [reference, count] of references) expect(count, reference).to.equal(1);
    const verification = await context.money.verify();
    expect(verification.problems).to.deep.equal([]);
    expect(verification.ok).to.equal(true);
    expect(await context.money.balanceOf(accounts[1]!)).to.equal(1_000_000 - 7 * references.size);
  });
});
