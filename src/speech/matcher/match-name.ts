// Resolves what the recognizer heard to a voter of the roll: one confident match (the dialog asks to
// confirm), a short list (the dialog asks which: first name or keypad 1-9), or none (it asks again,
// or for the place when a common name matched too many). A wrong voter offered with confidence is
// worse than a question, so "one" needs both a small cost and a clear lead over the runner-up.
import assert from 'node:assert/strict';
import type { Hypothesis } from '../recognizer.js';
import type { MatchableVoter, NameIndex } from './name-index.js';
import {
  ReadingScorer, lastPartOf, mayReadSurname, nameReadings, placeFilter, readsSeveralWords, surnameDistanceMax,
  surnameDistanceWithin, surnamesToRead,
} from './name-scoring.js';
import type { PlaceFilter } from './name-scoring.js';
import { nameParses } from './utterance.js';
import type { NameUtterance } from './utterance.js';
import { RowCosts } from './row-costs.js';
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
  | {
    readonly kind: 'none'; readonly reason: NoMatchReason;
    /**
     * With 'too-many': at least this many voters fit (more than candidatesMax). A single hypothesis stops
     * reading once more than candidatesMax voters fit exactly, so it is a lower bound, not a count: the
     * dialog, the corpus judge and the CLI only read the reason.
     */
    readonly matching?: number;
  };

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

const hypothesesMax = 10;

/** The rows some hypothesis fits within costMax: cost over all hypotheses, and in the one that fits best. */
interface CombinedCosts {
  readonly count: number;
  readonly rows: Int32Array;
  readonly costs: Float64Array;
  readonly fittest: Float64Array;
}

interface HypothesisOutcome {
  readonly heardName: boolean;
  readonly unknownPlace: boolean;
}

/**
 * With a single hypothesis, a row's cost is its combined cost, and the decision reads no row costing
 * more than the best so far plus `margin` (nor more than costMax), where margin is the wider of
 * nearMargin and oneMarginMin: such rows are never near, nor a runner-up close enough to matter.
 * They are left out, most without measuring their given names. With several hypotheses a row's cost
 * in one counts wherever another fits it, so all are kept.
 */
interface Ceiling {
  readonly costMax: number;
  readonly margin: number;
  /**
   * More rows than this costing 0 (the least a row can cost) decide 'too-many' whatever else is read:
   * the best costs 0 with no lead, and the near ones begin with more than candidatesMax ties. Reading
   * stops there ("lisa thompson" said without a place reads 20 k rows at 2.2 M voters, most of them
   * measuring a new given name against two dozen nicknames). Short of that, a row costing more than
   * `crowd + 1` others is not read either (RowCosts.rankedCost): decide() looks at no more than the
   * first crowd + 1 near rows in cost order (those it offers, and the next one, to see whether a step
   * in cost sets them apart), and the best and the runner-up are among them.
   */
  readonly crowd: number;
}

/** The most a row may cost and still change the decision, with what is kept so far. */
function ceilingLimit(ceiling: Ceiling, costs: RowCosts): number {
  return Math.min(ceiling.costMax, costs.cheapest + ceiling.margin, costs.rankedCost);
}

/**
 * Surnames found for each heard surname text in one lookup of several hypotheses. An N-best list mostly
 * repeats the name and differs elsewhere (the place, a word or two), and a heard name off the roll ("mary
 * smith" read as one surname, a misheard one) would otherwise be searched again for every hypothesis.
 * Only without a ceiling: every search is then the full one, a pure function of the text.
 */
type SurnamesFound = Map<string, WordMatch[]>;

/**
 * The cities whose voters a place said can mean, when a city or county was said: the cities near the
 * one said and the cities of the counties near it ("hampton" is near a city and near hamilton county).
 * Every other voter is outside the place (ReadingScorer.placeCost), so only these cities' rows are read.
 */
function citiesToRead(index: NameIndex, place: PlaceFilter): number[] | undefined {
  if (place.cities === undefined && place.counties === undefined) return undefined;
  const cities = new Set(place.cities?.keys() ?? []);
  for (const county of place.counties?.keys() ?? []) for (const city of index.citiesOfCounty(county)) cities.add(city);
  return [...cities];
}

/** Reads the voters a hypothesis could mean, through the surname index (each row's cheapest reading kept). */
function indexedCosts(
  index: NameIndex, utterance: NameUtterance, place: PlaceFilter, costs: RowCosts, hypothesis: number,
  ceiling: Ceiling | null, found: SurnamesFound,
): void {
  const cities = citiesToRead(index, place);
  // Readings with a given name and no city read the voters of the given name heard first, for every
  // reading, before any reading reads the rest: "malaney mikulka-smith" finds its voter at cost 0 in the
  // compound reading, and the ceiling that sets keeps the middle-name reading (first malaney, middle
  // mikulka, last smith) from measuring every smith. Which rows are kept does not depend on the order.
  const byGivenName: GivenNameReading[] = [];
  for (const reading of nameReadings(utterance.nameWords, index.twoWordGivenName)) {
    const scorer = new ReadingScorer(index, reading, place);
    // A surname farther than a row under the ceiling can be is not read at all (its rows would all be
    // left out), and a heard name off the roll is searched only that far: the readings after the first
    // (the two words of "mary smith" read as one surname) are searched under the first one's best row.
    let surnames: WordMatch[] | undefined;
    if (ceiling !== null) {
      const within = surnameDistanceWithin(ceilingLimit(ceiling, costs));
      surnames = index.surnamesHeard(reading.last, within);
    } else {
      surnames = found.get(reading.last);
      if (surnames === undefined) {
        surnames = index.surnamesHeard(reading.last);
        found.set(reading.last, surnames);
      }
    }
    if (ceiling !== null && reading.first !== undefined && cities === undefined) {
      const byName = givenNameReading(index, scorer, surnames);
      if (readByGivenName(index, byName, costs, hypothesis, ceiling, heardNamePass)) return;
      byGivenName.push(byName);
      continue;
    }
    const groups = surnames.map(({ word, distance }) => ({
      distance,
      rows: cities === undefined ? [index.rowsOfSurname(word)] : cities.map((city) => index.rowsOfSurname(word, city)),
    }));
    // The rows of the given name heard are read first: exact fits come soonest, so the ceiling tightens
    // and a crowd of them stops the reading before the rest's given names are measured. Which rows are
    // kept does not depend on the order (a row is left out only above the final best plus the margin).
    const heardFirst = reading.first === undefined ? undefined : index.givenNames.idOf(reading.first);
    for (const ownFirst of heardFirst === undefined ? [false] : [true, false]) {
      for (const { distance, rows: rowGroups } of groups) {
        for (const rows of rowGroups) {
          for (const row of rows) {
            if (heardFirst !== undefined && (index.firstOf(row) === heardFirst) !== ownFirst) continue;
            const limit = ceiling === null ? Infinity : ceilingLimit(ceiling, costs);
            const cost = scorer.cost(row, distance, limit);
            if (cost === undefined || cost === Infinity) continue;
            costs.keep(hypothesis, row, cost);
            if (ceiling !== null && costs.zeroCosts > ceiling.crowd) return;
          }
        }
      }
    }
  }
  for (const pass of [nicknamesPass, restPass]) {
    for (const byName of byGivenName) {
      if (readByGivenName(index, byName, costs, hypothesis, ceiling as Ceiling, pass)) return;
    }
  }
}

/** readByGivenName's passes: the voters of the given name heard, of its nicknames, then of every other name. */
const heardNamePass = 0;
const nicknamesPass = 1;
const restPass = 2;

/** A reading with a given name and no city, read by given name: its scorer, surnames, and the names heard. */
interface GivenNameReading {
  readonly scorer: ReadingScorer;
  readonly surnames: readonly WordMatch[];
  /** The given name heard, when the roll has it. */
  readonly heardFirst: number | undefined;
  /** Its nicknames and formal names on the roll. */
  readonly related: ReadonlySet<number>;
}

function givenNameReading(index: NameIndex, scorer: ReadingScorer, surnames: readonly WordMatch[]): GivenNameReading {
  const first = scorer.reading.first as string;
  const related = new Set<number>();
  for (const name of index.nicknames.relatedNames(first)) {
    const id = index.givenNames.idOf(name);
    if (id !== undefined) related.add(id);
  }
  return { scorer, surnames, heardFirst: index.givenNames.idOf(first), related };
}

/**
 * A reading with a given name and no city, under a ceiling: the surnames' voters a given name at a
 * time (given-name-runs.ts), each name tested once against the most it may cost, and only the voters
 * of names that may fit read. One pass of three: the heard given name's voters, its nicknames', or
 * the rest (near fits come soonest, so the ceiling is low before most names are measured against it).
 * True when a crowd of exact fits decided the lookup.
 */
function readByGivenName(
  index: NameIndex, reading: GivenNameReading, costs: RowCosts, hypothesis: number, ceiling: Ceiling, pass: number,
): boolean {
  const { entries, runStarts, runNames, surnameRuns } = index.givenNameRuns;
  const { scorer, surnames, heardFirst, related } = reading;
  if (pass === heardNamePass && heardFirst === undefined) return false;
  if (pass === nicknamesPass && related.size === 0) return false;
  const passOf = (name: number): number =>
    (name === heardFirst ? heardNamePass : related.has(name) ? nicknamesPass : restPass);
  for (const { word: surname, distance } of surnames) {
    // A surname this far has no voter under the ceiling, whatever the given name.
    if (scorer.givenNameMax(distance, ceilingLimit(ceiling, costs)) < 0) continue;
    const runsEnd = surnameRuns[surname + 1] as number;
    for (let run = surnameRuns[surname] as number; run < runsEnd; run += 1) {
      const name = runNames[run] as number;
      if (passOf(name) !== pass) continue;
      let limit = ceilingLimit(ceiling, costs);
      const nameMax = scorer.givenNameMax(distance, limit);
      // Listed under the first name, it must fit within nameMax; under the middle name, within less. A
      // voter is read under each name that may fit when its run comes (its other run may come later,
      // under a lower ceiling): left out only when both cost more than the ceiling of their turn.
      const middleMax = nameMax - scorer.middleAsFirst;
      const asFirst = nameMax >= 1 || scorer.givenNameWithin(name, nameMax);
      const asMiddle = middleMax >= 1 || scorer.givenNameWithin(name, middleMax);
      if (!asFirst && !asMiddle) continue;
      const entriesEnd = runStarts[run + 1] as number;
      for (let at = runStarts[run] as number; at < entriesEnd; at += 1) {
        const entry = entries[at] as number;
        if (!(entry >= 0 ? asFirst : asMiddle)) continue;
        const row = entry >= 0 ? entry : ~entry;
        const cost = scorer.cost(row, distance, limit);
        if (cost === undefined || cost === Infinity) continue;
        costs.keep(hypothesis, row, cost);
        if (costs.zeroCosts > ceiling.crowd) return true;
        limit = ceilingLimit(ceiling, costs);
      }
    }
  }
  return false;
}

/**
 * NameIndex.compoundLastPartsNear by measuring every last word that shares a phonetic key with the one
 * heard (what "near" means for a word off the roll, as in Vocabulary.nearest).
 */
function lastPartsNearByScan(index: NameIndex, last: string): Set<string> {
  const parts = index.compoundLastParts;
  const near = parts.nearest(pronounce(lastPartOf(last), index.lexicon), surnameDistanceMax);
  return new Set(surnamesToRead(near).map(({ word }) => parts.text(word)));
}

/** The same costs by reading every voter: the reference the index is tested against. */
function scannedCosts(
  index: NameIndex, utterance: NameUtterance, place: PlaceFilter, costs: RowCosts, hypothesis: number,
): void {
  for (const reading of nameReadings(utterance.nameWords, index.twoWordGivenName)) {
    const scorer = new ReadingScorer(index, reading, place);
    const heard = pronounce(reading.last, index.lexicon);
    const nearLastParts = readsSeveralWords(reading.last)
      ? lastPartsNearByScan(index, reading.last) : new Set<string>();
    const all: WordMatch[] = [];
    for (let word = 0; word < index.surnames.size; word += 1) {
      if (!mayReadSurname(reading.last, index.surnames.text(word), nearLastParts)) continue;
      const distance = index.surnames.distanceTo(word, heard, surnameDistanceMax);
      if (distance <= surnameDistanceMax) all.push({ word, distance });
    }
    all.sort((a, b) => a.distance - b.distance || a.word - b.word);
    const distances = new Map(surnamesToRead(all).map((match) => [match.word, match.distance]));
    for (let row = 0; row < index.voterCount; row += 1) {
      const distance = distances.get(index.surnameOf(row));
      if (distance === undefined) continue;
      const cost = scorer.cost(row, distance);
      if (cost !== undefined) costs.keep(hypothesis, row, cost);
    }
  }
}

function hypothesisOutcome(
  index: NameIndex, hypothesis: Hypothesis, scan: boolean, costs: RowCosts, at: number, ceiling: Ceiling | null,
  found: SurnamesFound,
): HypothesisOutcome {
  const parses = nameParses(hypothesis.text);
  if ((parses[0]?.nameWords.length ?? 0) === 0) return { heardName: false, unknownPlace: false };
  // The word taken for the place's start, or a word taken as only leading the name, may be the name's own
  // ("nicholas near of ankeny", "my chi hayden"): each parse naming a place on the roll (or none) is read, and
  // each voter keeps its cheapest.
  let placeNamed = false;
  for (const parse of parses) {
    if (parse.nameWords.length === 0) continue;
    const place = placeFilter(index, parse);
    if (place === null) continue;
    placeNamed = true;
    if (scan) scannedCosts(index, parse, place, costs, at);
    else indexedCosts(index, parse, place, costs, at, ceiling, found);
  }
  return { heardName: true, unknownPlace: !placeNamed };
}

/**
 * Hypotheses weigh by their confidences; a voter one hypothesis lacks costs 1 in it. Voters are kept
 * when some hypothesis fits them well (within costMax), so two equally likely readings are both offered.
 */
function combine(costs: RowCosts, hypotheses: readonly Hypothesis[], costMax: number): CombinedCosts {
  const confidences = hypotheses.map((hypothesis) => Math.max(0, Math.min(1, hypothesis.confidence)));
  const total = confidences.reduce((sum, confidence) => sum + confidence, 0);
  const weights = total > 0
    ? confidences.map((confidence) => confidence / total) : confidences.map(() => 1 / confidences.length);
  const count = hypotheses.length;
  const rows = new Int32Array(costs.count);
  const totals = new Float64Array(costs.count);
  const fittests = new Float64Array(costs.count);
  let kept = 0;
  for (let slot = 0; slot < costs.count; slot += 1) {
    let fits = false;
    for (let at = 0; at < count; at += 1) if (costs.cost(slot, at) <= costMax) fits = true;
    if (!fits) continue;
    // In hypothesis order, as a sum over them all: the same rounding whichever reading found the row first.
    let sum = 0;
    let fittest = 1;
    for (let at = 0; at < count; at += 1) {
      const cost = costs.cost(slot, at);
      const otherCost = cost === Infinity ? 1 : cost;
      sum += (weights[at] as number) * otherCost;
      fittest = Math.min(fittest, otherCost);
    }
    rows[kept] = costs.row(slot);
    totals[kept] = sum;
    fittests[kept] = fittest;
    kept += 1;
  }
  return { count: kept, rows, costs: totals, fittest: fittests };
}

export function decide(index: NameIndex, combined: CombinedCosts, options: Required<MatchOptions>): NameMatch {
  // Only the best two and the near ones are ranked: sorting every voter read (tens of thousands for a
  // common name said without a place) is what a full sort would spend its time on, for the same answer.
  const { count, rows, costs, fittest } = combined;
  /** (cost, row) order: cheapest first, ties by row. */
  const before = (a: number, b: number): boolean => (costs[a] as number) < (costs[b] as number)
    || ((costs[a] as number) === (costs[b] as number) && (rows[a] as number) < (rows[b] as number));
  let best = -1;
  let runnerUp = -1;
  let fittestBest = Infinity;
  for (let slot = 0; slot < count; slot += 1) {
    if (best < 0 || before(slot, best)) {
      runnerUp = best;
      best = slot;
    } else if (runnerUp < 0 || before(slot, runnerUp)) {
      runnerUp = slot;
    }
    if ((fittest[slot] as number) < fittestBest) fittestBest = fittest[slot] as number;
  }
  if (best < 0) return { kind: 'none', reason: 'no-match' };
  const bestCost = costs[best] as number;
  const clearLead = runnerUp < 0 || (costs[runnerUp] as number) - bestCost >= options.oneMarginMin;
  if (bestCost <= options.oneCostMax && clearLead) {
    return { kind: 'one', voter: index.voter(rows[best] as number), score: 1 - bestCost };
  }
  let near: number[] = [];
  for (let slot = 0; slot < count; slot += 1) {
    if ((costs[slot] as number) <= bestCost + options.nearMargin
      && (fittest[slot] as number) <= fittestBest + options.nearMargin) near.push(slot);
  }
  near.sort((a, b) => (costs[a] as number) - (costs[b] as number) || (rows[a] as number) - (rows[b] as number));
  if (near.length > options.candidatesMax) {
    // Too many near the best: offer the best ones if a step in cost sets them apart, never a cut among ties.
    let cut = options.candidatesMax;
    while (cut > 0 && (costs[near[cut] as number] as number) <= (costs[near[cut - 1] as number] as number)) cut -= 1;
    if (cut === 0) return { kind: 'none', reason: 'too-many', matching: near.length };
    near = near.slice(0, cut);
  }
  return {
    kind: 'several',
    candidates: near.map((slot) => ({ voter: index.voter(rows[slot] as number), score: 1 - (costs[slot] as number) })),
  };
}

function matchWith(
  index: NameIndex, hypotheses: readonly Hypothesis[], options: MatchOptions, scan: boolean,
): NameMatch {
  const settings = { ...defaultMatchOptions, ...options };
  assert.ok(settings.candidatesMax >= 1 && settings.oneMarginMin >= 0, 'bad match options');
  const heard = hypotheses.slice(0, hypothesesMax);
  if (heard.length === 0) return { kind: 'none', reason: 'nothing-heard' };
  // A runner-up within oneMarginMin of the best matters too, when that is wider than nearMargin.
  const margin = Math.max(settings.nearMargin, settings.oneMarginMin);
  const ceiling = heard.length === 1 ? { costMax: settings.costMax, margin, crowd: settings.candidatesMax } : null;
  const costs = new RowCosts(index.rowSlotScratch(), heard.length, ceiling === null ? 0 : ceiling.crowd + 1);
  let outcomes: HypothesisOutcome[];
  let combined: CombinedCosts;
  try {
    const found: SurnamesFound = new Map();
    outcomes = heard.map((hypothesis, at) => hypothesisOutcome(index, hypothesis, scan, costs, at, ceiling, found));
    combined = combine(costs, heard, settings.costMax);
  } finally {
    costs.release();
  }
  if (!outcomes.some((outcome) => outcome.heardName)) return { kind: 'none', reason: 'nothing-heard' };
  const match = decide(index, combined, settings);
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
