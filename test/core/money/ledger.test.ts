// Double-entry legs, rewards, demurrage fees and equal splits: pure arithmetic with exact invariants.
import { expect } from 'chai';
import fc from 'fast-check';
import { MoneyInvariantError } from '../../../src/core/money/amount.js';
import { demurrageFeeCents, equalSplit, isPeriod, periodOf } from '../../../src/core/money/demurrage.js';
import {
  activationRewardCents, assertBalancedLegs, LedgerReplay, mintAccount, transferAmount,
} from '../../../src/core/money/ledger.js';

describe('core/money/ledger and demurrage: exact arithmetic', () => {
  it('accepts balanced legs and refuses unbalanced, zero, fractional and repeated legs', () => {
    expect(() => assertBalancedLegs([['1', -5], ['2', 5]])).to.not.throw();
    expect(transferAmount([[mintAccount, -7], ['1', 3], ['2', 4]])).to.equal(7);
    const bad: Array<Array<readonly [string, number]>> = [
      [['1', -5], ['2', 4]], [['1', 0], ['2', 0]], [['1', -0.5], ['2', 0.5]], [['1', -5], ['1', 5]], [['1', 5]],
      [['BAD NAME', -1], ['2', 1]],
    ];
    for (const legs of bad) expect(() => assertBalancedLegs(legs), JSON.stringify(legs)).to.throw(MoneyInvariantError);
  });

  it('rewards serial s with N − s dollars while positive', () => {
    expect(activationRewardCents(1, 10)).to.equal(900);
    expect(activationRewardCents(9, 10)).to.equal(100);
    expect(activationRewardCents(10, 10)).to.equal(0);
    expect(activationRewardCents(11, 10)).to.equal(0);
    let total = 0;
    for (let serial = 1; serial <= 12; serial += 1) total += activationRewardCents(serial, 10);
    expect(total).to.equal((10 * 9 / 2) * 100);
  });

  it('charges floor(balance × rate) on positive balances only', () => {
    expect(demurrageFeeCents(10_000, 50)).to.equal(50);
    expect(demurrageFeeCents(199, 50)).to.equal(0);
    expect(demurrageFeeCents(-500, 50)).to.equal(0);
    expect(demurrageFeeCents(9_000_000_000_000_000, 1)).to.equal(900_000_000_000);
    expect(() => demurrageFeeCents(100, 10_001)).to.throw(MoneyInvariantError);
  });

  it('splits exactly: shares times count plus remainder is the total (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e6 }), (total, count) => {
      const { shareCents, remainderCents } = equalSplit(total, count);
      expect(shareCents * count + remainderCents).to.equal(total);
      if (count === 0) expect(remainderCents).to.equal(total);
      else expect(remainderCents).to.be.within(0, count - 1);
    }), { numRuns: 2000 });
  });

  it('names periods by month, ISO week and day', () => {
    const time = Date.UTC(2026, 10, 25, 12);
    expect(periodOf(time, 'month')).to.equal('2026-11');
    expect(periodOf(time, 'week')).to.equal('2026-W48');
    expect(periodOf(Date.UTC(2027, 0, 1), 'week')).to.equal('2026-W53');
    expect(periodOf(time, 'day')).to.equal('2026-11-25');
    expect(isPeriod('2026-11', 'month')).to.equal(true);
    expect(isPeriod('2026-13', 'month')).to.equal(false);
    expect(isPeriod('2026-W48', 'month')).to.equal(false);
  });

  it('replays random balanced transfers with the sum over accounts fixed at zero (property)', () => {
    const leg = fc.tuple(fc.constantFrom('1', '2', '3', '4'), fc.integer({ min: 1, max: 10_000 }));
    fc.assert(fc.property(fc.array(fc.tuple(leg, fc.constantFrom('1', '2', '3', '4')), { maxLength: 50 }), (moves) => {
      const replay = new LedgerReplay();
      for (const [[from, amount], to] of moves) {
        if (from === to) continue;
        replay.apply({ type: 'transfer', kind: 'mint', legs: [[mintAccount, -amount], [from, amount]], reference: 'm' });
        replay.apply({ type: 'transfer', kind: 'pay', legs: [[from, -amount], [to, amount]], reference: 'p' });
      }
      let sum = 0;
      for (const value of replay.balances.values()) sum += value;
      expect(sum).to.equal(0);
      expect(-(replay.balances.get(mintAccount) ?? 0)).to.equal(replay.supplyCents);
    }), { numRuns: 300 });
  });
});
