// The voter rows one lookup reads, with their cost in each hypothesis, in flat typed arrays. A common
// surname said without a place reads tens of thousands of rows on a large roll: a Map entry per row
// per hypothesis, and a tuple per row to combine and rank them, were most of what that cost.
import assert from 'node:assert/strict';

const initialSlots = 256;

export class RowCosts {
  private rowList = new Int32Array(initialSlots);
  /** `costList[slot * hypotheses + h]`: the row's cost in hypothesis h, Infinity when h did not read it. */
  private costList: Float64Array;
  /** Rows kept so far; slots 0…count-1. */
  count = 0;
  /** The smallest cost kept so far, in any hypothesis. */
  cheapest = Infinity;
  /** (row, hypothesis) pairs kept at cost 0, the least a row can cost: each counted once. */
  zeroCosts = 0;
  /**
   * With `ranked` k: the k smallest costs rows were first kept at, ascending (Infinity until k rows are).
   * A row kept cheaper later stays at its first cost here, so the last one is at least the k-th smallest
   * cost of the rows kept: a bound that only ever errs on the side of reading more.
   */
  private readonly firstCosts: Float64Array;

  /**
   * `slotOfRow` is scratch the size of the roll, -1 everywhere; this table marks the rows it keeps
   * there and `release` puts the -1s back (so lookups share one array and never clear all of it).
   */
  constructor(private readonly slotOfRow: Int32Array, readonly hypotheses: number, ranked = 0) {
    assert.ok(hypotheses >= 1, 'a lookup has a hypothesis');
    this.costList = new Float64Array(initialSlots * hypotheses).fill(Infinity);
    this.firstCosts = new Float64Array(ranked).fill(Infinity);
  }

  /**
   * At least `ranked` rows (of the constructor) cost this or less: Infinity until that many are kept,
   * and with ranked 0.
   */
  get rankedCost(): number {
    const ranked = this.firstCosts.length;
    return ranked === 0 ? Infinity : this.firstCosts[ranked - 1] as number;
  }

  /** Keeps the smaller of the row's cost so far in the hypothesis and `cost`. */
  keep(hypothesis: number, row: number, cost: number): void {
    let slot = this.slotOfRow[row] as number;
    if (slot < 0) {
      slot = this.count;
      if (slot === this.rowList.length) this.grow();
      this.rowList[slot] = row;
      this.slotOfRow[row] = slot;
      this.count += 1;
      this.rank(cost);
    }
    const at = slot * this.hypotheses + hypothesis;
    if (cost < (this.costList[at] as number)) {
      this.costList[at] = cost;
      if (cost === 0) this.zeroCosts += 1;
    }
    if (cost < this.cheapest) this.cheapest = cost;
  }

  /** Inserts a first-kept cost among the k smallest, when it is one of them. */
  private rank(cost: number): void {
    const firstCosts = this.firstCosts;
    let at = firstCosts.length;
    if (at === 0 || cost >= (firstCosts[at - 1] as number)) return;
    at -= 1;
    while (at > 0 && (firstCosts[at - 1] as number) > cost) {
      firstCosts[at] = firstCosts[at - 1] as number;
      at -= 1;
    }
    firstCosts[at] = cost;
  }

  row(slot: number): number {
    return this.rowList[slot] as number;
  }

  /** The row's cost in the hypothesis; Infinity when that hypothesis did not read it. */
  cost(slot: number, hypothesis: number): number {
    return this.costList[slot * this.hypotheses + hypothesis] as number;
  }

  /** Puts the -1s back in the shared scratch; the table is empty afterwards. */
  release(): void {
    for (let slot = 0; slot < this.count; slot += 1) this.slotOfRow[this.rowList[slot] as number] = -1;
    this.count = 0;
    this.cheapest = Infinity;
    this.zeroCosts = 0;
    this.firstCosts.fill(Infinity);
  }

  private grow(): void {
    const rows = new Int32Array(this.rowList.length * 2);
    rows.set(this.rowList);
    this.rowList = rows;
    const costs = new Float64Array(this.costList.length * 2).fill(Infinity);
    costs.set(this.costList);
    this.costList = costs;
  }
}
