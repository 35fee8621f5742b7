// One field's distinct words (surnames, given names, cities, counties), interned to small integers,
// each with its pronunciations encoded once. A vocabulary can index its words by phonetic keys, so a
// heard word finds its near-homophones without comparing it with every word of the roll.
import assert from 'node:assert/strict';
import type { Lexicon } from '../lexicon/lexicon.js';
import { nearestWords } from './nearest-words.js';
import type { NearestLimits } from './nearest-words.js';
import { comparedPhonesMax, encodePhones, phoneDistance, phoneticKeys, queryKeys } from './phone-distance.js';
import { ReadMarks } from './read-marks.js';
import type { FlatPronunciations } from './shared-prefix-distance.js';
import { spellingPhones } from './spelling-phones.js';

/** Words measured first on each side of a heard pronunciation in its own skeleton's run (nearestFew). */
const seedsAround = 8;
/** Multi-word names ("van dyke", "des moines") keep at most this many combined pronunciations. */
const pronunciationsPerWordMax = 4;

/** Pronunciations of a name of one or more words (split on spaces and hyphens), as phone ids. */
export function pronounce(text: string, lexicon: Lexicon): Uint8Array[] {
  const parts = text.split(/[\s-]+/).filter((part) => part.length > 0);
  let combined: string[][] = [[]];
  for (const part of parts) {
    const known = lexicon.pronunciations(part);
    const options = known.length > 0 ? known : [spellingPhones(part)];
    const next: string[][] = [];
    for (const prefix of combined) {
      for (const option of options) if (next.length < pronunciationsPerWordMax) next.push([...prefix, ...option]);
    }
    combined = next;
  }
  return combined.filter((phones) => phones.length > 0).map((phones) => encodePhones(phones));
}

export interface WordMatch {
  readonly word: number;
  /** 0..1 (phone-distance.ts). */
  readonly distance: number;
}

/** Every pronunciation of a vocabulary, flat, its words in pronunciation order. */
export interface PronunciationLayout {
  readonly flat: FlatPronunciations;
  /** A word's pronunciations in `flat`: `firstPronunciation[word]…endPronunciation[word]`. */
  readonly firstPronunciation: Int32Array;
  readonly endPronunciation: Int32Array;
  /** Each word's place when words are sorted by their first pronunciation (then by id). */
  readonly rank: Int32Array;
}

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private pronunciationList: Uint8Array[][] = [];
  /** Postings sorted by phonetic key: `postingWords[i]` has key `postingKeys[i]`. Built by `indexPhones`. */
  private postingKeys: Float64Array | null = null;
  private postingWords: Int32Array | null = null;
  /** Leading phones each posting's first pronunciation shares with the one before it in its key's run. */
  private postingShared: Uint8Array | null = null;
  private seen = new ReadMarks(0);
  /** Every pronunciation, flat and sorted, for `nearestFew`. Built by `layOut` (and `indexPhones`). */
  private flat: PronunciationLayout | null = null;

  /** The word's id, interning it on first sight. */
  intern(text: string): number {
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    const id = this.texts.length;
    this.ids.set(text, id);
    this.texts.push(text);
    return id;
  }

  idOf(text: string): number | undefined {
    return this.ids.get(text);
  }

  text(id: number): string {
    const text = this.texts[id];
    assert.ok(text !== undefined, `no word ${id}`);
    return text;
  }

  get size(): number {
    return this.texts.length;
  }

  pronunciations(id: number): readonly Uint8Array[] {
    return this.pronunciationList[id] ?? [];
  }

  /**
   * pronounce(text, lexicon), read from the vocabulary when it has the word (pronounceAll made it the
   * same way): a lookup pronounces the name heard and every nickname of it, mostly roll words.
   */
  pronounced(text: string, lexicon: Lexicon): readonly Uint8Array[] {
    const id = this.ids.get(text);
    const known = id === undefined ? undefined : this.pronunciationList[id];
    return known ?? pronounce(text, lexicon);
  }

  /** Looks every word up in the lexicon; call once after interning, before matching. */
  pronounceAll(lexicon: Lexicon): void {
    this.pronunciationList = this.texts.map((text) => pronounce(text, lexicon));
  }

  /** Builds the phonetic-key postings, so `nearest` reads only words that share a key with the query. */
  indexPhones(): void {
    assert.equal(this.pronunciationList.length, this.texts.length, 'pronounceAll comes first');
    const pairs: [number, number][] = [];
    this.pronunciationList.forEach((pronunciations, word) => {
      const keys = new Set(pronunciations.flatMap((phones) => phoneticKeys(phones)));
      for (const key of keys) pairs.push([key, word]);
    });
    // Within a key, words in pronunciation order: neighbours share their first phones, and
    // nearestFew's tables share those rows (shared-prefix-distance.ts).
    const layout = this.layOut();
    const rank = layout.rank;
    pairs.sort((a, b) => a[0] - b[0] || (rank[a[1]] as number) - (rank[b[1]] as number));
    this.postingKeys = Float64Array.from(pairs, (pair) => pair[0]);
    this.postingWords = Int32Array.from(pairs, (pair) => pair[1]);
    this.seen = new ReadMarks(this.texts.length);
    this.postingShared = this.sharedWithPrevious(this.postingKeys, this.postingWords, layout);
  }

  /** The pronunciations laid out flat in pronunciation order (made once, after pronounceAll). */
  layOut(): PronunciationLayout {
    assert.equal(this.pronunciationList.length, this.texts.length, 'pronounceAll comes first');
    this.flat ??= this.flatPronunciations(this.pronunciationRanks());
    return this.flat;
  }

  /** For each posting, the leading phones its first pronunciation shares with the previous posting's. */
  private sharedWithPrevious(keys: Float64Array, words: Int32Array, flat: PronunciationLayout):
    Uint8Array {
    const { phones, starts } = flat.flat;
    const shared = new Uint8Array(words.length);
    for (let posting = 1; posting < words.length; posting += 1) {
      if (keys[posting] !== keys[posting - 1]) continue;
      const before = flat.firstPronunciation[words[posting - 1] as number] as number;
      const here = flat.firstPronunciation[words[posting] as number] as number;
      const beforeStart = starts[before] as number;
      const hereStart = starts[here] as number;
      const length = Math.min((starts[before + 1] as number) - beforeStart, (starts[here + 1] as number) - hereStart);
      let depth = 0;
      while (depth < length && phones[beforeStart + depth] === phones[hereStart + depth]) depth += 1;
      shared[posting] = depth;
    }
    return shared;
  }

  /** The pronunciations laid out flat, words in `rank` order. */
  private flatPronunciations(rank: Int32Array): PronunciationLayout {
    const order = new Int32Array(rank.length);
    rank.forEach((place, word) => { order[place] = word; });
    let phoneTotal = 0;
    let pronunciationTotal = 0;
    for (const list of this.pronunciationList) {
      pronunciationTotal += list.length;
      for (const phones of list) phoneTotal += Math.min(phones.length, comparedPhonesMax);
    }
    const phones = new Uint8Array(phoneTotal);
    const starts = new Int32Array(pronunciationTotal + 1);
    const firstPronunciation = new Int32Array(rank.length);
    const endPronunciation = new Int32Array(rank.length);
    let pronunciation = 0;
    for (const word of order) {
      firstPronunciation[word] = pronunciation;
      for (const wordPhones of this.pronunciations(word)) {
        const kept = wordPhones.subarray(0, comparedPhonesMax);
        phones.set(kept, starts[pronunciation] as number);
        starts[pronunciation + 1] = (starts[pronunciation] as number) + kept.length;
        pronunciation += 1;
      }
      endPronunciation[word] = pronunciation;
    }
    let longest = 0;
    for (let at = 0; at < pronunciationTotal; at += 1) {
      longest = Math.max(longest, (starts[at + 1] as number) - (starts[at] as number));
    }
    return { flat: { phones, starts, longest }, firstPronunciation, endPronunciation, rank };
  }

  /** Each word's place when words are sorted by their first pronunciation (then by id). */
  private pronunciationRanks(): Int32Array {
    const first = this.pronunciationList.map((list) => list[0] ?? new Uint8Array(0));
    const order = Int32Array.from(first.keys()).sort((a, b) => {
      const left = first[a] as Uint8Array;
      const right = first[b] as Uint8Array;
      const shared = Math.min(left.length, right.length);
      for (let at = 0; at < shared; at += 1) {
        const difference = (left[at] as number) - (right[at] as number);
        if (difference !== 0) return difference;
      }
      return left.length - right.length || a - b;
    });
    const rank = new Int32Array(order.length);
    order.forEach((word, place) => { rank[word] = place; });
    return rank;
  }

  /** Words within `distanceMax` of any of the heard pronunciations, nearest first. */
  nearest(heard: readonly Uint8Array[], distanceMax: number): WordMatch[] {
    const shortlist = this.postingKeys === null ? this.texts.map((_, id) => id) : this.shortlist(heard);
    const matches: WordMatch[] = [];
    for (const word of shortlist) {
      const distance = this.distanceTo(word, heard, distanceMax);
      if (distance <= distanceMax) matches.push({ word, distance });
    }
    return matches.sort((a, b) => a.distance - b.distance || a.word - b.word);
  }

  /**
   * The first `countMax` of `nearest(heard, distanceMax)` that are within `spread` of the first, found
   * without measuring every word sharing a key (nearest-words.ts).
   */
  nearestFew(heard: readonly Uint8Array[], limits: NearestLimits): WordMatch[] {
    const flat = this.flat;
    assert.ok(flat !== null && this.postingShared !== null, 'indexPhones comes first');
    return nearestWords({
      ...flat,
      postingWords: this.postingWords as Int32Array,
      postingShared: this.postingShared,
      seen: this.seen.stamps,
      seenStamp: this.seen.open(),
      distanceTo: (word) => this.distanceTo(word, heard, limits.distanceMax),
    }, this.keyRuns(heard), heard, limits, this.seeds(heard));
  }

  /**
   * Words whose first pronunciation sorts next to a heard one within the run of its own consonant
   * skeleton: the heard word itself when the roll has it, and words sharing its first phones.
   */
  private seeds(heard: readonly Uint8Array[]): number[] {
    const keys = this.postingKeys as Float64Array;
    const words = this.postingWords as Int32Array;
    const seeds: number[] = [];
    for (const phones of heard) {
      const key = phoneticKeys(phones)[0] as number;
      let low = lowerBound(keys, key);
      let high = low;
      while (high < keys.length && keys[high] === key) high += 1;
      const runStart = low;
      const runEnd = high;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.comparePronunciation(words[middle] as number, phones) < 0) low = middle + 1;
        else high = middle;
      }
      const from = Math.max(runStart, low - seedsAround);
      const to = Math.min(runEnd, low + seedsAround);
      for (let posting = from; posting < to; posting += 1) seeds.push(words[posting] as number);
    }
    return seeds;
  }

  /** The word's first pronunciation against `phones`, in the postings' order (shorter first on a tie). */
  private comparePronunciation(word: number, phones: Uint8Array): number {
    const { flat, firstPronunciation } = this.flat as PronunciationLayout;
    const pronunciation = firstPronunciation[word] as number;
    const start = flat.starts[pronunciation] as number;
    const length = (flat.starts[pronunciation + 1] as number) - start;
    const compared = Math.min(phones.length, comparedPhonesMax);
    const shared = Math.min(length, compared);
    for (let at = 0; at < shared; at += 1) {
      const difference = (flat.phones[start + at] as number) - (phones[at] as number);
      if (difference !== 0) return difference;
    }
    return length - compared;
  }

  /** The posting ranges of every query key of the heard pronunciations (the shortlist's keys, in its order). */
  private keyRuns(heard: readonly Uint8Array[]): [number, number][] {
    const keys = this.postingKeys as Float64Array;
    const runs: [number, number][] = [];
    for (const key of new Set(heard.flatMap((phones) => queryKeys(phones)))) {
      const start = lowerBound(keys, key);
      let end = start;
      while (end < keys.length && keys[end] === key) end += 1;
      if (end > start) runs.push([start, end]);
    }
    return runs;
  }

  /** Smallest distance between any pronunciation of the word and any heard pronunciation. */
  distanceTo(word: number, heard: readonly Uint8Array[], limit = 1): number {
    let best = 1;
    for (const phones of this.pronunciations(word)) {
      for (const query of heard) best = Math.min(best, phoneDistance(query, phones, Math.min(limit, best)));
    }
    return best;
  }

  /**
   * False only when the word is surely farther than `limit` from every heard pronunciation: each edit
   * distance stops as soon as it is past the limit (a cheap check before an exact `distanceTo`).
   */
  mayBeWithin(word: number, heard: readonly Uint8Array[], limit: number): boolean {
    if (limit < 0) return false;
    for (const phones of this.pronunciations(word)) {
      for (const query of heard) if (phoneDistance(query, phones, limit) <= limit) return true;
    }
    return false;
  }

  /** Words sharing a phonetic key with any heard pronunciation (each once). */
  private shortlist(heard: readonly Uint8Array[]): number[] {
    const keys = this.postingKeys as Float64Array;
    const words = this.postingWords as Int32Array;
    const found: number[] = [];
    const seen = this.seen.stamps;
    const stamp = this.seen.open();
    for (const key of new Set(heard.flatMap((phones) => queryKeys(phones)))) {
      for (let index = lowerBound(keys, key); index < keys.length && keys[index] === key; index += 1) {
        const word = words[index] as number;
        if (seen[word] !== stamp) {
          seen[word] = stamp;
          found.push(word);
        }
      }
    }
    return found;
  }
}

function lowerBound(values: Float64Array, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
