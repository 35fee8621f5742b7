// Idempotency across the move of claims into buckets (claim-migration.ts): claims an earlier version
// kept as keys are honoured after the upgrade (a retried payment or registration is a duplicate, a
// different payment under the same key is refused), and a payment refused for funds leaves no
// claim, so the same request pays once the funds are there.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { IdempotencyKeyError, InsufficientFundsError } from '../../src/app/money-service.js';
import { PropertyService } from '../../src/app/property-service.js';
import { importRollFile } from '../../src/app/roll-import-service.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/config/logger.js';
import { claimsMigratedKey, migrateLegacyClaims } from '../../src/store/claim-migration.js';
import { jurisdictionKeys } from '../../src/store/keys.js';
import { LedgerStore } from '../../src/store/ledger-store.js';
import { writeIowaZip, type HandVoter } from '../support/iowa-zip.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { thrown } from '../support/thrown.js';

const sovereignPhone = '5155554001';
const voters: HandVoter[] = Array.from({ length: 8 }, (_, i) => ({
  id: String(4001 + i), first: `first${String.fromCharCode(97 + i)}`, last: 'lasta',
  city: 'ames', county: 'story', phone: `51555540${String(i + 1).padStart(2, '0')}`,
}));
const dayMs = 24 * 60 * 60 * 1000;

describe('app/money: idempotency claims honoured across the upgrade to claim buckets', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let dir: string;
  let config: Config;
  let context: AppContext;

  before(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'dn-claims-'));
    config = loadConfig({ REDIS_SOCKET: redis.server.socketPath, DATA_DIR: dir, NUMBER_OF_ACTIVATIONS_TO_REWARD: '1',
      SOVEREIGN_PHONES: sovereignPhone, MONEY_AMOUNT_MAX_CENTS: '1000000' });
  });
  after(async () => {
    await context.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves claim keys written by the old code into the buckets at start-up, and they still refuse retries', async () => {
    const client = redis.client();
    const keys = jurisdictionKeys(config.jurisdiction);
    const ledger = new LedgerStore(client, keys);
    // As the old code wrote them: SET key fingerprint PX ttl (the payment's, and a registration's property id).
    const paid = ledger.idempotencyKey('legacy-pay-0001');
    const registered = ledger.idempotencyKey('legacy-reg-0001');
    const expiring = ledger.idempotencyKey('legacy-gone-0001');
    await client.set(paid, JSON.stringify({ kind: 'pay', from: '4002', to: '4003', amount: 300 }), 'PX', 10 * dayMs);
    await client.set(registered, 'p7', 'PX', 29 * dayMs);
    await client.set(expiring, 'done', 'PX', 20);
    await new Promise((resolve) => setTimeout(resolve, 60));

    context = await createContext(config, createLogger('silent'));
    expect(await client.exists(paid, registered, expiring)).to.equal(0);
    expect(await client.get(claimsMigratedKey(keys))).to.equal('buckets');
    const [bucketKey, ...others] = await client.keys(`${keys.key('money', 'claim')}:*`);
    expect(others).to.deep.equal([]);
    expect(await client.hkeys(bucketKey as string)).to.have.members(
      [ledger.claimId('legacy-pay-0001'), ledger.claimId('legacy-reg-0001')]);
    // Kept at least as long as the keys would have lived.
    const expiresAt = Number(await client.call('PEXPIRETIME', bucketKey as string));
    expect(expiresAt).to.be.at.least(Date.now() + 29 * dayMs);

    await writeIowaZip(join(dir, 'roll.zip'), voters);
    await importRollFile(context, join(dir, 'roll.zip'));
    const sovereign = await context.callers.byVoterId('4001', 'cli');
    await context.money.mint(sovereign, { to: { voter: '4002' }, amountCents: 5000, idempotencyKey: 'mint-00001' });
    const payer = await context.callers.byVoterId('4002', 'cli');
    const retry = await context.money.pay(payer, { to: { voter: '4003' }, amountCents: 300, idempotencyKey: 'legacy-pay-0001' });
    expect(retry.status).to.equal('duplicate');
    expect(await context.money.balanceOf('4002')).to.equal(5000);
    expect(await context.money.balanceOf('4003')).to.equal(0);
    const reused = await thrown(() => context.money.pay(payer,
      { to: { voter: '4004' }, amountCents: 300, idempotencyKey: 'legacy-pay-0001' }));
    expect(reused).to.be.instanceOf(IdempotencyKeyError);
    expect((reused as Error).message).to.match(/different payment/);
    // A registration retried across the upgrade answers with the property the first try created.
    const properties = new PropertyService(context.ledger, context.committer, context.roll,
      { sovereignPhones: config.sovereignPhones, amountMaxCents: config.moneyAmountMaxCents });
    const again = await properties.register(payer,
      { kind: 'property', what: 'Farm on Elm Road', declaredCents: 1000, idempotencyKey: 'legacy-reg-0001' });
    expect(again).to.deep.include({ id: 'p7', duplicate: true });
    expect(await context.money.balanceOf('4002')).to.equal(5000);
    // The expired key was not kept: its key pays now.
    const fresh = await context.money.pay(payer, { to: { voter: '4003' }, amountCents: 100, idempotencyKey: 'legacy-gone-0001' });
    expect(fresh.status).to.equal('paid');
    // Done once: a later start finds the marker and moves nothing.
    expect(await migrateLegacyClaims(client, keys, context.committer.claims)).to.equal(0);
    expect((await context.money.verify()).ok).to.equal(true);
  });

  it('a payment refused for funds leaves no claim: the same request pays once the funds are there', async () => {
    const payer = await context.callers.byVoterId('4005', 'cli');
    const request = { to: { voter: '4006' }, amountCents: 700, idempotencyKey: 'short-of-funds-1' };
    expect(await thrown(() => context.money.pay(payer, request))).to.be.instanceOf(InsufficientFundsError);
    expect(await context.committer.claimOf(context.ledger.claimId(request.idempotencyKey))).to.equal(null);
    const sovereign = await context.callers.byVoterId('4001', 'cli');
    await context.money.mint(sovereign, { to: { voter: '4005' }, amountCents: 1000, idempotencyKey: 'mint-00002' });
    expect((await context.money.pay(payer, request)).status).to.equal('paid');
    expect((await context.money.pay(payer, request)).status).to.equal('duplicate');
    expect(await context.money.balanceOf('4005')).to.equal(300);
    expect(await context.money.balanceOf('4006')).to.equal(700);
  });
});
