// A single-hypothesis lookup leaves out the rows that cost more than the best so far plus nearMargin
// (match-name.ts), mostly without measuring their given names in full (ReadingScorer.cost's ceiling).
// A row right at the ceiling must stay: "velaye" is exactly 0.5 from "mary", and single-precision
// rounding once made an early-stopping edit distance call it a few millionths too far.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName, matchNameByScan } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import { ReadingScorer } from '../../../src/speech/matcher/name-scoring.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { expectSameDecision } from './same-decision.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';

function jackson(id: string, first: string, middle: string): MatchableVoter {
  return { id, first, middle, last: 'jackson', suffix: '', city: 'ames', county: 'story', zip: '50010', street: 'oak ave' };
}

describe('the ceiling of a single-hypothesis lookup', function () {
  this.timeout(60_000);
  let index: NameIndex;
  const rowOf = (id: string): number =>
    Array.from({ length: index.voterCount }, (_, row) => row).find((row) => index.voter(row).id === id) ?? -1;

  before(async () => {
    const voters = [
      ...fixtureVoters, jackson('2001', 'mary', 'ann'), jackson('2002', 'velaye', ''),
      jackson('2003', 'marie', ''), jackson('2004', 'robert', 'lee'), jackson('2005', 'john', 'mary'),
      { ...jackson('2006', 'mary', ''), last: 'zeller' }, { ...jackson('2007', 'robert', ''), last: 'zeller' },
    ];
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames() });
  });

  it('a row costing exactly the ceiling keeps its cost; one above it is Infinity', () => {
    const reading = { first: 'mary', last: 'jackson' };
    const exact = new ReadingScorer(index, reading, {}).cost(rowOf('2002'), 0);
    expect(exact).to.equal(0.3 * 0.5);
    expect(new ReadingScorer(index, reading, {}).cost(rowOf('2002'), 0, 0.15)).to.equal(exact);
    expect(new ReadingScorer(index, reading, {}).cost(rowOf('2002'), 0, 0.14)).to.equal(Infinity);
    // A ceiling only ever rules a row out: below it, the cost is the one without a ceiling.
    const scorer = new ReadingScorer(index, reading, {});
    for (const id of ['2001', '2003', '2004', '2005', '1001']) {
      const row = rowOf(id);
      const cost = new ReadingScorer(index, reading, {}).cost(row, 0.1) as number;
      expect(scorer.cost(row, 0.1, cost), id).to.equal(cost);
      expect(scorer.cost(row, 0.1, cost - 0.001), id).to.equal(Infinity);
    }
  });

  it('single and several hypotheses decide as the previous matcher did', () => {
    const options = { candidatesMax: 20, oneMarginMin: 1 };
    for (const hypotheses of [
      [said('mary jackson')], [said('mary jackson', 0.6), said('robert jackson', 0.4)], [said('velaye jackson')],
    ]) {
      const match = matchName(index, hypotheses, options);
      expectSameDecision(match, matchNameByPreviousIndex(index, hypotheses, options), '', options.candidatesMax);
      expect(match.kind).to.equal('several');
    }
  });

  it('a runner-up within a oneMarginMin wider than nearMargin is still read', () => {
    // Robert Zeller costs 0.3 (his first name): past best + nearMargin, within best + oneMarginMin, so
    // Mary Zeller has no clear lead; leaving him out would have made her a confident match.
    const hypotheses = [said('mary zeller')];
    const options = { oneMarginMin: 0.5 };
    const match = matchName(index, hypotheses, options);
    expectSameDecision(match, matchNameByScan(index, hypotheses, options));
    expect(match.kind).to.equal('several');
    expect(matchName(index, hypotheses).kind).to.equal('one');
  });
});
