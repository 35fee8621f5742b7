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
  /** The most phones of any one pronunciation (at most comparedPhonesMax): a table needs no more rows. */
  readonly longest: number;
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
  /**
   * Per row, for `pathBound` in constant time: `afterMinimums[c]` is the least of `cell[c'] + c' * cheapestIndel`
   * over c' >= c, `beforeMinimums[c]` the least of `cell[c'] - c' * cheapestIndel` over c' <= c.
   */
  private readonly afterMinimums: Float64Array;
  private readonly beforeMinimums: Float64Array;
  /** `substitutionRows[phone * width + column]`: the cost of the phone for heard phone column-1 (column >= 1). */
  private readonly substitutionRows: Float64Array;
  /** `heardIndels[column]`: the cost of leaving heard phone column-1 out. */
  private readonly heardIndels: Float64Array;
  /** The previous word: `pronunciations.phones[previous…]`. */
  private previous = 0;
  /** Rows 0…computed are valid for the previous word. */
  private computed = 0;

  constructor(private readonly heard: Uint8Array, private readonly pronunciations: FlatPronunciations) {
    this.heardLength = Math.min(heard.length, comparedPhonesMax);
    this.width = this.heardLength + 1;
    // Rows for the longest word read, not for comparedPhonesMax: a lookup makes a table for every
    // pronunciation heard (and every nickname of a given name), so their size is most of what it allocates.
    const depthMax = Math.min(pronunciations.longest, comparedPhonesMax);
    const size = (depthMax + 1) * this.width;
    this.rows = new Float64Array(size);
    this.afterMinimums = new Float64Array(size);
    this.beforeMinimums = new Float64Array(size);
    this.rowMinimums = new Float64Array(depthMax + 1);
    this.substitutionRows = new Float64Array(phoneCount * this.width);
    this.heardIndels = new Float64Array(this.width);
    for (let column = 1; column <= this.heardLength; column += 1) {
      const heardPhone = heard[column - 1] as number;
      this.heardIndels[column] = indelCosts[heardPhone] as number;
      for (let phone = 0; phone < phoneCount; phone += 1) {
        const cost = substitutionCosts[phone * phoneCount + heardPhone] as number;
        this.substitutionRows[phone * this.width + column] = cost;
      }
    }
    for (let column = 1; column <= this.heardLength; column += 1) {
      this.rows[column] = (this.rows[column - 1] as number) + (indelCosts[heard[column - 1] as number] as number);
    }
    this.summarizeBefore(0);
    this.summarizeAfter(0);
  }

  /** Heard phones compared (the table's width less one). */
  get heardPhones(): number {
    return this.heardLength;
  }

  /** True when the table's rows are those of this pronunciation (a length gap alone rules out unread). */
  holdsRowsOf(pronunciation: number): boolean {
    return this.previous === this.pronunciations.starts[pronunciation];
  }

  /**
   * True when `mayBeWithin` would rule out, without a new row, a word of `length` phones whose first
   * `shared` phones are those of the pronunciation whose rows the table holds; the table is untouched.
   */
  rulesOut(shared: number, length: number, limit: number): boolean {
    const heardLength = this.heardLength;
    const longer = length > heardLength ? length : heardLength;
    if ((Math.abs(length - heardLength) * cheapestIndel) / longer > limit) return true;
    let depth = shared < this.computed ? shared : this.computed;
    if (length < depth) depth = length;
    if (depth === 0) return false;
    const costLimit = limit * longer;
    return (this.rowMinimums[depth] as number) > costLimit || this.pathBound(depth, length) > costLimit;
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
    const substitutionRows = this.substitutionRows;
    const heardIndels = this.heardIndels;
    const beforeMinimums = this.beforeMinimums;
    while (depth < length) {
      const phone = phones[start + depth] as number;
      const above = depth * width;
      const here = above + width;
      const insert = indelCosts[phone] as number;
      const substitutions = phone * width;
      let cell = (rows[above] as number) + insert;
      rows[here] = cell;
      let rowMinimum = cell;
      let before = cell;
      beforeMinimums[here] = before;
      for (let column = 1; column <= heardLength; column += 1) {
        const substitute = (rows[above + column - 1] as number) + (substitutionRows[substitutions + column] as number);
        const down = (rows[above + column] as number) + insert;
        const across = cell + (heardIndels[column] as number);
        cell = substitute < down ? substitute : down;
        if (across < cell) cell = across;
        rows[here + column] = cell;
        if (cell < rowMinimum) rowMinimum = cell;
        const shifted = cell - column * cheapestIndel;
        if (shifted < before) before = shifted;
        beforeMinimums[here + column] = before;
      }
      depth += 1;
      this.rowMinimums[depth] = rowMinimum;
      this.summarizeAfter(depth);
      this.computed = depth;
      if (rowMinimum > costLimit || this.pathBound(depth, length) > costLimit) return false;
    }
    return (rows[length * width + heardLength] as number) <= costLimit;
  }

  /** Fills the row's `beforeMinimums` (the row loop of `mayBeWithin` does that itself as it goes). */
  private summarizeBefore(depth: number): void {
    const rows = this.rows;
    const here = depth * this.width;
    let before = Infinity;
    for (let column = 0; column <= this.heardLength; column += 1) {
      const value = (rows[here + column] as number) - column * cheapestIndel;
      if (value < before) before = value;
      this.beforeMinimums[here + column] = before;
    }
  }

  /** Fills the row's `afterMinimums`. */
  private summarizeAfter(depth: number): void {
    const rows = this.rows;
    const here = depth * this.width;
    const heardLength = this.heardLength;
    let after = Infinity;
    for (let column = heardLength; column >= 0; column -= 1) {
      const value = (rows[here + column] as number) + column * cheapestIndel;
      if (value < after) after = value;
      this.afterMinimums[here + column] = after;
    }
  }

  /**
   * The least a whole table can cost through row `depth` for a word of `length` phones: a path
   * leaves the row at some cell, and from there the phones left on the two sides differ by a gap
   * that takes at least the cheapest insertion per phone. Far tighter than the row's minimum
   * when a long name is heard and a short word read (or the reverse). The gap from column c is
   * |gap + c| with gap = phones left in the word less heard phones: columns from -gap on add
   * `gap` insertions to `cell + c * cheapestIndel`, those before subtract them from `cell - c * cheapestIndel`.
   */
  private pathBound(depth: number, length: number): number {
    const here = depth * this.width;
    const heardLength = this.heardLength;
    const gap = length - depth - heardLength;
    const split = -gap;
    const shift = gap * cheapestIndel;
    if (split <= 0) return (this.afterMinimums[here] as number) + shift;
    if (split > heardLength) return (this.beforeMinimums[here + heardLength] as number) - shift;
    const after = (this.afterMinimums[here + split] as number) + shift;
    const before = (this.beforeMinimums[here + split - 1] as number) - shift;
    return after < before ? after : before;
  }
}
