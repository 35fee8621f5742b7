// Resolves what the recognizer heard to a voter of the roll: one confident match (the dialog asks to
// confirm), a short list (the dialog asks which: first name or keypad 1-9), or none (it asks again,
// or for the place when a common name matched too many). A wrong voter offered with confidence is
// worse than a question, so "one" needs both a small cost and a clear lead over the runner-up.
import assert from 'node:assert/strict';
import type { Hypothesis } from '../recognizer.js';
import type { MatchableVoter, NameIndex } from './name-index.js';
import { ReadingScorer, nameReadings, placeFilter, surnameDistanceMax } from './name-scoring.js';
import type { PlaceFilter } from './name-scoring.js';
import { parseNameUtterance } from './utterance.js';
import type { NameUtterance } from './utterance.js';
import { pronounce } from './vocabulary.js';
import type { WordMatch } from './vocabulary.js';

export interface NameCandidate {
  readonly voter: MatchableVoter;
  /** 1 - cost: 1 when everything said sounds exactly like the roll. */
  readonly score: number;
}

export type NoMatchReason =
  /** No name words in any hypothesis. */
  | 'nothing-heard'
  /** A place was said that no voter lives in. */
  | 'unknown-place'
  /** Nobody on the roll sounds like that. */
  | 'no-match'
  /** More than `candidatesMax` voters fit equally well: ask for the city, county or zip. */
  | 'too-many';

export type NameMatch =
  | { readonly kind: 'one'; readonly voter: MatchableVoter; readonly score: number }
  | { readonly kind: 'several'; readonly candidates: readonly NameCandidate[] }
  | { readonly kind: 'none'; readonly reason: NoMatchReason; readonly matching?: number };

export interface MatchOptions {
  /** The most candidates offered (keypad 1-9). */
  readonly candidatesMax?: number;
  /** Cost at most this for a confident match. */
  readonly oneCostMax?: number;
  /** The runner-up must cost at least this much more. */
  readonly oneMarginMin?: number;
  /** Candidates within this of the best are offered together. */
  readonly nearMargin?: number;
  /** Nothing costing more than this in every hypothesis is offered at all. */
  readonly costMax?: number;
}

export const defaultMatchOptions: Required<MatchOptions> = {
  candidatesMax: 9, oneCostMax: 0.12, oneMarginMin: 0.1, nearMargin: 0.15, costMax: 0.4,
};

/** Surnames read per reading, at most: the nearest ones. */
const surnamesPerReadingMax = 12;
/** Surnames farther than the nearest by more than this are not read. */
const surnameSpread = 0.25;
const hypothesesMax = 10;
const surnameLimits = { distanceMax: surnameDistanceMax, countMax: surnamesPerReadingMax, spread: surnameSpread };

/** Voter row → cost for one hypothesis (the smallest over its readings). */
type RowCosts = Map<number, number>;

/** Voter row → [cost over all hypotheses, cost in the hypothesis that fits it best]. */
type CombinedCosts = Map<number, readonly [number, number]>;

/** The surnames a reading reads: the nearest few, close to the nearest one. */
function surnamesToRead(matches: readonly WordMatch[]): WordMatch[] {
  const nearest = matches[0]?.distance ?? 0;
  return matches.slice(0, surnamesPerReadingMax).filter((match) => match.distance <= nearest + surnameSpread);
}

interface HypothesisOutcome {
  readonly costs: RowCosts;
  readonly heardName: boolean;
  readonly unknownPlace: boolean;
}

/** Reads the voters a hypothesis could mean, through the surname index. */
function indexedCosts(index: NameIndex, utterance: NameUtterance, place: PlaceFilter): RowCosts {
  const costs: RowCosts = new Map();
  const cityOnly = place.cities !== undefined && place.counties === undefined;
  for (const reading of nameReadings(utterance.nameWords)) {
    const scorer = new ReadingScorer(index, reading, place);
    const surnames = index.surnames.nearestFew(pronounce(reading.last, index.lexicon), surnameLimits);
    for (const { word, distance } of surnames) {
      const groups = cityOnly ? [...(place.cities as ReadonlyMap<number, number>).keys()]
        .map((city) => index.rowsOfSurname(word, city)) : [index.rowsOfSurname(word)];
      for (const rows of groups) {
        for (const row of rows) {
          const cost = scorer.cost(row, distance);
          if (cost !== undefined && cost < (costs.get(row) ?? Infinity)) costs.set(row, cost);
        }
      }
    }
  }
  return costs;
}

/** The same costs by reading every voter: the reference the index is tested against. */
function scannedCosts(index: NameIndex, utterance: NameUtterance, place: PlaceFilter): RowCosts {
  const costs: RowCosts = new Map();
  for (const reading of nameReadings(utterance.nameWords)) {
    const scorer = new ReadingScorer(index, reading, place);
    const heard = pronounce(reading.last, index.lexicon);
    const all: WordMatch[] = [];
    for (let word = 0; word < index.surnames.size; word += 1) {
      const distance = index.surnames.distanceTo(word, heard, surnameDistanceMax);
      if (distance <= surnameDistanceMax) all.push({ word, distance });
    }
    all.sort((a, b) => a.distance - b.distance || a.word - b.word);
    const distances = new Map(surnamesToRead(all).map((match) => [match.word, match.distance]));
    for (let row = 0; row < index.voterCount; row += 1) {
      const distance = distances.get(index.surnameOf(row));
      if (distance === undefined) continue;
      const cost = scorer.cost(row, distance);
      if (cost !== undefined && cost < (costs.get(row) ?? Infinity)) costs.set(row, cost);
    }
  }
  return costs;
}

function hypothesisOutcome(index: NameIndex, hypothesis: Hypothesis, scan: boolean): HypothesisOutcome {
  const utterance = parseNameUtterance(hypothesis.text);
  if (utterance.nameWords.length === 0) return { costs: new Map(), heardName: false, unknownPlace: false };
  const place = placeFilter(index, utterance);
  if (place === null) return { costs: new Map(), heardName: true, unknownPlace: true };
  const costs = scan ? scannedCosts(index, utterance, place) : indexedCosts(index, utterance, place);
  return { costs, heardName: true, unknownPlace: false };
}

/**
 * Hypotheses weigh by their confidences; a voter one hypothesis lacks costs 1 in it. Voters are kept
 * when some hypothesis fits them well (within costMax), so two equally likely readings are both offered.
 */
function combine(
  outcomes: readonly HypothesisOutcome[], hypotheses: readonly Hypothesis[], costMax: number,
): CombinedCosts {
  const confidences = hypotheses.map((hypothesis) => Math.max(0, Math.min(1, hypothesis.confidence)));
  const total = confidences.reduce((sum, confidence) => sum + confidence, 0);
  const weights = total > 0
    ? confidences.map((confidence) => confidence / total) : confidences.map(() => 1 / confidences.length);
  const combined: CombinedCosts = new Map();
  for (const outcome of outcomes) {
    for (const [row, cost] of outcome.costs) {
      if (cost > costMax || combined.has(row)) continue;
      let total = 0;
      let fittest = 1;
      outcomes.forEach((other, otherIndex) => {
        const otherCost = other.costs.get(row) ?? 1;
        total += (weights[otherIndex] as number) * otherCost;
        fittest = Math.min(fittest, otherCost);
      });
      combined.set(row, [total, fittest]);
    }
  }
  return combined;
}

/** (cost, row) order: cheapest first, ties by row. */
function before(a: readonly [number, number, number], b: readonly [number, number, number]): boolean {
  return a[1] < b[1] || (a[1] === b[1] && a[0] < b[0]);
}

export function decide(index: NameIndex, combined: CombinedCosts, options: Required<MatchOptions>): NameMatch {
  // Only the best two and the near ones are ranked: sorting every voter read (tens of thousands for a
  // common name said without a place) is what a full sort would spend its time on, for the same answer.
  let best: readonly [number, number, number] | undefined;
  let runnerUp: readonly [number, number, number] | undefined;
  let fittestBest = Infinity;
  for (const [row, [cost, fittest]] of combined) {
    const entry = [row, cost, fittest] as const;
    if (best === undefined || before(entry, best)) {
      runnerUp = best;
      best = entry;
    } else if (runnerUp === undefined || before(entry, runnerUp)) {
      runnerUp = entry;
    }
    if (fittest < fittestBest) fittestBest = fittest;
  }
  if (best === undefined) return { kind: 'none', reason: 'no-match' };
  if (best[1] <= options.oneCostMax && (runnerUp === undefined || runnerUp[1] - best[1] >= options.oneMarginMin)) {
    return { kind: 'one', voter: index.voter(best[0]), score: 1 - best[1] };
  }
  const bestCost = best[1];
  let near: (readonly [number, number, number])[] = [];
  for (const [row, [cost, fittest]] of combined) {
    if (cost <= bestCost + options.nearMargin && fittest <= fittestBest + options.nearMargin) {
      near.push([row, cost, fittest]);
    }
  }
  near.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  if (near.length > options.candidatesMax) {
    // Too many near the best: offer the best ones if a step in cost sets them apart, never a cut among ties.
    let count = options.candidatesMax;
    while (count > 0 && (near[count] as (typeof near)[number])[1] <= (near[count - 1] as (typeof near)[number])[1]) {
      count -= 1;
    }
    if (count === 0) return { kind: 'none', reason: 'too-many', matching: near.length };
    near = near.slice(0, count);
  }
  return { kind: 'several', candidates: near.map(([row, cost]) => ({ voter: index.voter(row), score: 1 - cost })) };
}

function matchWith(
  index: NameIndex, hypotheses: readonly Hypothesis[], options: MatchOptions, scan: boolean,
): NameMatch {
  const settings = { ...defaultMatchOptions, ...options };
  assert.ok(settings.candidatesMax >= 1 && settings.oneMarginMin >= 0, 'bad match options');
  const heard = hypotheses.slice(0, hypothesesMax);
  const outcomes = heard.map((hypothesis) => hypothesisOutcome(index, hypothesis, scan));
  if (!outcomes.some((outcome) => outcome.heardName)) return { kind: 'none', reason: 'nothing-heard' };
  const match = decide(index, combine(outcomes, heard, settings.costMax), settings);
  if (match.kind === 'none' && match.reason === 'no-match' && outcomes.every((o) => !o.heardName || o.unknownPlace)) {
    return { kind: 'none', reason: 'unknown-place' };
  }
  return match;
}

/** Resolves N-best hypotheses of a "name" prompt to voters through the index. */
export function matchName(index: NameIndex, hypotheses: readonly Hypothesis[], options: MatchOptions = {}): NameMatch {
  return matchWith(index, hypotheses, options, false);
}

/** The same decision from a scan of every voter (slow; the reference for tests and the benchmark's baseline). */
export function matchNameByScan(
  index: NameIndex, hypotheses: readonly Hypothesis[], options: MatchOptions = {},
): NameMatch {
  return matchWith(index, hypotheses, options, true);
}
