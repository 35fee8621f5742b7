// The sped-up lookup decides exactly as the matcher did before it (previous-match-name.ts): the
// benchmark's query kinds, a few more, and N-best lists of several hypotheses, on a generated roll.
// Its output picks who gets a delegation, so "nearly the same" would not do.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter, Nicknames } from '../../../src/speech/matcher/index.js';
import { nameReadings, surnameDistanceMax } from '../../../src/speech/matcher/name-scoring.js';
import { sampleMatchableVoters } from '../../../src/speech/matcher/sample-roll.js';
import { parseNameUtterance } from '../../../src/speech/matcher/utterance.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { cmudict, said } from './roll-fixture.js';
import { expectSameDecision } from './same-decision.js';

const rollSize = 60_000;
const votersAsked = 80;

/** What a caller may say for a voter: the benchmark's kinds first, then other shapes. */
function sayings(voter: MatchableVoter, nicknames: Nicknames): string[] {
  // A nickname said for the first name ("bill" for william), without a place: given names measured against it.
  const nickname = [...nicknames.relatedNames(voter.first)][0] ?? voter.first;
  return [
    `${nickname} ${voter.last}`,
    `${voter.first} ${voter.last} of ${voter.city}`,
    `${voter.first} ${voter.last.slice(0, -1)} of ${voter.city}`,
    `${voter.first} ${voter.last}`,
    `${voter.last}`,
    `${voter.first} ${voter.middle} ${voter.last}`,
    `${voter.last} in ${voter.county} county`,
    `${voter.middle || voter.first} ${voter.last} from ${voter.zip}`,
    `${voter.first.slice(1)} ${voter.last}x`,
  ];
}

describe('the sped-up name lookup decides as the previous matcher did', function () {
  this.timeout(600_000);
  let voters: MatchableVoter[];
  let index: NameIndex;

  before(async () => {
    voters = [...sampleMatchableVoters(rollSize, 90_210)];
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames() });
  });

  const asked = (): MatchableVoter[] =>
    Array.from({ length: votersAsked }, (_, at) => voters[Math.floor((at * rollSize) / votersAsked)] as MatchableVoter);

  it('the nearest few surnames of every reading are those of a full sort of the key-sharing ones', () => {
    let compared = 0;
    for (const voter of asked()) {
      for (const text of sayings(voter, index.nicknames)) {
        const words = parseNameUtterance(text).nameWords;
        if (words.length === 0) continue;
        for (const reading of nameReadings(words)) {
          const heard = pronounce(reading.last, index.lexicon);
          for (const [countMax, spread] of [[12, 0.25], [3, 0.1], [40, 0.4]] as const) {
            const all = index.surnames.nearest(heard, surnameDistanceMax);
            const nearest = all[0]?.distance ?? 0;
            const expected = all.slice(0, countMax).filter((match) => match.distance <= nearest + spread);
            const found = index.surnames.nearestFew(heard, { distanceMax: surnameDistanceMax, countMax, spread });
            expect(found, `${reading.last} (${countMax}, ${spread})`).to.deep.equal(expected);
            compared += 1;
          }
        }
      }
    }
    expect(compared).to.be.greaterThan(votersAsked * 20);
  });

  it('one hypothesis: every saying gives the same NameMatch', () => {
    const kinds = new Map<string, number>();
    for (const voter of asked()) {
      for (const text of sayings(voter, index.nicknames)) {
        const hypotheses = [said(text)];
        const match = matchName(index, hypotheses);
        expectSameDecision(match, matchNameByPreviousIndex(index, hypotheses), text);
        const kind = match.kind === 'none' ? `none:${match.reason}` : match.kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    // The comparison covers every kind of decision, not only easy confident ones.
    for (const kind of ['one', 'several', 'none:too-many']) {
      expect(kinds.get(kind) ?? 0, JSON.stringify([...kinds])).to.be.greaterThan(0);
    }
  });

  it('N-best lists of several hypotheses give the same NameMatch', () => {
    const people = asked();
    people.forEach((voter, at) => {
      const other = people[(at * 7 + 3) % people.length] as MatchableVoter;
      const [, exact, misheard, noPlace, , withMiddle, , , garbled] = sayings(voter, index.nicknames);
      const lists: Hypothesis[][] = [
        [said(exact as string, 0.6), said(misheard as string, 0.3),
          said(sayings(other, index.nicknames)[1] as string, 0.1)],
        [said(noPlace as string, 0.5), said(`${other.first} ${voter.last}`, 0.5)],
        [said(misheard as string, 0.4), said(withMiddle as string, 0.35), said(garbled as string, 0.25)],
      ];
      for (const hypotheses of lists) {
        const label = hypotheses.map((hypothesis) => hypothesis.text).join(' | ');
        expect(matchName(index, hypotheses), label).to.deep.equal(matchNameByPreviousIndex(index, hypotheses));
      }
    });
  });
});
