// An N-best list repeats the name across hypotheses: a heard surname off the roll (a mishearing, or two
// words read as one surname) is searched once per lookup, not once per hypothesis, and the lookup
// decides as the previous matcher did.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import type { NearestLimits } from '../../../src/speech/matcher/nearest-words.js';
import type { WordMatch } from '../../../src/speech/matcher/vocabulary.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';

describe('surname searches in an N-best lookup', () => {
  it('each heard surname off the roll is searched once, whatever the number of hypotheses saying it', async () => {
    const index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
    const searched: number[] = [];
    const surnames = index.surnames;
    const search = surnames.nearestFew.bind(surnames);
    // A spy on the real search (every roll surname has its list, so only names off the roll get here).
    surnames.nearestFew = (heard: readonly Uint8Array[], limits: NearestLimits): WordMatch[] => {
      searched.push(heard.length);
      return search(heard, limits);
    };
    const hypotheses = [said('mary smith of ames', 0.4), said('mary smith of aims', 0.25),
      said('mary smith in story county', 0.2), said('mary smitt of ames', 0.15)];
    const match = matchName(index, hypotheses);
    // "mary smith" (as one surname) in three hypotheses, "smitt" and "mary smitt" in one: three searches.
    expect(searched).to.have.length(3);
    expect(match).to.deep.equal(matchNameByPreviousIndex(index, hypotheses));
    expect(match.kind === 'one' && match.voter.id).to.equal('1001');
    // One hypothesis at a time, the same names are searched each time.
    searched.length = 0;
    for (const hypothesis of hypotheses) matchName(index, [hypothesis]);
    expect(searched.length).to.be.greaterThan(3);
  });
});
