// The scratch one lookup borrows from the index (row-costs.ts, word-cost-cache.ts) must leave nothing
// behind for the next lookup: a stale slot or a cost remembered from another reading would silently
// change who is matched.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import { ReadMarks } from '../../../src/speech/matcher/read-marks.js';
import { RowCosts } from '../../../src/speech/matcher/row-costs.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import { WordCostCache } from '../../../src/speech/matcher/word-cost-cache.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';

describe('lookup scratch', () => {
  it('RowCosts keeps the cheapest cost per row and hypothesis, and release leaves the slots as found', () => {
    const slots = new Int32Array(1000).fill(-1);
    const costs = new RowCosts(slots, 2);
    // More rows than the first allocation, so growing keeps what was there.
    for (let row = 999; row >= 0; row -= 3) costs.keep(0, row, row / 1000);
    costs.keep(0, 999, 0.5);
    costs.keep(0, 999, 0.9);
    costs.keep(1, 999, 0.2);
    expect(costs.count).to.equal(334);
    expect(costs.row(0)).to.equal(999);
    expect(costs.cost(0, 0)).to.equal(0.5);
    expect(costs.cost(0, 1)).to.equal(0.2);
    expect(costs.cost(1, 1)).to.equal(Infinity);
    expect(costs.cost(333, 0)).to.equal(0);
    costs.release();
    expect(costs.count).to.equal(0);
    expect(slots.every((slot) => slot === -1)).to.equal(true);
  });

  it('RowCosts.rankedCost: at least that many rows cost that much or less, never an underestimate', () => {
    const costs = new RowCosts(new Int32Array(10).fill(-1), 1, 3);
    costs.keep(0, 0, 0.3);
    costs.keep(0, 1, 0.1);
    expect(costs.rankedCost).to.equal(Infinity);
    costs.keep(0, 2, 0.2);
    expect(costs.rankedCost).to.equal(0.3);
    costs.keep(0, 3, 0.05);
    expect(costs.rankedCost).to.equal(0.2);
    // A row kept cheaper again counts once, at its first cost: the bound may stay high, never drop too low.
    costs.keep(0, 3, 0);
    costs.keep(0, 3, 0);
    expect(costs.rankedCost).to.equal(0.2);
    costs.release();
    expect(costs.rankedCost).to.equal(Infinity);
    expect(new RowCosts(new Int32Array(1).fill(-1), 1).rankedCost).to.equal(Infinity);
  });

  it('WordCostCache answers a reading only with what that reading stored', () => {
    const cache = new WordCostCache(10);
    const first = cache.open();
    cache.set(first, 3, 0.25);
    const second = cache.open();
    expect(Number.isNaN(cache.get(second, 3))).to.equal(true);
    expect(cache.get(first, 3)).to.equal(0.25);
    cache.set(second, 3, 0.75);
    expect(Number.isNaN(cache.get(first, 3))).to.equal(true);
    expect(cache.get(second, 3)).to.equal(0.75);
    expect(() => cache.set(second, 10, 0)).to.throw(/no word 10/);
  });

  it('ReadMarks: a search sees only its own marks, also after the stamps run out and start again', () => {
    const marks = new ReadMarks(4, 3);
    const first = marks.open();
    marks.stamps[2] = first;
    const second = marks.open();
    expect(marks.stamps[2]).to.not.equal(second);
    marks.stamps[1] = second;
    const third = marks.open();
    expect([...marks.stamps].filter((stamp) => stamp === third)).to.deep.equal([]);
    marks.stamps[3] = third;
    // The fourth search would reuse a stamp a word still carries: every mark is cleared first.
    const fourth = marks.open();
    expect(fourth).to.equal(1);
    expect([...marks.stamps]).to.deep.equal([0, 0, 0, 0]);
  });

  it('repeated surname searches give the same nearest words (marks of one search never leak into the next)', async () => {
    const index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
    const heard = ['smyth', 'jonsen', 'smith', 'andersen', 'smyth'];
    const first = heard.map((last) => index.surnamesHeard(last));
    const again = heard.map((last) => index.surnamesHeard(last));
    expect(again).to.deep.equal(first);
    expect(first[4]).to.deep.equal(first[0]);
    expect(first[0]?.length).to.be.greaterThan(0);
  });

  it('a vocabulary gives a word it has the pronunciations pronounce() makes, and pronounces one it lacks', async () => {
    const lexicon = await cmudict();
    const index = NameIndex.build(fixtureVoters, lexicon, { nicknames: await loadNicknames() });
    for (const name of ['mary', 'john', 'zzyzxa']) {
      expect(index.givenNames.pronounced(name, lexicon)).to.deep.equal(pronounce(name, lexicon));
    }
    expect(index.givenNames.idOf('mary')).to.not.equal(undefined);
    expect(index.givenNames.idOf('zzyzxa')).to.equal(undefined);
  });

  it('a lookup that throws part-way leaves the index as good as before', async () => {
    const index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
    const before = matchName(index, [said('mary smith of ames'), said('john smith', 0.5)]);
    // A confidence that is not a number reaches combine()'s weights only after every row was read.
    const broken = { text: 'john smith', confidence: 0.5, phones: [] };
    Object.defineProperty(broken, 'confidence', { get: () => { throw new Error('bad hypothesis'); } });
    expect(() => matchName(index, [said('mary smith of ames'), broken])).to.throw(/bad hypothesis/);
    expect(index.rowSlotScratch().every((slot) => slot === -1)).to.equal(true);
    expect(matchName(index, [said('mary smith of ames'), said('john smith', 0.5)])).to.deep.equal(before);
  });
});
