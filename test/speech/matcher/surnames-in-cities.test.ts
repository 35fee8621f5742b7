// A lookup narrowed to cities searches for a heard surname off the roll ("mary smith" read as one
// two-word surname, a misheard name) only when some surname near enough has voters there
// (NameIndex.nearestSurnamesIn). Skipping must never lose a voter the full search would have read.
import { expect } from 'chai';
import { NameIndex, loadNicknames, matchName } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import { nameReadings, surnameDistanceMax, surnameDistanceWithin } from '../../../src/speech/matcher/name-scoring.js';
import { sampleMatchableVoters } from '../../../src/speech/matcher/sample-roll.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import { matchNameByPreviousIndex } from './previous-match-name.js';
import { cmudict, said } from './roll-fixture.js';

const rollSize = 40_000;
const votersAsked = 150;

describe('surnames searched only where they have voters', function () {
  this.timeout(600_000);
  let voters: MatchableVoter[];
  let index: NameIndex;

  before(async () => {
    voters = [...sampleMatchableVoters(rollSize, 4_417)];
    index = NameIndex.build(voters, await cmudict(), { nicknames: await loadNicknames(), surnameNeighbours: 'first-use' });
  });

  const asked = (): MatchableVoter[] =>
    Array.from({ length: votersAsked }, (_, at) => voters[Math.floor((at * rollSize) / votersAsked)] as MatchableVoter);

  it('an empty answer means no surname of the full search within the distance has voters in the cities', () => {
    let skipped = 0;
    let searched = 0;
    for (const voter of asked()) {
      const city = index.cities.idOf(voter.city) as number;
      const other = index.cities.idOf(voters[(voters.indexOf(voter) * 7) % rollSize]?.city ?? '') as number;
      for (const text of [`${voter.first} ${voter.last}`, voter.last.slice(0, -1), `${voter.last}s`]) {
        const heard = pronounce(text, index.lexicon);
        for (const [cities, distanceMax] of [[[city], surnameDistanceMax], [[city, other], 0.2]] as const) {
          const found = index.nearestSurnamesIn(heard, cities, distanceMax);
          const full = index.nearestSurnames(heard);
          if (found.length > 0) {
            expect(found, text).to.deep.equal(full);
            searched += 1;
            continue;
          }
          skipped += 1;
          for (const { word, distance } of full) {
            const there = cities.some((id) => index.rowsOfSurname(word, id).length > 0);
            expect(there && distance <= distanceMax, `${text}: ${index.surnames.text(word)}`).to.equal(false);
          }
        }
      }
    }
    // Both ways are exercised: most off-roll readings have no near surname in a city, some do.
    expect(skipped, `${skipped} skipped`).to.be.greaterThan(votersAsked);
    expect(searched, `${searched} searched`).to.be.greaterThan(votersAsked / 2);
  });

  it('a surname of the roll is read from its list, even with no voter in the city', () => {
    const voter = asked()[3] as MatchableVoter;
    const elsewhere = [...Array(index.cities.size).keys()].find((id) =>
      index.rowsOfSurname(index.surnames.idOf(voter.last) as number, id).length === 0) as number;
    const heard = pronounce(voter.last, index.lexicon);
    expect(index.nearestSurnamesIn(heard, [elsewhere], surnameDistanceMax)).to.deep.equal(index.nearestSurnames(heard));
  });

  it('the distance kept is where a voter could still cost the ceiling', () => {
    expect(surnameDistanceWithin(Infinity)).to.equal(surnameDistanceMax);
    expect(surnameDistanceWithin(0.15)).to.be.closeTo(0.375, 1e-3);
    expect(surnameDistanceWithin(0)).to.be.lessThan(0.001);
  });

  it('lookups in a city decide as the matcher before any speed-up did (previous-match-name.ts)', () => {
    for (const voter of asked().slice(0, 60)) {
      const misheard = voter.last.slice(0, -1);
      for (const text of [`${voter.first} ${voter.last} of ${voter.city}`, `${voter.first} ${misheard} of ${voter.city}`,
        `${voter.last} ${voter.first} in ${voter.city}`]) {
        expect(nameReadings(text.split(' ').slice(0, 2)).length).to.be.greaterThan(1);
        expect(matchName(index, [said(text)]), text).to.deep.equal(matchNameByPreviousIndex(index, [said(text)]));
      }
    }
  });
});
