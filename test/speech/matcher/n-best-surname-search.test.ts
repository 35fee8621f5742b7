// An N-best list repeats the name across hypotheses: a heard surname off the roll (a mishearing, or two
// words read as one surname) is searched once per lookup, not once per hypothesis, and the lookup
// decides as the previous matcher did.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import type { WordMatch } from '../../../src/speech/matcher/vocabulary.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';

describe('surname searches in an N-best lookup', () => {
  it('each heard surname off the roll is searched once, whatever the number of hypotheses saying it', async () => {
    const index = NameIndex.build(fixtureVoters, await cmudict(), { nicknames: await loadNicknames() });
    const searched: string[] = [];
    const surnamesHeard = index.surnamesHeard.bind(index);
    // A spy on the real search, by the surname text a reading heard.
    index.surnamesHeard = (last: string, within?: number): WordMatch[] => {
      searched.push(last);
      return surnamesHeard(last, within);
    };
    const hypotheses = [said('mary smith of ames', 0.4), said('mary smith of aims', 0.25),
      said('mary smith in story county', 0.2), said('mary smitt of ames', 0.15)];
    const match = matchName(index, hypotheses);
    // "smith" and "mary smith" (as one surname) in three hypotheses, "smitt" and "mary smitt" in one: each once.
    expect(searched.sort()).to.deep.equal(['mary smith', 'mary smitt', 'smith', 'smitt']);
    expect(match).to.deep.equal(matchNameByPreviousIndex(index, hypotheses));
    expect(match.kind === 'one' && match.voter.id).to.equal('1001');
    // One hypothesis at a time, the same names are searched each time.
    searched.length = 0;
    for (const hypothesis of hypotheses) matchName(index, [hypothesis]);
    expect(searched.length).to.be.greaterThan(4);
  });
});
