// Demurrage runs on a real redis-server: every positive balance pays floor(balance × rate) once, the
// pool is divided equally among participants with the remainder carried, the sum over all accounts
// never changes, a finished period does nothing, and a run that crashes after any commit resumes
// without charging twice or losing fees; payments landing between its batches (which it reads one
// batch ahead) never make it charge an account twice.
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { DemurrageService } from '../../src/app/demurrage-service.js';
import { ActivationRewards } from '../../src/app/money-service.js';
import { demurrageFeeCents, equalSplit } from '../../src/core/money/demurrage.js';
import { demurragePoolAccount, isTransferEvent, mintAccount, type Leg, type TransferEvent } from '../../src/core/money/ledger.js';
import { Committer, type CommitRequest, type CommitResult } from '../../src/store/commit.js';
import { parseEntryBody } from '../../src/store/audit-log.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { LedgerStore } from '../../src/store/ledger-store.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

const keys = jurisdictionKeys('ia');
// More than Redis keeps in a listpack (512 fields), so HSCAN really returns the hash in many batches.
const accountCount = 1_500;
const participantCount = 700;
const rateBasisPoints = 250;
const batchAccounts = 40;

class CrashError extends Error {}

/** Stands in for a process killed between two commits: after `limit` commits every call fails. */
class CrashingCommitter extends Committer {
  count = 0;
  constructor(redis: Redis, private readonly limit: number) {
    super(redis, keys);
  }

  override async commit(request: CommitRequest): Promise<CommitResult> {
    this.count += 1;
    if (this.count > this.limit) throw new CrashError(`crash after ${this.limit} commits`);
    return super.commit(request);
  }
}

describe('app/demurrage-service: exact, idempotent and resumable runs', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let client: Redis;
  let ledger: LedgerStore;
  let committer: Committer;
  let commitsPerRun = 0;

  function service(withCommitter: Committer): DemurrageService {
    return new DemurrageService(ledger, withCommitter, { rateBasisPoints, periodUnit: 'month', batchAccounts });
  }

  async function allBalances(): Promise<Map<string, number>> {
    const raw = await client.hgetall(ledger.balanceKey);
    return new Map(Object.entries(raw).map(([account, value]) => [account, Number(value)]));
  }

  function sum(balances: Map<string, number>): number {
    let total = 0;
    for (const value of balances.values()) total += value;
    return total;
  }

  /** What one complete run must produce from `before`, computed independently of the service. */
  function expectedAfter(before: Map<string, number>, participants: ReadonlySet<string>): Map<string, number> {
    const after = new Map(before);
    let fees = 0;
    for (const [account, balance] of before) {
      if (!/^\d+$/.test(account)) continue;
      const fee = demurrageFeeCents(balance, rateBasisPoints);
      fees += fee;
      after.set(account, balance - fee);
    }
    const pot = (before.get(demurragePoolAccount) ?? 0) + fees;
    const { shareCents, remainderCents } = equalSplit(pot, participants.size);
    for (const voter of participants) after.set(voter, (after.get(voter) ?? 0) + shareCents);
    after.set(demurragePoolAccount, remainderCents);
    return after;
  }

  function expectSameBalances(actual: Map<string, number>, expected: Map<string, number>): void {
    for (const account of new Set([...actual.keys(), ...expected.keys()])) {
      expect(actual.get(account) ?? 0, account).to.equal(expected.get(account) ?? 0);
    }
  }

  before(async () => {
    redis = await startTestRedis();
    client = redis.client();
    ledger = new LedgerStore(client, keys);
    committer = new Committer(client, keys);
    // Balances of many sizes (some too small to pay any fee), minted through the journal.
    for (let start = 0; start < accountCount; start += 100) {
      const legs: Leg[] = [];
      let total = 0;
      for (let i = start; i < start + 100; i += 1) {
        const cents = ((i * 7_919) % 250_000) + (i % 3 === 0 ? 7 : 0);
        if (cents === 0) continue;
        legs.push([String(5000 + i), cents]);
        total += cents;
      }
      legs.unshift([mintAccount, -total]);
      const event: TransferEvent = { type: 'transfer', kind: 'mint', legs, reference: 'seed' };
      const result = await committer.commit({ guards: [], writes: ledger.transferParts(legs).writes,
        entries: [{ actor: 'operator', actorId: null, channel: 'cli', text: 'seeds balances', event }] });
      expect(result.ok).to.equal(true);
    }
    const rewards = new ActivationRewards(ledger, 1);
    const activating = Array.from({ length: participantCount }, (_, i) => ({ voter: String(5000 + i * 2), actor: 'A Voter of Ames', channel: 'cli' as const }));
    const parts = await rewards.partsFor(activating);
    expect(parts).to.not.equal(null);
    expect((await committer.commit(parts!)).ok).to.equal(true);
  });
  after(async () => {
    await redis.stop();
  });

  async function participants(): Promise<Set<string>> {
    return new Set(Object.keys(await client.hgetall(ledger.serialsKey)));
  }

  it('charges every positive balance once, divides the pool equally and carries the remainder', async () => {
    const before = await allBalances();
    const counting = new CrashingCommitter(client, Number.MAX_SAFE_INTEGER);
    const report = await service(counting).run('2026-01');
    commitsPerRun = counting.count;
    expect(commitsPerRun).to.be.greaterThan(20);
    const after = await allBalances();
    expectSameBalances(after, expectedAfter(before, await participants()));
    expect(sum(after)).to.equal(0);
    expect(after.get(mintAccount)).to.equal(before.get(mintAccount));
    expect(report.participants).to.equal(participantCount);
    expect(report.collectedCents).to.be.greaterThan(participantCount);
    expect(report.carriedCents).to.equal(after.get(demurragePoolAccount) ?? 0);
    expect(report.carriedCents).to.be.lessThan(participantCount);
    const verification = await ledger.verify();
    expect(verification.ok, JSON.stringify(verification.problems)).to.equal(true);
  });

  it('does nothing when the same period runs again', async () => {
    const before = await allBalances();
    const length = await client.llen(keys.key('log'));
    const report = await service(committer).run('2026-01');
    expect(report.alreadyDone).to.equal(true);
    expectSameBalances(await allBalances(), before);
    expect(await client.llen(keys.key('log'))).to.equal(length);
  });

  it('resumes after a crash after any commit without double charging or losing fees', async () => {
    // Crash points spread over the charge phase, the switch to dividends and the dividend phase.
    const phases = new Set<string>();
    const crashPoints = [1, 2, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 0.97]
      .map((point) => point < 1 ? Math.round(point * commitsPerRun) : point);
    for (const [index, limit] of crashPoints.entries()) {
      const period = `2026-${String(index + 2).padStart(2, '0')}`;
      const before = await allBalances();
      let crashed: unknown = null;
      try {
        await service(new CrashingCommitter(client, limit)).run(period);
      } catch (error) {
        crashed = error;
      }
      expect(crashed, `crash point ${limit}`).to.be.instanceOf(CrashError);
      phases.add(await client.hget(ledger.demurrageKey(period), 'phase') ?? 'none');
      // Mid-run, money is only ever in accounts or the pool: the sum stays exactly zero.
      expect(sum(await allBalances())).to.equal(0);
      const report = await service(committer).run(period);
      expect(report.alreadyDone).to.equal(false);
      expectSameBalances(await allBalances(), expectedAfter(before, await participants()));
      const verification = await ledger.verify();
      expect(verification.ok, `${period}: ${JSON.stringify(verification.problems)}`).to.equal(true);
    }
    // The crash points really hit both phases of a run.
    expect([...phases].sort()).to.deep.equal(['charge', 'dividend']);
  });

  // A scan that starts over stands for the worst HSCAN can do (return accounts again): only the markers
  // keep a charged account from paying twice, whether this version wrote them (a set) or an earlier
  // one (a hash of account → '1') left a run half done.
  for (const legacy of [false, true]) {
    it(`skips accounts already charged when the scan starts over (markers ${legacy ? 'in a legacy hash' : 'in the set'})`, async () => {
      const period = legacy ? '2027-02' : '2027-01';
      const before = await allBalances();
      const crashed = await service(new CrashingCommitter(client, 4)).run(period).catch((error: unknown) => error);
      expect(crashed).to.be.instanceOf(CrashError);
      const setKey = ledger.demurrageKey(period, 'charged-set');
      const marked = await client.smembers(setKey);
      expect(marked.length, 'accounts charged before the crash').to.be.greaterThan(batchAccounts);
      if (legacy) {
        await client.hset(ledger.demurrageKey(period, 'charged'), ...marked.flatMap((account) => [account, '1']));
        await client.del(setKey);
      }
      await client.hset(ledger.demurrageKey(period), 'cursor', '0');
      await service(committer).run(period);
      expectSameBalances(await allBalances(), expectedAfter(before, await participants()));
      expect(await client.exists(setKey, ledger.demurrageKey(period, 'charged'))).to.equal(0);
      const verification = await ledger.verify();
      expect(verification.ok, JSON.stringify(verification.problems)).to.equal(true);
    });
  }

  it('leaves no per-account markers behind once a period is done', async () => {
    const leftovers = await client.keys(`${keys.tag}:demurrage:*:*`);
    expect(leftovers).to.deep.equal([]);
    expect(await client.hget(ledger.demurrageKey('2026-01'), 'phase')).to.equal('done');
  });

  it('charges each account at most once while payments land between its batches', async () => {
    const period = '2026-12';
    const logStart = await client.llen(keys.key('log'));
    let running = true;
    let payments = 0;
    const paying = (async () => {
      for (let n = 0; running; n += 1) {
        // Small payments between neighbours the run is about to read, has read, or has charged.
        const from = String(5000 + ((n * 37) % accountCount));
        const to = String(5000 + ((n * 37 + 1) % accountCount));
        const parts = ledger.transferParts([[from, -1], [to, 1]]);
        const event: TransferEvent = { type: 'transfer', kind: 'pay', legs: [[from, -1], [to, 1]], reference: `p${n}` };
        const result = await committer.commit({ ...parts,
          entries: [{ actor: 'A Voter of Ames', actorId: from, channel: 'cli', text: 'pays $0.01 to A Voter of Adel', event }] });
        if (result.ok) payments += 1;
      }
    })();
    const report = await service(committer).run(period);
    running = false;
    await paying;
    expect(payments, 'payments really ran during the run').to.be.greaterThan(10);
    const charged = new Map<string, number>();
    for (const body of await client.lrange(keys.key('log'), logStart, -1)) {
      const { event } = parseEntryBody(body);
      if (!isTransferEvent(event) || event.kind !== 'demurrage') continue;
      for (const [account, delta] of event.legs) if (delta < 0) charged.set(account, (charged.get(account) ?? 0) + 1);
    }
    expect([...charged.values()].filter((times) => times > 1)).to.deep.equal([]);
    expect(charged.size).to.equal(report.chargedAccounts);
    expect(sum(await allBalances())).to.equal(0);
    const verification = await ledger.verify();
    expect(verification.ok, JSON.stringify(verification.problems)).to.equal(true);
  });
});
