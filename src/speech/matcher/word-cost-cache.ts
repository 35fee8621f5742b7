// A cost per word of a vocabulary (how far a given name on the roll is from the one heard), remembered
// for one reading of one lookup. Tens of thousands of voter rows share a few thousand given names,
// so each is measured once; a typed array the size of the vocabulary, shared by every reading, does
// that without a Map lookup per row. Each reading writes under its own stamp, so entries another
// reading left are never taken for its own.
import assert from 'node:assert/strict';

export class WordCostCache {
  private readonly costs: Float64Array;
  private readonly stamps: Int32Array;
  private lastStamp = 0;

  constructor(readonly size: number) {
    this.costs = new Float64Array(size);
    this.stamps = new Int32Array(size);
  }

  /** A stamp for a new reading: nothing is remembered under it yet. */
  open(): number {
    if (this.lastStamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.lastStamp = 0;
    }
    this.lastStamp += 1;
    return this.lastStamp;
  }

  /** The cost remembered under the stamp, or NaN. */
  get(stamp: number, word: number): number {
    return this.stamps[word] === stamp ? this.costs[word] as number : Number.NaN;
  }

  set(stamp: number, word: number, cost: number): void {
    assert.ok(word >= 0 && word < this.size, `no word ${word}`);
    this.stamps[word] = stamp;
    this.costs[word] = cost;
  }
}
