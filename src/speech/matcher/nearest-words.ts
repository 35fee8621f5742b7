// The few words nearest to a heard pronunciation, without a full edit distance for most candidates.
// A lookup keeps only the nearest dozen surnames (and only those close to the nearest one), so once
// a dozen near words are known, every candidate that cannot beat them only needs to be shown past
// them: a shared-prefix table (shared-prefix-distance.ts) does that in a row or two for most. Only
// the words that may be near are measured, by the same call a full search makes (`distanceTo` with
// the full limit), so the answer is the full search's answer, found sooner.
import assert from 'node:assert/strict';
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
  /** The full search's distance (Vocabulary.distanceTo with the full limit). */
  distanceTo(word: number): number;
}

/**
 * The `countMax` candidates nearest to any heard pronunciation, within `distanceMax` and within
 * `spread` of the nearest, nearest first (ties by word id): exactly what measuring every candidate
 * with `distanceTo`, sorting and cutting would give. Candidates are best listed likeliest first
 * (the shortlist lists the words of the heard word's own consonant skeleton first).
 */
export function nearestWords(
  source: WordSource, candidates: readonly number[], heard: readonly Uint8Array[], limits: NearestLimits,
): WordMatch[] {
  assert.ok(limits.distanceMax < 1, 'a distance of 1 means "not near": the limit must be below it');
  const kept = new Kept(limits);
  const tables = heard.map((phones) => new SharedPrefixDistance(phones, source.flat));
  let limit = kept.threshold + limitSlack;
  for (const word of candidates) {
    const end = source.endPronunciation[word] as number;
    let may = false;
    // Every table sees every pronunciation, in order, so its rows stay shareable with the next word.
    for (let pronunciation = source.firstPronunciation[word] as number; pronunciation < end; pronunciation += 1) {
      for (const table of tables) if (table.mayBeWithin(pronunciation, limit)) may = true;
    }
    if (!may) continue;
    const distance = source.distanceTo(word);
    if (distance > limits.distanceMax) continue;
    kept.add({ word, distance });
    limit = kept.threshold + limitSlack;
  }
  return kept.answer();
}
