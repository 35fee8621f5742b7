// Delegate money through the application services on a real redis-server: activation rewards with
// the first delegation (also under concurrency and at migration), sovereign minting, idempotent
// payments that never overdraw, bad input that changes nothing, and ledger verification.
import { expect } from 'chai';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import {
  IdempotencyKeyError, InsufficientFundsError, SelfPaymentError, UnknownAccountError,
} from '../../src/app/money-service.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import type { Config } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { NotAllowedError, type Caller } from '../../src/core/caller.js';
import { AmountError } from '../../src/core/money/amount.js';
import { mintAccount } from '../../src/core/money/ledger.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import type { TestRedis } from '../support/redis.js';
import { startHandRollContext, type HandRollContext } from '../support/hand-roll-context.js';
import { thrown } from '../support/thrown.js';

const rewardN = 40;
const voterCount = 30;
const sovereignPhone = '5155553001';
const newcomerPhone = '5155553999';
const strangerPhone = '5155553998';
const voters: HandVoter[] = Array.from({ length: voterCount }, (_, i) => ({
  id: String(3001 + i), first: `first${String.fromCharCode(97 + (i % 26))}`, last: `last${String.fromCharCode(97 + Math.floor(i / 26))}`,
  city: 'ames', county: 'story', phone: `51555530${String(i + 1).padStart(2, '0')}`,
}));

describe('app/money: rewards, minting, payments and the ledger on a real redis-server', function () {
  this.timeout(60_000);
  let rig: HandRollContext;
  let redis: TestRedis;
  let dir: string;
  let config: Config;
  let context: AppContext;
  const extra: AppContext[] = [];

  async function caller(id: string): Promise<Caller> {
    return context.callers.byVoterId(id, 'cli');
  }

  async function snapshot(): Promise<{ log: number; balances: Record<string, string> }> {
    return { log: await context.auditLog.length(), balances: await redis.client().hgetall(context.ledger.balanceKey) };
  }

  async function expectVerified(): Promise<void> {
    const result = await context.money.verify();
    expect(result.problems).to.deep.equal([]);
    expect(result.ok).to.equal(true);
    expect(result.balanceSumCents).to.equal(0);
  }

  before(async () => {
    rig = await startHandRollContext({ voters, dirPrefix: 'dn-money-', rollFile: 'gen1.zip',
      env: { NUMBER_OF_ACTIVATIONS_TO_REWARD: String(rewardN), SOVEREIGN_PHONES: sovereignPhone,
        MONEY_AMOUNT_MAX_CENTS: '1000000' } });
    ({ redis, dir, config, context } = rig);
  });
  after(async () => {
    for (const other of extra) await other.close();
    await rig.stop();
  });

  it('rewards the first delegation with serial 1 and N − 1 dollars, in the same commit, exactly once', async () => {
    const result = await context.democracy.delegate(await caller('3002'), '3003');
    expect(result.entries.map((entry) => entry.text)).to.deep.equal([
      'delegates -> Firstc Lasta of Ames',
      `becomes participant #1 and receives the activation reward of $${rewardN - 1}.00`,
    ]);
    expect(result.entries[0]?.seq).to.equal((result.entries[1]?.seq ?? 0) - 1);
    expect(await context.money.balanceOf('3002')).to.equal((rewardN - 1) * 100);
    await context.democracy.delegate(await caller('3002'), '3004');
    await context.democracy.delegate(await caller('3002'), '3005', { rank: 2 });
    expect(await context.money.balanceOf('3002')).to.equal((rewardN - 1) * 100);
    expect(await context.ledger.serialOf('3002')).to.equal(1);
    await expectVerified();
  });

  it('gives one reward each, with distinct serials, to many concurrent first delegations', async () => {
    const concurrent = 12;
    for (let i = extra.length; i < concurrent; i += 1) extra.push(await createContext(config, createLogger('silent')));
    const ids = Array.from({ length: concurrent }, (_, i) => String(3010 + i));
    await Promise.all(ids.map(async (id, i) => {
      const other = extra[i]!;
      const acting = await other.callers.byVoterId(id, 'cli');
      // Each voter delegates twice at once: still only one activation.
      await Promise.all([other.democracy.delegate(acting, '3001'), other.democracy.delegate(acting, '3002', { rank: 2 })]);
    }));
    const serials = await Promise.all(ids.map((id) => context.ledger.serialOf(id)));
    expect([...serials].sort((a, b) => (a ?? 0) - (b ?? 0)))
      .to.deep.equal(Array.from({ length: concurrent }, (_, i) => i + 2));
    for (const [i, id] of ids.entries()) {
      expect(await context.money.balanceOf(id)).to.equal((rewardN - (serials[i] ?? 0)) * 100);
    }
    expect(await context.ledger.lastSerial()).to.equal(concurrent + 1);
    await expectVerified();
  });

  it('lets only a verified sovereign mint, and logs it with public names', async () => {
    const sovereign = await caller('3001');
    expect(sovereign.sovereign).to.equal(true);
    const minted = await context.money.mint(sovereign, { to: { voter: '3006' }, amountCents: 5000, idempotencyKey: 'mint-0001' });
    expect(minted.entry?.text).to.equal('mints $50.00 to Firstf Lasta of Ames');
    expect(minted.entry?.actor).to.equal('Firsta Lasta of Ames');
    expect(await context.money.balanceOf('3006')).to.equal(5000);
    const before = await snapshot();
    expect(await thrown(() => context.money.mint(
      { ...sovereign, verified: false }, { to: { voter: '3006' }, amountCents: 1, idempotencyKey: 'mint-0002' }))).to.be.instanceOf(NotAllowedError);
    expect(await thrown(() => context.money.mint(
      caller3006(), { to: { voter: '3006' }, amountCents: 1, idempotencyKey: 'mint-0003' }))).to.be.instanceOf(NotAllowedError);
    expect(await snapshot()).to.deep.equal(before);
    await expectVerified();

    function caller3006(): Caller {
      return { voterId: '3006', actor: 'Firstf Lasta of Ames', verified: true, registered: true, channel: 'cli', sovereign: false };
    }
  });

  it('pays a voter and a phone, never twice for one idempotency key', async () => {
    const payer = await caller('3006');
    const first = await context.money.pay(payer, { to: { voter: '3007' }, amountCents: 1025, idempotencyKey: 'pay-000001' });
    expect(first.status).to.equal('paid');
    expect(first.entry?.text).to.equal('pays $10.25 to Firstg Lasta of Ames');
    const retry = await context.money.pay(payer, { to: { voter: '3007' }, amountCents: 1025, idempotencyKey: 'pay-000001' });
    expect(retry.status).to.equal('duplicate');
    expect(await context.money.balanceOf('3006')).to.equal(5000 - 1025);
    expect(await context.money.balanceOf('3007')).to.equal(1025);
    // A registered voter's phone pays that voter; an unknown phone gets a tentative wallet.
    await context.money.pay(payer, { to: { phone: '5155553008' }, amountCents: 100, idempotencyKey: 'pay-000002' });
    expect(await context.money.balanceOf('3008')).to.equal(100);
    const stranger = await context.money.pay(payer, { to: { phone: strangerPhone }, amountCents: 200, idempotencyKey: 'pay-000003' });
    expect(stranger.entry?.text).to.equal('pays $2.00 to 515-555-XXXX unregistered');
    const wallet = await context.store.tentativeIdOf(strangerPhone);
    expect(wallet).to.not.equal(null);
    expect(await context.money.balanceOf(wallet!)).to.equal(200);
    await expectVerified();
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const payer = await caller('3006');
    const before = await snapshot();
    const cases: Array<[() => Promise<unknown>, new (...args: never[]) => Error, RegExp]> = [
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: 10_000_000, idempotencyKey: 'bad-00001' }),
        AmountError, /more than the maximum/],
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: 0.5, idempotencyKey: 'bad-00002' }), AmountError, /whole number/],
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: -5, idempotencyKey: 'bad-00003' }), AmountError, /more than zero/],
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: Number.NaN, idempotencyKey: 'bad-00004' }), AmountError, /whole number/],
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: 999_999, idempotencyKey: 'bad-00005' }),
        InsufficientFundsError, /insufficient funds: balance \$36\.75/],
      [() => context.money.pay(payer, { to: { voter: '9999' }, amountCents: 1, idempotencyKey: 'bad-00006' }), UnknownAccountError, /not in the current roll/],
      [() => context.money.pay(payer, { to: { voter: '3006' }, amountCents: 1, idempotencyKey: 'bad-00007' }), SelfPaymentError, /themselves/],
      [() => context.money.pay({ ...payer, verified: false }, { to: { voter: '3007' }, amountCents: 1, idempotencyKey: 'bad-00008' }),
        NotAllowedError, /verified/],
      [() => context.money.pay({ ...payer, registered: false }, { to: { voter: '3007' }, amountCents: 1, idempotencyKey: 'bad-00009' }),
        NotAllowedError, /registered/],
      [() => context.money.pay(payer, { to: { voter: '3007' }, amountCents: 1, idempotencyKey: 'short' }), IdempotencyKeyError, /8-128/],
      [() => context.money.pay(payer, { to: { voter: '3008' }, amountCents: 1025, idempotencyKey: 'pay-000001' }),
        IdempotencyKeyError, /different payment/],
      [() => context.money.pay(payer, { to: { phone: '5155553' }, amountCents: 1, idempotencyKey: 'bad-00010' }), UnknownAccountError, /10 digits/],
    ];
    for (const [action, type, message] of cases) {
      const error = await thrown(action);
      expect(error, String(message)).to.be.instanceOf(type);
      expect((error as Error).message).to.match(message);
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('never overdraws one account paid from by many clients at once', async () => {
    const sovereign = await caller('3001');
    await context.money.mint(sovereign, { to: { voter: '3020' }, amountCents: 10_000, idempotencyKey: 'mint-race-1' });
    const payer = await context.callers.byVoterId('3020', 'cli');
    const attempts = 60;
    const outcomes = await Promise.all(Array.from({ length: attempts }, async (_, i) => {
      const client = extra[i % extra.length]!;
      try {
        await client.money.pay(payer, { to: { voter: String(3021 + (i % 5)) }, amountCents: 300, idempotencyKey: `race-${i}-xxxx` });
        return 'paid';
      } catch (error) {
        if (error instanceof InsufficientFundsError) return 'refused';
        throw error;
      }
    }));
    const paid = outcomes.filter((outcome) => outcome === 'paid').length;
    const startBalance = 10_000 + (rewardN - (await context.ledger.serialOf('3020'))!) * 100;
    expect(paid).to.equal(Math.floor(startBalance / 300));
    expect(await context.money.balanceOf('3020')).to.equal(startBalance - paid * 300);
    await expectVerified();
  });

  it('moves a tentative wallet and pays the deferred reward when the roll shows the phone', async () => {
    const tentative = await context.callers.tentativeCaller(newcomerPhone, true, 'phone');
    const delegated = await context.democracy.delegate(tentative, '3001');
    expect(delegated.entries).to.have.length(1);
    await context.money.mint(await caller('3001'), { to: { phone: newcomerPhone }, amountCents: 700, idempotencyKey: 'mint-newcomer' });
    expect(await context.money.balanceOf(tentative.voterId)).to.equal(700);
    const lastSerial = await context.ledger.lastSerial();
    await writeIowaZip(join(dir, 'gen2.zip'), [...voters,
      { id: '3100', first: 'nora', last: 'new', city: 'ames', county: 'story', phone: newcomerPhone }]);
    const { activation } = await importRollFile(context, join(dir, 'gen2.zip'));
    expect(activation.migrated).to.be.at.least(1);
    expect(await context.money.balanceOf(tentative.voterId)).to.equal(0);
    expect(await context.ledger.serialOf('3100')).to.equal(lastSerial + 1);
    expect(await context.money.balanceOf('3100')).to.equal(700 + (rewardN - lastSerial - 1) * 100);
    const texts = (await context.auditLog.newest(4)).map((entry) => entry.text);
    expect(texts).to.include('wallet of $7.00 moves to the registered record');
    expect(texts).to.include(`becomes participant #${lastSerial + 1} and receives the activation reward of $${rewardN - lastSerial - 1}.00`);
    await expectVerified();
  });

  it('fails ledger verify loudly when a balance is changed behind the journal\'s back', async () => {
    const client = redis.client();
    await client.hincrby(context.ledger.balanceKey, '3007', 1);
    const broken = await context.money.verify();
    expect(broken.ok).to.equal(false);
    expect(broken.problems[0]).to.deep.equal({ account: '3007', storedCents: 1026, journalCents: 1025 });
    expect(broken.balanceSumCents).to.equal(1);
    await client.hincrby(context.ledger.balanceKey, '3007', -1);
    await client.hincrby(context.ledger.balanceKey, mintAccount, -100);
    const inflated = await context.money.verify();
    expect(inflated.ok).to.equal(false);
    expect(inflated.mintBalanceSupplyCents - inflated.supplyCents).to.equal(100);
    await client.hincrby(context.ledger.balanceKey, mintAccount, 100);
    await expectVerified();
    // A serial handed out behind the journal's back is found too.
    await client.hset(context.ledger.serialsKey, '3030', '999');
    const serials = await context.money.verify();
    expect(serials.ok).to.equal(false);
    expect(serials.serialProblems).to.have.length(1);
    expect(serials.serialProblems[0]).to.match(/^(\d+) stored serials, (\d+) in the journal$/);
    const [, storedCount, journalCount] = /^(\d+) stored serials, (\d+) in the journal$/.exec(serials.serialProblems[0]!)!;
    expect(Number(storedCount) - Number(journalCount)).to.equal(1);
    await client.hdel(context.ledger.serialsKey, '3030');
    await expectVerified();
  });
});
