// A reading under a single hypothesis's ceiling asks only for the surnames within the distance a row under
// it can have (name-scoring.ts surnameDistanceWithin): for a kept list that is the list cut there, and a
// heard name off the roll is searched only that far. Either must be exactly the full answer cut at that
// distance (brute force: every key-sharing surname measured, sorted and cut), or a voter could be lost.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import {
  isCompoundSurname, joinedSurname, lastPartOf, nameReadings, readsSeveralWords, surnameDistanceMax,
  surnameDistanceWithin, surnameLimits,
} from '../../../src/speech/matcher/name-scoring.js';
import type { WordMatch } from '../../../src/speech/matcher/vocabulary.js';
import { sampleMatchableVoters } from '../../../src/speech/matcher/sample-roll.js';
import { parseNameUtterance } from '../../../src/speech/matcher/utterance.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { cmudict, said } from './roll-fixture.js';
import { expectSameDecision } from './same-decision.js';

const rollSize = 15_000;
const votersAsked = 60;
const cuts = [0.01, 0.05, 0.1, 0.2, 0.3, 0.375, surnameDistanceMax];

/** The full answer by brute force (every key-sharing surname measured and sorted), cut at `within`. */
function bruteForce(index: NameIndex, heard: readonly Uint8Array[], within: number): WordMatch[] {
  const all = index.surnames.nearest(heard, surnameDistanceMax);
  const nearest = all[0]?.distance ?? 0;
  return all.slice(0, surnameLimits.countMax)
    .filter((match) => match.distance <= nearest + surnameLimits.spread && match.distance <= within);
}

describe('surnames searched only as far as the ceiling reaches', function () {
  this.timeout(300_000);
  let voters: MatchableVoter[];
  let index: NameIndex;

  before(async () => {
    voters = [...sampleMatchableVoters(rollSize, 55_123)];
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames(), surnameNeighbours: 'first-use' });
  });

  const asked = (): MatchableVoter[] =>
    Array.from({ length: votersAsked }, (_, at) => voters[Math.floor((at * rollSize) / votersAsked)] as MatchableVoter);

  it('surnameDistanceWithin: the whole limit at costMax, and no surname of a row under the ceiling left out', () => {
    expect(surnameDistanceWithin(0.4)).to.equal(surnameDistanceMax);
    expect(surnameDistanceWithin(1)).to.equal(surnameDistanceMax);
    // The surname weighs 0.4: a row at the ceiling may have a surname at ceiling / 0.4, never farther.
    for (const ceiling of [0, 0.02, 0.1, 0.15]) {
      expect(surnameDistanceWithin(ceiling)).to.be.at.least(ceiling / 0.4).and.below(ceiling / 0.4 + 0.001);
    }
  });

  it('listed and unlisted heard names, cut at any distance, are the brute-force answer cut there', () => {
    let unlisted = 0;
    let nonEmptyCuts = 0;
    for (const voter of asked()) {
      for (const text of [`${voter.first} ${voter.last}`, `${voter.first} ${voter.last.slice(0, -1)}`,
        `${voter.last}x`, `${voter.middle || voter.first} ${voter.first}`]) {
        for (const reading of nameReadings(parseNameUtterance(text).nameWords)) {
          const heard = pronounce(reading.last, index.lexicon);
          const listed = index.surnames.idOf(reading.last) !== undefined;
          if (!listed) unlisted += 1;
          for (const within of cuts) {
            const expected = bruteForce(index, heard, within);
            expect(index.nearestSurnames(heard, within), `${reading.last} within ${within}`).to.deep.equal(expected);
            if (expected.length > 0 && within < surnameDistanceMax) nonEmptyCuts += 1;
          }
          expect(index.nearestSurnames(heard), reading.last).to.deep.equal(bruteForce(index, heard, Infinity));
        }
      }
    }
    // Both kinds of heard names, and cuts that keep some surnames, not only empty answers.
    expect(unlisted).to.be.greaterThan(votersAsked * 2);
    expect(nonEmptyCuts).to.be.greaterThan(votersAsked * 4);
  });

  it('a surname of several heard words reads compound surnames and its words joined, cut at any distance', () => {
    /** The nearest compound last words by brute force: every key-sharing one measured, sorted and cut. */
    const nearLastParts = (last: string): Set<string> => {
      const parts = index.compoundLastParts;
      const near = parts.nearest(pronounce(lastPartOf(last), index.lexicon), surnameDistanceMax);
      const nearest = near[0]?.distance ?? 0;
      return new Set(near.slice(0, surnameLimits.countMax)
        .filter((match) => match.distance <= nearest + surnameLimits.spread).map(({ word }) => parts.text(word)));
    };
    /**
     * The rule by brute force: every compound surname ending in a last word near the one heard, and the
     * joined word, measured, sorted and cut.
     */
    const severalWordsBruteForce = (last: string, within: number): WordMatch[] => {
      const heard = pronounce(last, index.lexicon);
      const parts = nearLastParts(last);
      const all: WordMatch[] = [];
      for (let word = 0; word < index.surnames.size; word += 1) {
        const text = index.surnames.text(word);
        if (!isCompoundSurname(text) || !parts.has(lastPartOf(text))) continue;
        const distance = index.surnames.distanceTo(word, heard, surnameDistanceMax);
        if (distance <= surnameDistanceMax) all.push({ word, distance });
      }
      const joined = index.surnames.idOf(joinedSurname(last));
      if (joined !== undefined) {
        const distance = index.surnames.distanceTo(joined, heard, surnameDistanceMax);
        if (distance <= surnameDistanceMax) all.push({ word: joined, distance });
      }
      all.sort((a, b) => a.distance - b.distance || a.word - b.word);
      const nearest = all[0]?.distance ?? 0;
      return all.slice(0, surnameLimits.countMax)
        .filter((match) => match.distance <= nearest + surnameLimits.spread && match.distance <= within);
    };
    const compounds = voters.filter((voter) => isCompoundSurname(voter.last)).slice(0, 30);
    const oneWord = voters.filter((voter) => !isCompoundSurname(voter.last) && voter.last.length > 5).slice(0, 30);
    expect(compounds.length).to.be.greaterThan(20);
    const texts = [
      ...compounds.flatMap((voter) => {
        const parts = voter.last.split(/[\s-]+/);
        return [parts.join(' '), `${parts.join(' ')}s`, `${voter.first} ${parts[0] as string}`];
      }),
      // One-word surnames cut in two ("mc donald") and given names run into surnames ("mary smith").
      ...oneWord.flatMap((voter) => [`${voter.last.slice(0, 3)} ${voter.last.slice(3)}`, `${voter.first} ${voter.last}`]),
    ];
    let found = 0;
    let joinedFound = 0;
    for (const text of texts) {
      expect(readsSeveralWords(text), text).to.equal(true);
      for (const within of [...cuts, Infinity]) {
        const expected = severalWordsBruteForce(text, within);
        const answer = index.surnamesHeard(text, within);
        expect(answer, `${text} within ${within}`).to.deep.equal(expected);
        if (within === Infinity) {
          found += answer.length > 0 ? 1 : 0;
          if (answer.some(({ word }) => !isCompoundSurname(index.surnames.text(word)))) joinedFound += 1;
        }
      }
    }
    // The test reads real answers: compounds heard near, and cut one-word surnames found by their joined text.
    expect(found).to.be.greaterThan(compounds.length);
    expect(joinedFound).to.be.at.least(oneWord.length - 2);
    // A single heard word reads every surname as before.
    expect(readsSeveralWords('smith-jones')).to.equal(false);
  });

  it('two words taken as one surname (hyphenated voters) decide as the previous matcher did', () => {
    const hyphenated = voters.filter((voter) => voter.last.includes('-')).slice(0, 40);
    expect(hyphenated.length).to.be.greaterThan(20);
    const kinds = new Map<string, number>();
    for (const voter of hyphenated) {
      const [left, right] = voter.last.split('-') as [string, string];
      for (const text of [`${left} ${right}`, `${left} ${right} of ${voter.city}`, `${voter.first} ${right} of ${voter.city}`,
        `${voter.first} ${right}`, `${voter.first} ${left}`]) {
        const hypotheses = [said(text)];
        const match = matchName(index, hypotheses);
        expectSameDecision(match, matchNameByPreviousIndex(index, hypotheses), text);
        const kind = match.kind === 'none' ? `none:${match.reason}` : match.kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    expect(kinds.get('one') ?? 0, JSON.stringify([...kinds])).to.be.greaterThan(0);
    expect(kinds.get('several') ?? 0, JSON.stringify([...kinds])).to.be.greaterThan(0);
  });
});
