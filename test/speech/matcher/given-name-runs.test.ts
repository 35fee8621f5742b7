// The voters of each surname grouped by given name (given-name-runs.ts): every voter listed once under
// its first name and once under its middle name (when it has one), each surname's names in
// pronunciation order, so a lookup can test a name once for all its voters.
import { expect } from 'chai';
import { GivenNameRuns } from '../../../src/speech/matcher/given-name-runs.js';

describe('given-name runs', () => {
  // Surnames 0-2, given names 0-4 (0 is the empty name), ranked 0 -> 0, 1 -> 3, 2 -> 1, 3 -> 4, 4 -> 2.
  const givenRank = Int32Array.from([0, 3, 1, 4, 2]);
  const surnameOf = Int32Array.from([2, 0, 0, 2, 0, 1, 0]);
  const firstOf = Int32Array.from([1, 2, 1, 3, 2, 4, 4]);
  const middleOf = Int32Array.from([0, 1, 0, 4, 3, 0, 2]);
  const runs = GivenNameRuns.build({ surnameOf, firstOf, middleOf, surnameCount: 3, givenRank, noGivenName: 0 });

  /** [surname, given name, entries] of every run. */
  const listed = (): [number, number, number[]][] => {
    const all: [number, number, number[]][] = [];
    for (let surname = 0; surname < 3; surname += 1) {
      for (let run = runs.surnameRuns[surname] as number; run < (runs.surnameRuns[surname + 1] as number); run += 1) {
        all.push([surname, runs.runNames[run] as number,
          [...runs.entries.subarray(runs.runStarts[run] as number, runs.runStarts[run + 1] as number)]]);
      }
    }
    return all;
  };

  it('lists each voter under its first name and its middle name, by surname, names in pronunciation order', () => {
    // Surname 0: rows 1 (2/1), 2 (1/-), 4 (2/3), 6 (4/2). Names by rank: 2 (rank 1), 4 (2), 1 (3), 3 (4).
    // Under a name, first names before middle names (~row), rows ascending.
    expect(listed()).to.deep.equal([
      [0, 2, [1, 4, ~6]], [0, 4, [6]], [0, 1, [2, ~1]], [0, 3, [~4]],
      [1, 4, [5]],
      [2, 4, [~3]], [2, 1, [0]], [2, 3, [3]],
    ]);
  });

  it('every row exactly once under its first name, once under a middle name it has, never under the empty name', () => {
    const firsts = new Map<number, number>();
    const middles = new Map<number, number>();
    for (const [surname, name, entries] of listed()) {
      expect(name).to.not.equal(0);
      for (const entry of entries) {
        const row = entry >= 0 ? entry : ~entry;
        expect(surnameOf[row]).to.equal(surname);
        expect(entry >= 0 ? firstOf[row] : middleOf[row]).to.equal(name);
        const seen = entry >= 0 ? firsts : middles;
        seen.set(row, (seen.get(row) ?? 0) + 1);
      }
    }
    expect([...firsts.keys()].sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect([...middles.keys()].sort()).to.deep.equal([1, 3, 4, 6]);
    expect([...firsts.values(), ...middles.values()].every((count) => count === 1)).to.equal(true);
    expect(runs.bytes).to.be.greaterThan(0);
  });
});
