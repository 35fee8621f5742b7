// Voter rows of each surname grouped by given name, the given names in pronunciation order. A common
// surname said without a place has thousands of voters on a large roll, and what a lookup spent its
// time on was measuring each of their distinct given names against the one heard and its nicknames.
// Grouped this way a given name is tested once for all its voters, and names next to each other share
// the first rows of their edit-distance tables (shared-prefix-distance.ts), so most are ruled out in a
// row or two. A voter is listed twice: under the first name, and under the middle name (callers use
// theirs as a first name), so either one fitting the name heard finds the voter.
import assert from 'node:assert/strict';

export interface GivenNameColumns {
  readonly surnameOf: Int32Array;
  readonly firstOf: Int32Array;
  readonly middleOf: Int32Array;
  readonly surnameCount: number;
  /** A given name's place in pronunciation order (Vocabulary.layOut().rank). */
  readonly givenRank: Int32Array;
  /** The empty given name's id (no middle name), when the roll has it: not listed under it. */
  readonly noGivenName?: number;
}

export class GivenNameRuns {
  private constructor(
    /** A voter row listed under its first name, or `~row` (negative) listed under its middle name. */
    readonly entries: Int32Array,
    /** Run r is `entries[runStarts[r]…runStarts[r+1]]`: every voter of one surname listed under one given name. */
    readonly runStarts: Int32Array,
    /** The given name of run r. */
    readonly runNames: Int32Array,
    /** The runs of surname s are `surnameRuns[s]…surnameRuns[s+1]`, in the given names' pronunciation order. */
    readonly surnameRuns: Int32Array,
  ) {}

  static build(columns: GivenNameColumns): GivenNameRuns {
    const { surnameOf, firstOf, middleOf, surnameCount, givenRank, noGivenName } = columns;
    const rows = surnameOf.length;
    let middles = 0;
    for (let row = 0; row < rows; row += 1) if (middleOf[row] !== noGivenName) middles += 1;
    // Listed by row: every first name, then every middle name, so a run holds its first names first.
    const listed = new Int32Array(rows + middles);
    for (let row = 0; row < rows; row += 1) listed[row] = row;
    let at = rows;
    for (let row = 0; row < rows; row += 1) if (middleOf[row] !== noGivenName) listed[at++] = ~row;
    const nameOf = (entry: number): number => (entry >= 0 ? firstOf[entry] : middleOf[~entry]) as number;
    // Two stable counting sorts: by the given name's rank, then by surname.
    const byName = countingSort(listed, (entry) => givenRank[nameOf(entry)] as number, givenRank.length);
    const entries = countingSort(byName, (entry) => surnameOf[entry >= 0 ? entry : ~entry] as number, surnameCount);
    const runStarts: number[] = [];
    const runNames: number[] = [];
    const surnameRuns = new Int32Array(surnameCount + 1);
    let surname = -1;
    let name = -1;
    for (let index = 0; index < entries.length; index += 1) {
      const entry = entries[index] as number;
      const entrySurname = surnameOf[entry >= 0 ? entry : ~entry] as number;
      const entryName = nameOf(entry);
      if (entrySurname === surname && entryName === name) continue;
      assert.ok(entrySurname >= surname, 'entries are grouped by surname');
      while (surname < entrySurname) surnameRuns[++surname] = runStarts.length;
      name = entryName;
      runStarts.push(index);
      runNames.push(entryName);
    }
    while (surname < surnameCount) surnameRuns[++surname] = runStarts.length;
    runStarts.push(entries.length);
    return new GivenNameRuns(entries, Int32Array.from(runStarts), Int32Array.from(runNames), surnameRuns);
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    return this.entries.byteLength + this.runStarts.byteLength + this.runNames.byteLength + this.surnameRuns.byteLength;
  }
}

function countingSort(values: Int32Array, keyOf: (value: number) => number, keyCount: number): Int32Array {
  const starts = new Int32Array(keyCount + 1);
  for (const value of values) {
    const key = keyOf(value);
    starts[key + 1] = (starts[key + 1] as number) + 1;
  }
  for (let key = 0; key < keyCount; key += 1) starts[key + 1] = (starts[key + 1] as number) + (starts[key] as number);
  const sorted = new Int32Array(values.length);
  for (const value of values) {
    const key = keyOf(value);
    sorted[starts[key] as number] = value;
    starts[key] = (starts[key] as number) + 1;
  }
  return sorted;
}
