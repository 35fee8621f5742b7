// The nearest words of every word of a vocabulary, kept. The recognizer's name grammars are made of the
// roll's own words, so what it hears is nearly always a roll word: its nearest surnames (or places) are
// the same at every lookup and can be found once (at index build, or on first use) instead of searched
// each time. A list is keyed by the exact pronunciations searched (the same phones in the same order)
// and holds what the lookup's own search returned for them: the answer a lookup would have computed,
// not an approximation. Anything else heard (spelled letters, words off the roll) is searched as before.
import assert from 'node:assert/strict';
import type { Vocabulary, WordMatch } from './vocabulary.js';

/**
 * The search a list stands for: a pure function of the heard pronunciations. With `within`, it may
 * leave out the words farther than that (its answer, cut there, is the same: the lists are nearest first).
 */
export type WordSearch = (heard: readonly Uint8Array[], within?: number) => WordMatch[];

const initialEntries = 1024;
const notYet = -1;

/** The pronunciations, in order, as one string: equal strings are equal inputs to the search. */
function pronunciationKey(pronunciations: readonly Uint8Array[]): string {
  return pronunciations.map((phones) => String.fromCharCode(...phones)).join('|');
}

export class NeighbourLists {
  /** One list per distinct pronunciation sequence: the id of its first word's list. */
  private readonly listOfKey = new Map<string, number>();
  /** `wordOfList[l]`: the word whose pronunciations list l was searched with. */
  private readonly wordOfList: Int32Array;
  /** Where list l starts in the flat arrays, `notYet` until it is found; `lengths[l]` entries. */
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private words = new Int32Array(initialEntries);
  private distances = new Float64Array(initialEntries);
  private used = 0;
  private found = 0;
  /** Lists before this one are all found (findSome's place). */
  private nextToFind = 0;

  constructor(private readonly vocabulary: Vocabulary, private readonly search: WordSearch) {
    const firstWords: number[] = [];
    for (let word = 0; word < vocabulary.size; word += 1) {
      const key = pronunciationKey(vocabulary.pronunciations(word));
      if (this.listOfKey.has(key)) continue;
      this.listOfKey.set(key, firstWords.length);
      firstWords.push(word);
    }
    this.wordOfList = Int32Array.from(firstWords);
    this.starts = new Int32Array(firstWords.length).fill(notYet);
    this.lengths = new Int32Array(firstWords.length);
  }

  /** Distinct pronunciation sequences (lists), and how many are found so far. */
  get listCount(): number {
    return this.wordOfList.length;
  }

  get foundCount(): number {
    return this.found;
  }

  /** Bytes of the lists and their offsets (the key map's strings come on top). */
  get bytes(): number {
    return this.used * (Int32Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT)
      + this.starts.byteLength + this.lengths.byteLength + this.wordOfList.byteLength;
  }

  /**
   * `search(heard)` with only the words within `within` of heard (all by default), from the kept list
   * when the heard pronunciations have one. A caller that can use nothing farther says so: a heard name
   * without a list (a mishearing, "mary smith" read as one surname) is then searched within that
   * limit, which takes a fraction of the time the full search does.
   */
  nearest(heard: readonly Uint8Array[], within = Infinity): WordMatch[] {
    const list = this.listOfKey.get(pronunciationKey(heard));
    if (list === undefined) {
      const found = this.search(heard, within);
      return within === Infinity ? found : found.filter((match) => match.distance <= within);
    }
    this.find(list);
    const start = this.starts[list] as number;
    const length = this.lengths[list] as number;
    const matches: WordMatch[] = [];
    for (let at = start; at < start + length && (this.distances[at] as number) <= within; at += 1) {
      matches.push({ word: this.words[at] as number, distance: this.distances[at] as number });
    }
    return matches;
  }

  /** Finds every list now (index build), so no lookup pays for a search. */
  findAll(): void {
    // At least one: a roll without surnames (no voters) has no lists, and is then found at once.
    while (!this.findSome(Math.max(1, this.listCount))) { /* until every list is found */ }
  }

  /**
   * Finds up to `count` lists not found yet; true once every list is found. A caller that must not
   * block for the whole build (minutes on a roll of millions) finds them a slice at a time.
   */
  findSome(count: number): boolean {
    assert.ok(Number.isSafeInteger(count) && count > 0, `bad list count ${count}`);
    let left = count;
    for (; this.nextToFind < this.listCount && left > 0; this.nextToFind += 1) {
      if (this.starts[this.nextToFind] !== notYet) continue;
      this.find(this.nextToFind);
      left -= 1;
    }
    return this.nextToFind === this.listCount;
  }

  private find(list: number): void {
    if (this.starts[list] !== notYet) return;
    const word = this.wordOfList[list] as number;
    const matches = this.search(this.vocabulary.pronunciations(word));
    while (this.used + matches.length > this.words.length) this.grow();
    this.starts[list] = this.used;
    this.lengths[list] = matches.length;
    for (const match of matches) {
      this.words[this.used] = match.word;
      this.distances[this.used] = match.distance;
      this.used += 1;
    }
    this.found += 1;
  }

  private grow(): void {
    const words = new Int32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    const distances = new Float64Array(this.distances.length * 2);
    distances.set(this.distances);
    this.distances = distances;
  }
}
