// The few words nearest to a heard pronunciation, without a full edit distance for most candidates.
// A lookup keeps only the nearest dozen surnames (and only those close to the nearest one), so once
// a dozen near words are known, every candidate that cannot beat them only needs to be shown past
// them: a shared-prefix table (shared-prefix-distance.ts) does that in a row or two for most, and
// most words of a key's run are ruled out without reading them at all, since the run is sorted and
// the rows they share with the last word read are already past the limit. Only the words that may
// be near are measured, by the same call a full search makes (`distanceTo` with the full limit), so
// the answer is the full search's answer, found sooner.
import assert from 'node:assert/strict';
import { comparedPhonesMax } from './phone-distance.js';
import { SharedPrefixDistance } from './shared-prefix-distance.js';
import type { FlatPronunciations } from './shared-prefix-distance.js';
import type { WordMatch } from './vocabulary.js';

export interface NearestLimits {
  /** No word farther than this. */
  readonly distanceMax: number;
  /** At most this many words, the nearest (ties by word id). */
  readonly countMax: number;
  /** No word farther than the nearest one by more than this. */
  readonly spread: number;
}

/**
 * The shared-prefix table sums the same costs as phoneDistance in double rather than single
 * precision: a margin far above rounding keeps a word right at the limit from being cut early.
 */
const limitSlack = 1e-4;
/** Keeps the verified words and the distance past which no candidate can matter any more. */
class Kept {
  readonly words: WordMatch[] = [];
  /** The `countMax` nearest verified distances, ascending. */
  private readonly nearest: number[] = [];

  constructor(private readonly limits: NearestLimits) {}

  add(match: WordMatch): void {
    this.words.push(match);
    const nearest = this.nearest;
    let at = nearest.length;
    while (at > 0 && (nearest[at - 1] as number) > match.distance) at -= 1;
    nearest.splice(at, 0, match.distance);
    if (nearest.length > this.limits.countMax) nearest.pop();
  }

  /** Words farther than this are not among the answer (ties are still kept). */
  get threshold(): number {
    const { distanceMax, countMax, spread } = this.limits;
    let threshold = distanceMax;
    const first = this.nearest[0];
    if (first !== undefined) threshold = Math.min(threshold, first + spread);
    if (this.nearest.length === countMax) threshold = Math.min(threshold, this.nearest[countMax - 1] as number);
    return threshold;
  }

  answer(): WordMatch[] {
    const sorted = this.words.sort((a, b) => a.distance - b.distance || a.word - b.word);
    const nearest = sorted[0]?.distance ?? 0;
    return sorted.slice(0, this.limits.countMax).filter((match) => match.distance <= nearest + this.limits.spread);
  }
}

/** What the search asks of the vocabulary. */
export interface WordSource {
  readonly flat: FlatPronunciations;
  /** The word's pronunciations in `flat`: `firstPronunciation[word]…endPronunciation[word]`. */
  readonly firstPronunciation: Int32Array;
  readonly endPronunciation: Int32Array;
  /** Words by phonetic key, each key's run in pronunciation order. */
  readonly postingWords: Int32Array;
  /**
   * Leading phones a posting's first pronunciation shares with the previous posting's (0 at the start
   * of a key's run): in a sorted run, the smallest of these between two postings is what they share.
   */
  readonly postingShared: Uint8Array;
  /** Marks of the words this search has read (ReadMarks): `seen[word] === seenStamp`. */
  readonly seen: Int32Array;
  /** This search's own stamp, which no word carries yet. */
  readonly seenStamp: number;
  /** The full search's distance (Vocabulary.distanceTo with the full limit). */
  distanceTo(word: number): number;
}

/** No pronunciation shares more leading phones than this (comparedPhonesMax). */
const sharedAll = 255;

/**
 * The `countMax` candidates nearest to any heard pronunciation, within `distanceMax` and within
 * `spread` of the nearest, nearest first (ties by word id): exactly what measuring every candidate
 * with `distanceTo`, sorting and cutting would give. Candidates are the words of the posting ranges
 * `runs` (each word once), best listed likeliest first (the heard word's own consonant skeleton).
 */
export function nearestWords(
  source: WordSource, runs: readonly (readonly [number, number])[], heard: readonly Uint8Array[],
  limits: NearestLimits, seeds: readonly number[] = [],
): WordMatch[] {
  assert.ok(limits.distanceMax < 1, 'a distance of 1 means "not near": the limit must be below it');
  const kept = new Kept(limits);
  const { firstPronunciation, endPronunciation, postingWords, postingShared, seen, seenStamp } = source;
  // Words likely near (the heard word itself, when on the roll, and its neighbours in pronunciation
  // order) are measured first: the limit every other word is tested against starts tight.
  for (const word of seeds) {
    if (seen[word] === seenStamp) continue;
    seen[word] = seenStamp;
    const distance = source.distanceTo(word);
    if (distance <= limits.distanceMax) kept.add({ word, distance });
  }
  const tables = heard.map((phones) => new SharedPrefixDistance(phones, source.flat));
  const tableCount = tables.length;
  const skippable = tables.every((table) => table.heardPhones > 0);
  const starts = source.flat.starts;
  let limit = kept.threshold + limitSlack;
  // Per table: leading phones the word at hand shares with the pronunciation whose rows the table holds.
  const shared = new Uint8Array(tableCount);
  for (const [runStart, runEnd] of runs) {
    for (let posting = runStart; posting < runEnd; posting += 1) {
      const step = postingShared[posting] as number;
      for (let at = 0; at < tableCount; at += 1) if (step < (shared[at] as number)) shared[at] = step;
      const word = postingWords[posting] as number;
      if (seen[word] === seenStamp) continue;
      seen[word] = seenStamp;
      const first = firstPronunciation[word] as number;
      const end = endPronunciation[word] as number;
      if (skippable && end === first + 1) {
        // Most words end in a row every table has already shown past the limit: ruled out unread.
        const length = Math.min((starts[first + 1] as number) - (starts[first] as number), comparedPhonesMax);
        let ruledOut = true;
        for (let at = 0; at < tableCount && ruledOut; at += 1) {
          ruledOut = (tables[at] as SharedPrefixDistance).rulesOut(shared[at] as number, length, limit);
        }
        if (ruledOut) continue;
      }
      let may = false;
      // Every table sees every pronunciation read, in order, so its rows stay shareable with the next word.
      for (let pronunciation = first; pronunciation < end; pronunciation += 1) {
        for (let at = 0; at < tableCount; at += 1) {
          if ((tables[at] as SharedPrefixDistance).mayBeWithin(pronunciation, limit)) may = true;
        }
      }
      for (let at = 0; at < tableCount; at += 1) {
        if (end !== first + 1) shared[at] = 0;
        else if ((tables[at] as SharedPrefixDistance).holdsRowsOf(first)) shared[at] = sharedAll;
      }
      if (!may) continue;
      const distance = source.distanceTo(word);
      if (distance > limits.distanceMax) continue;
      kept.add({ word, distance });
      limit = kept.threshold + limitSlack;
    }
  }
  return kept.answer();
}
