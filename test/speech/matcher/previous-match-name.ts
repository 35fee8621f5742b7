// The indexed matcher exactly as it was before the lookup was sped up (commit 8866402): every surname
// sharing a phonetic key measured in full and sorted, every voter read ranked by a full sort. Kept
// only so the tests can check that the faster matcher decides exactly as this one did.
import assert from 'node:assert/strict';
import type { Hypothesis } from '../../../src/speech/recognizer.js';
import type { NameIndex } from '../../../src/speech/matcher/name-index.js';
import { defaultMatchOptions } from '../../../src/speech/matcher/match-name.js';
import type { MatchOptions, NameMatch } from '../../../src/speech/matcher/match-name.js';
import {
  ReadingScorer, isCompoundSurname, joinedSurname, lastPartOf, nameReadings, placeFilter, readsSeveralWords,
  surnameDistanceMax,
} from '../../../src/speech/matcher/name-scoring.js';
import type { PlaceFilter } from '../../../src/speech/matcher/name-scoring.js';
import { parseNameUtterance } from '../../../src/speech/matcher/utterance.js';
import type { NameUtterance } from '../../../src/speech/matcher/utterance.js';
import { pronounce } from '../../../src/speech/matcher/vocabulary.js';
import type { WordMatch } from '../../../src/speech/matcher/vocabulary.js';

/** Surnames read per reading, at most: the nearest ones. */
const surnamesPerReadingMax = 12;
/** Surnames farther than the nearest by more than this are not read. */
const surnameSpread = 0.25;
const hypothesesMax = 10;

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
  // Since the two-word given-name rule (name-scoring.ts nameReadings): "mary jo" may be the roll's "mary-jo".
  for (const reading of nameReadings(utterance.nameWords, index.twoWordGivenName)) {
    const scorer = new ReadingScorer(index, reading, place);
    const heard = pronounce(reading.last, index.lexicon);
    let surnames = index.surnames.nearest(heard, surnameDistanceMax);
    if (readsSeveralWords(reading.last)) {
      // Since the compound-surname rule (name-scoring.ts readsSeveralWords): compounds, and the joined word.
      const joined = joinedSurname(reading.last);
      // Since the last-word rule (name-scoring.ts lastPartOf): compounds ending near the last word heard.
      const parts = index.compoundLastParts;
      const nearParts = new Set(surnamesToRead(parts.nearest(pronounce(lastPartOf(reading.last), index.lexicon),
        surnameDistanceMax)).map(({ word }) => parts.text(word)));
      surnames = [];
      for (let word = 0; word < index.surnames.size; word += 1) {
        const text = index.surnames.text(word);
        if (!isCompoundSurname(text) || !nearParts.has(lastPartOf(text))) continue;
        const distance = index.surnames.distanceTo(word, heard, surnameDistanceMax);
        if (distance <= surnameDistanceMax) surnames.push({ word, distance });
      }
      const joinedId = index.surnames.idOf(joined);
      if (joinedId !== undefined) {
        const distance = index.surnames.distanceTo(joinedId, heard, surnameDistanceMax);
        if (distance <= surnameDistanceMax) surnames.push({ word: joinedId, distance });
      }
      surnames.sort((a, b) => a.distance - b.distance || a.word - b.word);
    }
    for (const { word, distance } of surnamesToRead(surnames)) {
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

function hypothesisOutcome(index: NameIndex, hypothesis: Hypothesis): HypothesisOutcome {
  const utterance = parseNameUtterance(hypothesis.text);
  if (utterance.nameWords.length === 0) return { costs: new Map(), heardName: false, unknownPlace: false };
  const place = placeFilter(index, utterance);
  if (place === null) return { costs: new Map(), heardName: true, unknownPlace: true };
  const costs = indexedCosts(index, utterance, place);
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

function decide(index: NameIndex, combined: CombinedCosts, options: Required<MatchOptions>): NameMatch {
  const ranked = [...combined].map(([row, [cost, fittest]]) => [row, cost, fittest] as const)
    .sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const best = ranked[0];
  if (best === undefined) return { kind: 'none', reason: 'no-match' };
  const runnerUp = ranked[1];
  if (best[1] <= options.oneCostMax && (runnerUp === undefined || runnerUp[1] - best[1] >= options.oneMarginMin)) {
    return { kind: 'one', voter: index.voter(best[0]), score: 1 - best[1] };
  }
  const fittestBest = Math.min(...ranked.map(([, , fittest]) => fittest));
  let near = ranked.filter(([, cost, fittest]) =>
    cost <= best[1] + options.nearMargin && fittest <= fittestBest + options.nearMargin);
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

/** The matcher as it was before nearest-words.ts and the partial ranking in decide(). */
export function matchNameByPreviousIndex(
  index: NameIndex, hypotheses: readonly Hypothesis[], options: MatchOptions = {},
): NameMatch {
  const settings = { ...defaultMatchOptions, ...options };
  assert.ok(settings.candidatesMax >= 1 && settings.oneMarginMin >= 0, 'bad match options');
  const heard = hypotheses.slice(0, hypothesesMax);
  const outcomes = heard.map((hypothesis) => hypothesisOutcome(index, hypothesis));
  if (!outcomes.some((outcome) => outcome.heardName)) return { kind: 'none', reason: 'nothing-heard' };
  const match = decide(index, combine(outcomes, heard, settings.costMax), settings);
  if (match.kind === 'none' && match.reason === 'no-match' && outcomes.every((o) => !o.heardName || o.unknownPlace)) {
    return { kind: 'none', reason: 'unknown-place' };
  }
  return match;
}
