// A cheap, safe "may be near" test for many roll words against one heard pronunciation. The edit-
// distance table is laid out with the roll word down the side, so consecutive words that start with
// the same phones share the rows of that prefix: listed in pronunciation order (as the postings are),
// most words cost a row or two instead of a whole table. A row already past the limit ends the word
// (costs only grow down the table), and rows stay valid for the next word sharing that prefix.
import { comparedPhonesMax, indelCosts, phoneCount, substitutionCosts } from './phone-distance.js';

/**
 * Pronunciations stored flat, one after another (sorted, so neighbours share prefixes and the memory
 * read is one small array, not an object per pronunciation): `phones[starts[p]…starts[p+1]]`.
 */
export interface FlatPronunciations {
  readonly phones: Uint8Array;
  readonly starts: Int32Array;
}

/** The cheapest an extra phone can be (phone-distance.ts: a reduced vowel). */
const cheapestIndel = Math.min(...indelCosts);

export class SharedPrefixDistance {
  private readonly heardLength: number;
  private readonly width: number;
  /** Row d: the first d phones of the previous word against every prefix of the heard phones. */
  private readonly rows: Float64Array;
  /** The smallest cell of each row (never shrinks from one row to the next). */
  private readonly rowMinimums: Float64Array;
  /** The previous word: `pronunciations.phones[previous…]`. */
  private previous = 0;
  /** Rows 0…computed are valid for the previous word. */
  private computed = 0;

  constructor(private readonly heard: Uint8Array, private readonly pronunciations: FlatPronunciations) {
    this.heardLength = Math.min(heard.length, comparedPhonesMax);
    this.width = this.heardLength + 1;
    this.rows = new Float64Array((comparedPhonesMax + 1) * this.width);
    this.rowMinimums = new Float64Array(comparedPhonesMax + 1);
    for (let column = 1; column <= this.heardLength; column += 1) {
      this.rows[column] = (this.rows[column - 1] as number) + (indelCosts[heard[column - 1] as number] as number);
    }
  }

  /**
   * False only when phoneDistance(heard, phones) is surely above `limit` (the table sums the same
   * costs, in double precision; callers add a margin for the single-precision original).
   */
  mayBeWithin(pronunciation: number, limit: number): boolean {
    const { phones, starts } = this.pronunciations;
    const start = starts[pronunciation] as number;
    const length = Math.min((starts[pronunciation + 1] as number) - start, comparedPhonesMax);
    const heardLength = this.heardLength;
    if (length === 0 || heardLength === 0) return length === heardLength || limit >= 1;
    const longer = Math.max(length, heardLength);
    if ((Math.abs(length - heardLength) * cheapestIndel) / longer > limit) return false;
    const costLimit = limit * longer;
    let depth = 0;
    const shareable = Math.min(this.computed, length);
    const previous = this.previous;
    while (depth < shareable && phones[previous + depth] === phones[start + depth]) depth += 1;
    this.previous = start;
    this.computed = depth;
    if (depth > 0 && ((this.rowMinimums[depth] as number) > costLimit || this.pathBound(depth, length) > costLimit)) {
      return false;
    }
    const rows = this.rows;
    const width = this.width;
    const heard = this.heard;
    while (depth < length) {
      const phone = phones[start + depth] as number;
      const above = depth * width;
      const here = above + width;
      const insert = indelCosts[phone] as number;
      const substitutions = phone * phoneCount;
      let cell = (rows[above] as number) + insert;
      rows[here] = cell;
      let rowMinimum = cell;
      for (let column = 1; column <= heardLength; column += 1) {
        const heardPhone = heard[column - 1] as number;
        const substitution = substitutionCosts[substitutions + heardPhone] as number;
        const substitute = (rows[above + column - 1] as number) + substitution;
        const down = (rows[above + column] as number) + insert;
        const across = cell + (indelCosts[heardPhone] as number);
        cell = substitute < down ? substitute : down;
        if (across < cell) cell = across;
        rows[here + column] = cell;
        if (cell < rowMinimum) rowMinimum = cell;
      }
      depth += 1;
      this.rowMinimums[depth] = rowMinimum;
      this.computed = depth;
      if (rowMinimum > costLimit || this.pathBound(depth, length) > costLimit) return false;
    }
    return (rows[length * width + heardLength] as number) <= costLimit;
  }

  /**
   * The least a whole table can cost through row `depth` for a word of `length` phones: a path
   * leaves the row at some cell, and from there the phones left on the two sides differ by a gap
   * that takes at least the cheapest insertion per phone. Far tighter than the row's minimum
   * when a long name is heard and a short word read (or the reverse).
   */
  private pathBound(depth: number, length: number): number {
    const rows = this.rows;
    const here = depth * this.width;
    const wordLeft = length - depth;
    let bound = Infinity;
    for (let column = 0; column <= this.heardLength; column += 1) {
      const cost = (rows[here + column] as number) + Math.abs(wordLeft - (this.heardLength - column)) * cheapestIndel;
      if (cost < bound) bound = cost;
    }
    return bound;
  }
}
