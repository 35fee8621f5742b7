// Which words one search has read already. A search marks every word it reads (a word sits in several
// of the key runs it walks) and would have to clear those marks afterwards; a list of the tens of
// thousands it read, only to clear them, was a fifth of an off-roll surname search. Each search marks
// with a stamp of its own instead, so nothing is cleared and no list is kept.
export class ReadMarks {
  /** `stamps[word] === stamp`: the word was read by the search holding that stamp. */
  readonly stamps: Int32Array;
  private lastStamp = 0;

  /** `stampMax`: the last stamp before all are cleared and numbering starts again (small only in tests). */
  constructor(size: number, private readonly stampMax = 0x7fffffff) {
    this.stamps = new Int32Array(size);
  }

  /** A stamp for a new search: no word carries it yet. */
  open(): number {
    if (this.lastStamp >= this.stampMax) {
      this.stamps.fill(0);
      this.lastStamp = 0;
    }
    this.lastStamp += 1;
    return this.lastStamp;
  }
}
