// A single-hypothesis lookup stops reading once more than candidatesMax voters fit exactly (cost 0):
// the answer is then 'too-many' whatever else the roll holds (match-name.ts, Ceiling.crowd). Checked
// against the scan of every voter: the same decision, a lower `matching` only when it stopped, and
// no stop one exact fit short of the crowd, with a place that thins the crowd, or with several hypotheses.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName, matchNameByScan } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import { cmudict, fixtureVoters, said } from './roll-fixture.js';
import { expectSameDecision } from './same-decision.js';

const cities = ['ames', 'boone', 'nevada', 'ankeny'] as const;

function thompson(id: number, first: string, middle: string, city: string): MatchableVoter {
  return { id: String(id), first, middle, last: 'thompson', suffix: '', city, county: 'story', zip: '50010', street: '' };
}

describe('a lookup crowded with exact fits', function () {
  this.timeout(60_000);
  let index: NameIndex;

  before(async () => {
    const voters: MatchableVoter[] = [...fixtureVoters];
    let id = 3000;
    // 30 Lisa Thompsons (8 in each of Ames and Boone), 9 Mary Thompsons, and Thompsons whose given names are
    // near Lisa's (nicknames, a misspelling) or not, interleaved so the exact fits are not the first rows read.
    for (let at = 0; at < 30; at += 1) {
      const city = cities[at % 4] as string;
      voters.push(thompson(id++, 'beth', '', city), thompson(id++, 'lisa', at % 3 === 0 ? 'ann' : '', city));
      voters.push(thompson(id++, ['elizabeth', 'liza', 'robert', 'lise'][at % 4] as string, '', city));
    }
    for (let at = 0; at < 9; at += 1) voters.push(thompson(id++, 'mary', '', cities[at % 4] as string));
    voters.push({ ...thompson(id++, 'lisa', '', 'ames'), last: 'thomson' });
    voters.push({ ...thompson(id++, 'lisa', '', 'ames'), last: 'tomson' });
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames() });
  });

  it('more than candidatesMax exact fits: too-many as the scan says, found after the tenth', () => {
    const hypotheses = [said('lisa thompson')];
    const full = matchNameByScan(index, hypotheses);
    expect(full).to.deep.include({ kind: 'none', reason: 'too-many' });
    expect(full.kind === 'none' && (full.matching ?? 0)).to.be.greaterThan(30);
    expect(matchName(index, hypotheses)).to.deep.equal({ kind: 'none', reason: 'too-many', matching: 10 });
    // Smaller crowds stop sooner: a candidatesMax of 3 stops at the fourth.
    expect(matchName(index, hypotheses, { candidatesMax: 3 })).to.deep.equal({ kind: 'none', reason: 'too-many', matching: 4 });
    // With a middle name said, the exact fits are only the 10 Lisa Ann Thompsons; in Ames, the 8 Lisa
    // Thompsons there and the two Lisas whose surnames sound the same (thomson, tomson); "lisah" sounds as "lisa".
    for (const text of ['lisa ann thompson', 'lisa thompson of ames', 'lisah thompson']) {
      const match = matchName(index, [said(text)]);
      expectSameDecision(match, matchNameByScan(index, [said(text)]), text);
      expect(match, text).to.deep.include({ kind: 'none', reason: 'too-many' });
    }
  });

  it('candidatesMax exact fits or fewer: the full answer, candidates best first', () => {
    for (const text of ['mary thompson', 'lisa thompson of boone', 'lisa ann thompson of boone', 'liza thompson', 'robert thomson']) {
      const full = matchNameByScan(index, [said(text)]);
      const match = matchName(index, [said(text)]);
      expect(match, text).to.deep.equal(full);
      expect(match.kind, text).to.not.equal('none');
    }
    // Nine Mary Thompsons tie at the best: offered, none left out, in row order.
    const mary = matchName(index, [said('mary thompson')]);
    expect(mary.kind === 'several' && mary.candidates.filter((candidate) => candidate.score === 1).length).to.equal(9);
  });

  it('fewer exact fits than a crowd, but more near ones: rows past the tenth cheapest left unread decide alike', () => {
    // 8 Elizabeth Thompsons fit exactly, then 30 Beths and 30 Lisas as nicknames: the eight are offered,
    // set apart by a step in cost, as by the scan, though the nickname rows past the tenth are never costed.
    const match = matchName(index, [said('elizabeth thompson')]);
    expect(match).to.deep.equal(matchNameByScan(index, [said('elizabeth thompson')]));
    expect(match.kind === 'several' && match.candidates.map((candidate) => candidate.score)).to.deep.equal(Array(8).fill(1));
  });

  it('several hypotheses read every row: the full count', () => {
    const hypotheses = [said('lisa thompson', 0.6), said('lisa thomson', 0.4)];
    const match = matchName(index, hypotheses);
    expect(match).to.deep.equal(matchNameByScan(index, hypotheses));
    expect(match.kind === 'none' && (match.matching ?? 0)).to.be.greaterThan(30);
  });
});
