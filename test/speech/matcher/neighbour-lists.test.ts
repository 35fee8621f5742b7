// The kept nearest-surname and nearest-place lists (neighbour-lists.ts) must be exactly what a lookup's
// own search returns, for every surname and place of a generated roll, whether found at build, a slice
// at a time, or on first use; words off the roll must still be searched.
import { expect } from 'chai';
import { NameIndex, matchName } from '../../../src/speech/matcher/index.js';
import type { MatchableVoter } from '../../../src/speech/matcher/index.js';
import { placeDistanceMax, surnameLimits } from '../../../src/speech/matcher/name-scoring.js';
import { NeighbourLists } from '../../../src/speech/matcher/neighbour-lists.js';
import { sampleMatchableVoters } from '../../../src/speech/matcher/sample-roll.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import { cmudict, said } from './roll-fixture.js';

const rollSize = 15_000;

describe('neighbour lists of surnames', function () {
  this.timeout(300_000);
  let voters: MatchableVoter[];
  let built: NameIndex;
  let lazy: NameIndex;

  before(async () => {
    voters = [...sampleMatchableVoters(rollSize, 31_337)];
    const lexicon = await cmudict();
    built = NameIndex.build(voters, lexicon);
    lazy = NameIndex.build(voters, lexicon, { surnameNeighbours: 'first-use' });
  });

  it('built at index build, every surname list is the search a lookup would run', () => {
    const lists = built.surnameNeighbours;
    expect(lists.foundCount).to.equal(lists.listCount);
    // Homophones share a list: fewer lists than surnames, but each surname reads one.
    expect(lists.listCount).to.be.greaterThan(built.surnames.size / 2).and.at.most(built.surnames.size);
    let nonEmpty = 0;
    for (let word = 0; word < built.surnames.size; word += 1) {
      const heard = built.surnames.pronunciations(word);
      const kept = built.nearestSurnames(heard);
      expect(kept, built.surnames.text(word)).to.deep.equal(built.surnames.nearestFew(heard, surnameLimits));
      // The surname itself is always the nearest (distance 0).
      expect(kept[0]?.distance, built.surnames.text(word)).to.equal(0);
      if (kept.length > 1) nonEmpty += 1;
    }
    expect(nonEmpty).to.be.greaterThan(built.surnames.size / 4);
  });

  it('found on first use, or a slice at a time, the lists are the same', () => {
    const lists = lazy.surnameNeighbours;
    expect(lists.foundCount).to.equal(0);
    const smith = pronounce('smith', lazy.lexicon);
    expect(lazy.nearestSurnames(smith)).to.deep.equal(built.nearestSurnames(smith));
    expect(lists.foundCount).to.equal(1);
    const sliced = new NeighbourLists(lazy.surnames, (heard) => lazy.surnames.nearestFew(heard, surnameLimits));
    let slices = 1;
    while (!sliced.findSome(500)) slices += 1;
    expect(slices).to.equal(Math.ceil(sliced.listCount / 500));
    expect(sliced.foundCount).to.equal(sliced.listCount);
    for (let word = 0; word < lazy.surnames.size; word += 97) {
      const heard = lazy.surnames.pronunciations(word);
      expect(sliced.nearest(heard)).to.deep.equal(built.nearestSurnames(heard));
    }
    expect(() => sliced.findSome(0)).to.throw(/bad list count 0/);
  });

  it('every city and county list is the places a lookup would narrow to', () => {
    const places = [[built.cities, built.cityNeighbours], [built.counties, built.countyNeighbours]] as const;
    for (const [vocabulary, lists] of places) {
      expect(lists.foundCount).to.equal(lists.listCount);
      for (let word = 0; word < vocabulary.size; word += 1) {
        const heard = vocabulary.pronunciations(word);
        expect(lists.nearest(heard), vocabulary.text(word)).to.deep.equal(vocabulary.nearest(heard, placeDistanceMax));
      }
    }
    const nowhere = pronounce('zzyzx', built.lexicon);
    expect(built.cityNeighbours.nearest(nowhere)).to.deep.equal(built.cities.nearest(nowhere, placeDistanceMax));
  });

  it('a surname off the roll is searched, not read from a list, and lookups decide alike', () => {
    const lists = built.surnameNeighbours;
    const before = lists.foundCount;
    const heard = pronounce('smithwickersonly', built.lexicon);
    expect(built.nearestSurnames(heard)).to.deep.equal(built.surnames.nearestFew(heard, surnameLimits));
    expect(lists.foundCount).to.equal(before);
    for (let row = 0; row < rollSize; row += 750) {
      const voter = voters[row] as MatchableVoter;
      for (const text of [`${voter.first} ${voter.last} of ${voter.city}`, `${voter.first} ${voter.last}`,
        `${voter.first} ${voter.last.slice(0, -1)}`]) {
        expect(matchName(built, [said(text)]), text).to.deep.equal(matchName(lazy, [said(text)]));
      }
    }
  });

  it('a roll without voters has no lists, builds, and matches nobody', async () => {
    const empty = NameIndex.build([], await cmudict());
    expect(empty.surnameNeighbours.listCount).to.equal(0);
    expect(empty.surnameNeighbours.foundCount).to.equal(0);
    expect(matchName(empty, [said('mary smith of ames')]).kind).to.equal('none');
  });
});
