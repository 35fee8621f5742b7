// Property and offers with escrowed bids on a real redis-server: registration pays the sovereigns in
// equal shares with the remainder carried, bids lock funds, outbid and withdrawn bids are released,
// acceptance settles atomically, owners pay demurrage on the high bid and escrow pays none.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { DemurrageService } from '../../src/app/demurrage-service.js';
import { InsufficientFundsError } from '../../src/app/money-service.js';
import { importAssessorCsv } from '../../src/app/assessor-import.js';
import { PropertyError, PropertyService } from '../../src/app/property-service.js';
import { NotAllowedError, type Caller } from '../../src/core/caller.js';
import { escrowAccount, sovereignCarryAccount } from '../../src/core/money/ledger.js';
import type { HandVoter } from '../support/iowa-zip.js';
import { startHandRollContext, type HandRollContext } from '../support/hand-roll-context.js';
import { thrown } from '../support/thrown.js';

const voters: HandVoter[] = [
  { id: '7001', first: 'sol', last: 'one', city: 'ames', county: 'story', phone: '5155557001' },
  { id: '7002', first: 'sam', last: 'two', city: 'ames', county: 'story', phone: '5155557002' },
  { id: '7003', first: 'olga', last: 'owner', city: 'adel', county: 'dallas', phone: '5155557003' },
  { id: '7004', first: 'al', last: 'bidder', city: 'ames', county: 'story', phone: '5155557004' },
  { id: '7005', first: 'bea', last: 'bidder', city: 'ames', county: 'story', phone: '5155557005' },
];

describe('app/property-service: property, offers and escrowed bids', function () {
  this.timeout(60_000);
  let rig: HandRollContext;
  let dir: string;
  let context: AppContext;
  let properties: PropertyService;
  const callers = new Map<string, Caller>();
  let offerId = '';

  async function balances(...accounts: string[]): Promise<number[]> {
    return context.ledger.balances(accounts);
  }

  async function expectVerified(): Promise<void> {
    const result = await context.money.verify();
    expect(result.problems).to.deep.equal([]);
    expect(result.ok).to.equal(true);
  }

  before(async () => {
    rig = await startHandRollContext({ voters, dirPrefix: 'dn-property-',
      env: { SOVEREIGN_PHONES: '5155557001, 5155557002' } });
    ({ context, dir } = rig);
    const { config } = rig;
    properties = new PropertyService(context.ledger, context.committer, context.roll,
      { sovereignPhones: config.sovereignPhones, amountMaxCents: config.moneyAmountMaxCents });
    for (const voter of voters) callers.set(voter.id, await context.callers.byVoterId(voter.id, 'cli'));
    const sovereign = callers.get('7001')!;
    await context.money.mint(sovereign, { to: { voter: '7004' }, amountCents: 5_000, idempotencyKey: 'prop-mint-a' });
    await context.money.mint(sovereign, { to: { voter: '7005' }, amountCents: 2_000, idempotencyKey: 'prop-mint-b' });
  });
  after(async () => rig.stop());

  it('debits the owner (going negative) and credits the sovereigns equally, carrying the remainder', async () => {
    const owner = callers.get('7003')!;
    const first = await properties.register(owner, { kind: 'property', what: 'Farm on Elm Road', declaredCents: 1001, idempotencyKey: 'reg-00001' });
    expect(first.entries[0]?.text).to.equal('registers property p1 "Farm on Elm Road" at $10.01; $5.00 to each of 2 sovereigns');
    expect(await balances('7003', '7001', '7002', sovereignCarryAccount)).to.deep.equal([-1001, 500, 500, 1]);
    const again = await properties.register(owner, { kind: 'property', what: 'Farm on Elm Road', declaredCents: 1001, idempotencyKey: 'reg-00001' });
    expect(again.duplicate).to.equal(true);
    expect(again.id).to.equal(first.id);
    // The carried cent joins the next registration: (1000 + 1) / 2 = 500 each, 1 carried again.
    offerId = (await properties.register(owner,
      { kind: 'offer', what: 'Tractor repair, one day', declaredCents: 1000, idempotencyKey: 'reg-00002' })).id;
    expect(offerId).to.not.equal(first.id);
    expect(await balances('7003', '7001', '7002', sovereignCarryAccount)).to.deep.equal([-2001, 1000, 1000, 1]);
    expect(await context.ledger.redis.hlen(context.ledger.propertiesKey)).to.equal(2);
    await expectVerified();
  });

  it('locks bids in escrow, releases outbid and withdrawn bids, and settles on acceptance', async () => {
    const [al, bea, owner] = [callers.get('7004')!, callers.get('7005')!, callers.get('7003')!];
    await properties.bid(al, { property: 'p1', cents: 1_000, idempotencyKey: 'bid-000001' });
    expect(await balances('7004', escrowAccount('p1'))).to.deep.equal([4_000, 1_000]);
    expect(await thrown(() => properties.bid(bea, { property: 'p1', cents: 900, idempotencyKey: 'bid-000002' })))
      .to.be.instanceOf(PropertyError).with.property('message').match(/more than the high bid of \$10\.00/);
    const outbid = await properties.bid(bea, { property: 'p1', cents: 1_500, idempotencyKey: 'bid-000003' });
    expect(outbid.entries.map((entry) => entry.text)).to.deep.equal([
      'bids $15.00 on p1 "Farm on Elm Road" (held in escrow)',
      'releases $10.00 from escrow of p1 to Al Bidder of Ames (outbid)',
    ]);
    expect(await balances('7004', '7005', escrowAccount('p1'))).to.deep.equal([5_000, 500, 1_500]);
    const before = await balances('7004', '7005', escrowAccount('p1'));
    expect(await thrown(() => properties.bid(bea, { property: 'p1', cents: 2_500, idempotencyKey: 'bid-000004' })))
      .to.be.instanceOf(InsufficientFundsError);
    expect(await thrown(() => properties.bid(owner, { property: 'p1', cents: 9_000, idempotencyKey: 'bid-000005' })))
      .to.be.instanceOf(NotAllowedError);
    expect(await thrown(() => properties.withdraw(al, 'p1'))).to.be.instanceOf(PropertyError);
    expect(await thrown(() => properties.accept(al, 'p1'))).to.be.instanceOf(NotAllowedError);
    expect(await balances('7004', '7005', escrowAccount('p1'))).to.deep.equal(before);
    // Bea raises her own bid: only the difference is needed and moved.
    await properties.bid(bea, { property: 'p1', cents: 2_000, idempotencyKey: 'bid-000006' });
    expect(await balances('7005', escrowAccount('p1'))).to.deep.equal([0, 2_000]);
    await properties.withdraw(bea, 'p1');
    expect(await balances('7005', escrowAccount('p1'))).to.deep.equal([2_000, 0]);
    await properties.bid(al, { property: 'p1', cents: 3_000, idempotencyKey: 'bid-000007' });
    const accepted = await properties.accept(owner, 'p1');
    expect(accepted.entries[0]?.text).to.equal('accepts $30.00 from Al Bidder of Ames for p1 "Farm on Elm Road"');
    expect(await balances('7003', '7004', escrowAccount('p1'))).to.deep.equal([-2001 + 3_000, 2_000, 0]);
    const { property } = await properties.get('p1');
    expect(property).to.deep.include({ owner: '7004', declaredCents: 3_000, highBid: null });
    await expectVerified();
  });

  it('charges owners demurrage on the high bid (or the declared value) and nothing on escrow', async () => {
    const bea = callers.get('7005')!;
    await properties.bid(bea, { property: offerId, cents: 1_500, idempotencyKey: 'bid-000008' });
    const before = await balances('7003', '7004', '7005', escrowAccount(offerId), sovereignCarryAccount);
    const poolBefore = await context.ledger.balance('pool:demurrage');
    const rateBasisPoints = 1_000;
    const service = new DemurrageService(context.ledger, context.committer, { rateBasisPoints, periodUnit: 'month' });
    const report = await service.run('2026-11');
    expect(report.chargedProperties).to.equal(2);
    const after = await balances('7003', '7004', '7005', escrowAccount(offerId), sovereignCarryAccount);
    // Olga: balance 999 pays 99; owns the offer with a high bid of 1,500: pays 150 (not 10 % of the declared 1,000).
    // Al: balance 2,000 pays 200; owns p1 (declared 3,000, no bid): pays 300. Bea: 500 pays 50. Escrow: nothing.
    expect(before[3]).to.equal(1_500);
    expect(after[3]).to.equal(1_500);
    expect(after[4]).to.equal(before[4]);
    // Nobody here named a delegate: no participants, so everything collected is carried.
    expect(report.participants).to.equal(0);
    expect(report.carriedCents).to.equal(poolBefore + report.collectedCents);
    expect(after[0]).to.equal(before[0]! - 99 - 150);
    expect(after[1]).to.equal(before[1]! - 200 - 300);
    expect(after[2]).to.equal(before[2]! - 50);
    expect(report.collectedCents).to.equal(99 + 150 + 200 + 300 + 50 + 100 + 100);
    await expectVerified();
  });

  it('imports county-assessor values as registrations, once, reporting bad rows by line', async () => {
    const csv = join(dir, 'assessor.csv');
    const sovereignsBefore = await balances('7001', '7002');
    writeFileSync(csv, [
      'parcel,owner,value,description',
      '09-12-001,7005,"$1,000.00",House at 100 Main St',
      '09-12-002,9999,500,Unknown owner',
      '09-12-003,7005,12.345,Fraction of a cent',
      '0912345678,7005,100,Looks like a phone',
      '09-12-004,7004,250,Shed',
    ].join('\n'));
    const options = { path: csv, county: 'story', properties, callers: context.callers, amountMaxCents: 100_000_000 };
    const report = await importAssessorCsv(options);
    expect(report.registered).to.equal(2);
    expect(report.bad.map((bad) => bad.line)).to.deep.equal([3, 4, 5]);
    expect(report.bad[0]?.reason).to.match(/not in the current roll/);
    expect(report.bad[1]?.reason).to.match(/fraction of a cent/);
    const sovereignsAfter = await balances('7001', '7002');
    const credited = sovereignsAfter[0]! + sovereignsAfter[1]! - sovereignsBefore[0]! - sovereignsBefore[1]!;
    // Both registrations ($1,000 + $250) reach the sovereigns, give or take the carried cent.
    expect(credited).to.be.within(125_000 - 1, 125_000 + 1);
    const unchanged = await importAssessorCsv(options);
    expect(unchanged).to.deep.include({ registered: 0, alreadyRegistered: 2, changed: [] });
    expect(await balances('7001', '7002')).to.deep.equal(sovereignsAfter);
    await expectVerified();
  });

  it('applies a changed assessed value once: a rise pays the difference to the sovereigns, a fall refunds nothing', async () => {
    const csv = join(dir, 'assessor-changed.csv');
    const options = { path: csv, county: 'story', properties, callers: context.callers, amountMaxCents: 100_000_000 };
    const parcel = async (): Promise<{ id: string; declaredCents: number }> => {
      const all = await context.connection.redis.hgetall(properties.propertiesKey);
      const found = Object.values(all)
        .map((raw) => JSON.parse(raw) as { id: string; what: string; declaredCents: number })
        .find((property) => property.what.includes('parcel 09-77-001'));
      if (found === undefined) throw new Error('parcel 09-77-001 was not registered');
      return found;
    };
    const write = (value: string): void => writeFileSync(csv, `parcel,owner,value,description\n09-77-001,7005,${value},Barn\n`);
    write('1000');
    expect((await importAssessorCsv(options)).registered).to.equal(1);
    const [ownerBefore, s1Before, s2Before] = await balances('7005', '7001', '7002');
    const logBefore = await context.auditLog.length();

    write('1600');
    const risen = await importAssessorCsv(options);
    expect(risen.changed).to.deep.equal([{ line: 2, parcel: '09-77-001', registeredCents: 100_000, assessedCents: 160_000 }]);
    expect((await parcel()).declaredCents).to.equal(160_000);
    const [ownerRisen, s1Risen, s2Risen] = await balances('7005', '7001', '7002');
    expect(ownerRisen).to.equal(ownerBefore! - 60_000);
    // $600.00 between two sovereigns, give or take the carried cent.
    expect(s1Risen! + s2Risen! - s1Before! - s2Before!).to.be.within(59_999, 60_001);
    await context.auditLog.sealAll();
    const texts = (await context.auditLog.newest(5)).filter((entry) => entry.seq > logBefore)
      .map((entry) => entry.text);
    expect(texts).to.have.length(1);
    expect(texts[0]).to.match(/^reassesses p\d+ "story county parcel 09-77-001: Barn" from \$1,000\.00 to \$1,600\.00 \(story county assessor\): pays the difference \$600\.00/);

    const again = await importAssessorCsv(options);
    expect(again.changed).to.deep.equal([]);
    expect(await balances('7005', '7001', '7002')).to.deep.equal([ownerRisen, s1Risen, s2Risen]);

    write('400');
    const fallen = await importAssessorCsv(options);
    expect(fallen.changed).to.deep.equal([{ line: 2, parcel: '09-77-001', registeredCents: 160_000, assessedCents: 40_000 }]);
    expect((await parcel()).declaredCents).to.equal(40_000);
    expect(await balances('7005', '7001', '7002')).to.deep.equal([ownerRisen, s1Risen, s2Risen]);
    await expectVerified();
  });
});
