// The matcher on a generated roll (src/roll/sample-voters.ts): random voters said exactly as the roll
// has them are found, and the index agrees with a scan of every voter.
import { expect } from 'chai';
import fc from 'fast-check';
import { NameIndex, loadNicknames, matchName, matchNameByScan } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter, NameMatch } from '../../../src/speech/matcher/index.js';
import { sampleMatchableVoters } from '../../../src/speech/matcher/sample-roll.js';
import { spokenWords } from '../../../src/speech/names/name-roll.js';
import { cmudict, said } from './roll-fixture.js';
import { expectSameDecision, sameDecision } from './same-decision.js';

const rollSize = 20_000;

function offered(match: NameMatch): string[] {
  if (match.kind === 'one') return [match.voter.id];
  return match.kind === 'several' ? match.candidates.map((candidate) => candidate.voter.id) : [];
}

describe('name matcher on a generated roll', function () {
  this.timeout(300_000);
  let voters: MatchableVoter[];
  let index: NameIndex;

  before(async () => {
    voters = [...sampleMatchableVoters(rollSize, 4242)];
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames() });
  });

  it('every voter, said as the name grammars say it, with and without the middle name, is found', () => {
    // The grammars say a roll name word by word, hyphens split (spokenWords): "Lor-Anna" is "lor anna",
    // "Hyoung-In" "hyoung in". Namesakes in one city are offered together, never another voter alone.
    const missed: string[] = [];
    let sayingsSaid = 0;
    for (const voter of voters) {
      const sayings = [[...spokenWords(voter.first), ...spokenWords(voter.last)]];
      if (spokenWords(voter.middle).length > 0) {
        sayings.push([...spokenWords(voter.first), ...spokenWords(voter.middle), ...spokenWords(voter.last)]);
      }
      for (const words of sayings) {
        const text = `${words.join(' ')} of ${spokenWords(voter.city).join(' ')}`;
        const match = matchName(index, [said(text)]);
        sayingsSaid += 1;
        const found = match.kind === 'one' ? match.voter.id === voter.id
          : match.kind === 'several' && match.candidates.length > 1 && offered(match).includes(voter.id);
        if (!found) missed.push(`${text}: ${JSON.stringify(offered(match))}`);
      }
    }
    expect(sayingsSaid).to.be.greaterThan(rollSize);
    expect(missed, missed.slice(0, 5).join('; ')).to.deep.equal([]);
  });

  it('a voter said as "first last of city" is never missed nor confused with another voter', () => {
    const outcomes = { one: 0, several: 0 };
    fc.assert(fc.property(fc.integer({ min: 0, max: rollSize - 1 }), (row) => {
      const voter = voters[row] as MatchableVoter;
      const text = `${voter.first} ${voter.last} of ${voter.city}`;
      const match = matchName(index, [said(text)]);
      expect(offered(match), `${text}: ${JSON.stringify(match)}`).to.include(voter.id);
      if (match.kind === 'one') outcomes.one += 1;
      else outcomes.several += 1;
    }), { numRuns: 300, seed: 7 });
    // Several is right only for namesakes and homophones in the same city, which are rare.
    expect(outcomes.one / 300, JSON.stringify(outcomes)).to.be.greaterThan(0.9);
  });

  it('with the middle name too, a voter unique by name and city is one confident match', () => {
    const key = (voter: MatchableVoter): string => `${voter.first}|${voter.middle}|${voter.last}|${voter.city}`;
    const counts = new Map<string, number>();
    for (const voter of voters) counts.set(key(voter), (counts.get(key(voter)) ?? 0) + 1);
    fc.assert(fc.property(fc.integer({ min: 0, max: rollSize - 1 }), (row) => {
      const voter = voters[row] as MatchableVoter;
      fc.pre(counts.get(key(voter)) === 1 && voter.middle.length > 1);
      const text = `${voter.first} ${voter.middle} ${voter.last} of ${voter.city}`;
      const match = matchName(index, [said(text)]);
      if (match.kind === 'one') expect(match.voter.id, text).to.equal(voter.id);
      else expect(offered(match), text).to.include(voter.id);
    }), { numRuns: 200, seed: 11 });
  });

  // The phonetic keys find words within about three consonant edits; the scan reads every surname,
  // so a far-fetched reading (two words taken as one surname) can find a word the keys do not.
  it('the index agrees with a scan of every voter: always for names said exactly, mostly otherwise', () => {
    const variants = (voter: MatchableVoter): string[] => [
      `${voter.first} ${voter.last} of ${voter.city}`,
      `${voter.first} ${voter.last}`,
      `${voter.last} in ${voter.county} county`,
      `${voter.first} ${voter.last.slice(0, -1)} of ${voter.city}`,
      `${voter.middle || voter.first} ${voter.last} from ${voter.zip}`,
    ];
    const disagreements: string[] = [];
    let compared = 0;
    for (let row = 0; row < rollSize; row += 499) {
      variants(voters[row] as MatchableVoter).forEach((text, variant) => {
        const indexed = matchName(index, [said(text)]);
        const scanned = matchNameByScan(index, [said(text)]);
        if (variant === 0) expectSameDecision(indexed, scanned, text);
        else if (!sameDecision(indexed, scanned)) disagreements.push(text);
        compared += 1;
      });
    }
    if (disagreements.length > 0) console.log(`      index ≠ scan for: ${disagreements.join('; ')}`);
    expect(disagreements.length / compared, disagreements.join('; ')).to.be.lessThan(0.2);
  });
});
