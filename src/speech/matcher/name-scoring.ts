// How well one voter fits one heard utterance: a cost from 0 (every part sounds the same) to 1,
// a weighted sum of the phone distances of surname, given name, middle name and place. The index
// and the brute-force scan both call this, so they can only differ in which voters they read.
import assert from 'node:assert/strict';
import type { NameIndex } from './name-index.js';
import type { NameUtterance } from './utterance.js';
import { SharedPrefixDistance } from './shared-prefix-distance.js';
import { pronounce } from './vocabulary.js';
import type { PronunciationLayout, WordMatch } from './vocabulary.js';
import type { WordCostCache } from './word-cost-cache.js';

const surnameWeight = 0.4;
const firstWeight = 0.3;
/** A middle name said is a strong hint: Johns Smith of one town differ by it. */
const middleWeight = 0.15;
const placeWeight = 0.15;
/**
 * Added to a voter's place cost when the caller said a suffix it lacks ("john smith junior", a John Smith
 * without "jr"): at placeWeight that is just over the matcher's oneMarginMin (0.1), so of a father and son of
 * one name and place, the one whose suffix was said is offered alone, while a voter of another suffix or none
 * still fits (the decoder may have heard a suffix nobody said).
 */
const suffixMismatchCost = 0.7;
/** A nickname or formal name ("jim" for james) is nearly as good as the name itself. */
const nicknameCost = 0.08;
/** Far above the rounding of a distance: a nickname right at the margin is always measured in full. */
const nicknameSlack = 1e-4;
/**
 * Given-name distances are sums of single-precision costs, and an edit distance that stops early
 * tests its unrounded rows: a name right at the limit can be called a few millionths too far. This
 * margin, far above that, keeps a row from being ruled above a ceiling unless it surely is.
 */
const ceilingSlack = 1e-4;
/**
 * Far above rounding, far below any difference that matters: a name left unmeasured because it costs
 * more than the other name less this is surely not the cheaper one, whatever the rounding of the sum.
 */
const tieSlack = 1e-9;
/** Using one's middle name as first name is common, but the first name is the better guess. */
const middleAsFirstCost = 0.1;
/** A middle name said for a voter without one on the roll. */
const middleMissingCost = 0.5;
/** Words farther than this are not that word (phone-distance.ts scale). */
export const surnameDistanceMax = 0.4;
/**
 * The surnames a reading reads: the nearest dozen at most, within surnameDistanceMax, and none farther
 * than the nearest one by more than `spread`.
 */
export const surnameLimits = { distanceMax: surnameDistanceMax, countMax: 12, spread: 0.25 } as const;
export const placeDistanceMax = 0.35;

/**
 * The farthest a surname can be from the one heard while a voter of it costs `ceiling` or less: every
 * other part of a cost is 0 at best. A margin far above rounding keeps a surname right at it.
 */
export function surnameDistanceWithin(ceiling: number): number {
  return Math.min(surnameDistanceMax, ceiling / surnameWeight + ceilingSlack);
}

/**
 * A surname read from several heard words ("smith jones", "van dyke", or "mary smith" run together):
 * only the roll's compound surnames (a space or hyphen in them) ending in a word near the last one heard
 * (lastPartOf) are near it, and the one-word surname
 * spelled as its words joined ("mc donald" for mcdonald). A one-word surname merely sounding near two
 * words run together is a given name swallowed for free ("ann smith" is 0.33 from every smith): such a
 * reading says less than the one that hears the given name, and searching every surname for it was
 * most of a lookup's time.
 */
export function readsSeveralWords(last: string): boolean {
  return last.includes(' ');
}

/** A compound surname of the roll: what a surname of several heard words may be. */
export function isCompoundSurname(text: string): boolean {
  return /[\s-]/.test(text);
}

/**
 * The last word of a surname, heard or on the roll (after its last space or hyphen). A compound surname
 * is read only when its last word is among the nearest few to the last word heard (NameIndex
 * compoundLastPartsNear): "smith johns" reads smith-jones; a given name and a surname run together
 * ("elliana flowers") are not measured against every compound of the roll, most of a lookup's time.
 */
export function lastPartOf(text: string): string {
  const parts = text.split(/[\s-]+/).filter((part) => part.length > 0);
  return parts[parts.length - 1] ?? '';
}

/** The one-word surname a surname of several heard words spells when joined. */
export function joinedSurname(last: string): string {
  return last.replace(/[\s-]+/g, '');
}

/**
 * Whether a reading that heard the surname `last` reads the roll surname `surname` at all
 * (readsSeveralWords); `nearLastParts`: the compounds' last words near the last word heard (lastPartOf).
 */
export function mayReadSurname(last: string, surname: string, nearLastParts: ReadonlySet<string>): boolean {
  if (!readsSeveralWords(last)) return true;
  return (isCompoundSurname(surname) && nearLastParts.has(lastPartOf(surname))) || surname === joinedSurname(last);
}

/** The surnames a reading reads of those near it (nearest first): the nearest few, close to the nearest one. */
export function surnamesToRead(matches: readonly WordMatch[]): WordMatch[] {
  const nearest = matches[0]?.distance ?? 0;
  return matches.slice(0, surnameLimits.countMax).filter((match) => match.distance <= nearest + surnameLimits.spread);
}

/** One reading of the name part: which words are the first, middle and last name. */
export interface NameReading {
  readonly first?: string;
  readonly middle?: string;
  readonly last: string;
}

/**
 * The roll's given name that two heard words say ("lor" "anna" → "lor-anna", "mary" "jo" → "mary jo"), or
 * undefined when the roll has none (NameIndex.twoWordGivenName).
 */
export type TwoWordGivenName = (first: string, second: string) => string | undefined;

const noTwoWordGivenNames: TwoWordGivenName = () => undefined;

/**
 * Every way to split the words: first [middle…] last, where the last may be up to three words ("de la cruz"),
 * and where the roll has the first two words as one given name, that name first. A hyphenated given name is
 * said, and read by the name grammars, as two words: read only as a first and a middle name, "lor anna thomas"
 * fitted Lor-Anna Thomas too poorly to be offered even when heard exactly.
 */
export function nameReadings(words: readonly string[],
  twoWordGivenName: TwoWordGivenName = noTwoWordGivenNames): NameReading[] {
  assert.ok(words.length > 0, 'a name has words');
  const [first, ...rest] = words as [string, ...string[]];
  if (rest.length === 0) return [{ last: first }];
  const readings = readingsAfterFirst(first, rest);
  // Only a surname with two words ("van dyke", "smith jones"), no given name.
  if (words.length === 2) readings.push({ last: words.join(' ') });
  const [second, ...afterSecond] = rest as [string, ...string[]];
  const joined = afterSecond.length > 0 ? twoWordGivenName(first, second) : undefined;
  if (joined !== undefined) readings.push(...readingsAfterFirst(joined, afterSecond));
  return readings;
}

/** first [middle…] last over `rest`, the last up to three words. */
function readingsAfterFirst(first: string, rest: readonly string[]): NameReading[] {
  const readings: NameReading[] = [];
  for (const lastWords of [1, 2, 3]) {
    if (lastWords > rest.length) continue;
    const middle = rest.slice(0, rest.length - lastWords).join(' ');
    const last = rest.slice(rest.length - lastWords).join(' ');
    readings.push(middle.length > 0 ? { first, middle, last } : { first, last });
  }
  return readings;
}

/** Which heard names a given name may fit, from the shared-prefix tables (ReadingScorer.mayBeWithin). */
interface Gate {
  said: boolean;
  readonly related: Uint8Array;
}

/** Location constraints resolved against the roll's vocabularies: word id → distance. */
export interface PlaceFilter {
  readonly cities?: ReadonlyMap<number, number>;
  readonly counties?: ReadonlyMap<number, number>;
  readonly zip?: string;
  readonly streetWords?: readonly string[];
  /** A suffix said (suffixKey): voters without it fit less well, by suffixMismatchCost. */
  readonly suffix?: string;
}

/** Scores voters against one reading, caching per given-name word (a lookup sees few distinct ones). */
export class ReadingScorer {
  private readonly firstCosts: WordCostCache;
  /** Given names known to cost more than the value stored (found with an edit distance that stopped early). */
  private readonly firstFloors: WordCostCache;
  private readonly middleCosts: WordCostCache;
  private readonly firstStamp: number;
  private readonly floorStamp: number;
  private readonly middleStamp: number;
  private readonly heardFirst: (readonly Uint8Array[])[];
  private readonly heardMiddle: readonly Uint8Array[] | null;

  constructor(private readonly index: NameIndex, readonly reading: NameReading, private readonly place: PlaceFilter) {
    const lexicon = index.lexicon;
    const caches = index.givenCostCaches();
    this.firstCosts = caches.first;
    this.firstFloors = caches.firstFloors;
    this.middleCosts = caches.middle;
    this.firstStamp = caches.first.open();
    this.floorStamp = caches.firstFloors.open();
    this.middleStamp = caches.middle.open();
    const givenNames = index.givenNames;
    this.heardFirst = reading.first === undefined ? [] : [
      givenNames.pronounced(reading.first, lexicon),
      ...[...index.nicknames.relatedNames(reading.first)].map((name) => givenNames.pronounced(name, lexicon)),
    ];
    this.heardMiddle = reading.middle === undefined || reading.middle.length === 1
      ? null : givenNames.pronounced(reading.middle, lexicon);
    this.gate = { said: false, related: new Uint8Array(Math.max(0, this.heardFirst.length - 1)) };
  }

  /**
   * The most a given name can cost, as the first name of a voter whose surname is `surnameDistance`
   * from the one heard, while the voter costs `ceiling` or less (the middle name and place counted as
   * costing nothing: a bound for every voter of the surname). 1 or more: any given name can.
   */
  givenNameMax(surnameDistance: number, ceiling: number): number {
    return (ceiling - surnameWeight * surnameDistance) / firstWeight + ceilingSlack;
  }

  /** What a given name used as a first name costs more than itself as the first name. */
  get middleAsFirst(): number {
    return middleAsFirstCost;
  }

  /**
   * False only when the given name surely costs more than `limit` (as cost() measures a first name);
   * when true, its cost is known (cached for cost()), and when false, that it costs more. Below 1 the
   * shared-prefix tables rule most names out first: names asked in pronunciation order share the rows
   * of their edit-distance tables, so most are ruled out in a row or two.
   */
  givenNameWithin(word: number, limit: number): boolean {
    if (limit < 0) return false;
    const known = this.firstCosts.get(this.firstStamp, word);
    if (!Number.isNaN(known)) return known <= limit;
    const floor = this.firstFloors.get(this.floorStamp, word);
    if (!Number.isNaN(floor) && floor >= limit) return false;
    // Every name costs at most 1 (an empty one exactly 1, with no pronunciation for the tables to read).
    const gated = limit < 1;
    if (gated && !this.mayBeWithin(word, limit)) {
      this.firstFloors.set(this.floorStamp, word, limit);
      return false;
    }
    const cost = this.givenCostUpTo(word, limit, gated ? this.gate : undefined);
    if (cost <= limit) {
      this.firstCosts.set(this.firstStamp, word, cost);
      return true;
    }
    this.firstFloors.set(this.floorStamp, word, limit);
    return false;
  }

  /** The shared-prefix tables of the name heard and its related names, against the given names' layout. */
  private tables: {
    layout: PronunciationLayout; said: SharedPrefixDistance[]; related: SharedPrefixDistance[];
    /** The related name (index into heardFirst less one) each related table measures. */
    relatedName: Int32Array;
  } | null = null;

  /** What the tables said of the last word they read: whether the name heard, and each related name, may fit. */
  private readonly gate: Gate;

  /**
   * Whether the word may come within `limit` of the name heard or within it less nicknameCost of a related
   * name (the gate then says which: givenCostUpTo measures only those).
   */
  private mayBeWithin(word: number, limit: number): boolean {
    if (this.tables === null) {
      const layout = this.index.givenNames.layOut();
      const [said = [], ...related] = this.heardFirst;
      const table = (phones: Uint8Array): SharedPrefixDistance => new SharedPrefixDistance(phones, layout.flat);
      this.tables = {
        layout, said: said.map(table), related: related.flat().map(table),
        relatedName: Int32Array.from(related.flatMap((phones, name) => phones.map(() => name))),
      };
    }
    const { layout, said, related, relatedName } = this.tables;
    const gate = this.gate;
    gate.said = false;
    gate.related.fill(0);
    // The tables sum in double precision what phoneDistance sums in single: a margin far above rounding.
    const saidLimit = limit + ceilingSlack;
    const relatedLimit = limit - nicknameCost + nicknameSlack + ceilingSlack;
    const end = layout.endPronunciation[word] as number;
    let may = false;
    for (let pronunciation = layout.firstPronunciation[word] as number; pronunciation < end; pronunciation += 1) {
      for (const table of said) {
        if (!table.mayBeWithin(pronunciation, saidLimit)) continue;
        gate.said = true;
        may = true;
      }
      if (relatedLimit < 0) continue;
      for (let at = 0; at < related.length; at += 1) {
        if (!(related[at] as SharedPrefixDistance).mayBeWithin(pronunciation, relatedLimit)) continue;
        gate.related[relatedName[at] as number] = 1;
        may = true;
      }
    }
    return may;
  }

  /**
   * Cost of a voter row given its surname's distance; undefined when the place rules it out. With a
   * `ceiling`, a row surely costing more is Infinity, found without the full distance of its given
   * names (a common surname said without a place has thousands of them, most far from the one heard).
   */
  cost(row: number, surnameDistance: number, ceiling = Infinity): number | undefined {
    const placeCost = this.placeCost(row);
    if (placeCost === undefined) return undefined;
    const index = this.index;
    const middleCost = this.middleCost(index.middleOf(row));
    if (ceiling !== Infinity && this.heardFirst.length > 0) {
      // The row costs at least `floor` plus its given name's part: past `firstMax`, above the ceiling.
      const floor = surnameWeight * surnameDistance + middleWeight * middleCost + placeWeight * placeCost;
      const firstMax = (ceiling - floor) / firstWeight + ceilingSlack;
      if (firstMax < 1 && !this.givenNameWithin(index.firstOf(row), firstMax)
        && !this.givenNameWithin(index.middleOf(row), firstMax - middleAsFirstCost)) return Infinity;
    }
    const first = this.givenPart(index.firstOf(row), index.middleOf(row));
    const cost = surnameWeight * surnameDistance + firstWeight * Math.min(1, first)
      + middleWeight * middleCost + placeWeight * placeCost;
    // Checked without building the message first: this runs for every voter row read.
    if (!(cost >= 0 && cost <= 1.0001)) assert.fail(`cost ${cost} out of range`);
    return cost;
  }

  /**
   * min(first name's cost, middle name's cost + middleAsFirstCost), the one whose cost is known measured
   * in full and the other only as far as it could be the cheaper: a voter read for one name fitting
   * has another that mostly does not, and measuring that one in full against every nickname of the
   * name heard was most of a lookup's time. The same value as measuring both in full: the other is
   * measured exactly whenever it comes within a hair of winning.
   */
  private givenPart(firstWord: number, middleWord: number): number {
    if (this.heardFirst.length === 0) return 0;
    if (Number.isNaN(this.firstCosts.get(this.firstStamp, firstWord))
      && !Number.isNaN(this.firstCosts.get(this.firstStamp, middleWord))) {
      const middle = this.givenCost(middleWord) + middleAsFirstCost;
      if (!this.givenNameWithin(firstWord, middle + tieSlack)) return middle;
      return Math.min(this.givenCost(firstWord), middle);
    }
    const first = this.givenCost(firstWord);
    if (!this.givenNameWithin(middleWord, first - middleAsFirstCost + tieSlack)) return first;
    return Math.min(first, this.givenCost(middleWord) + middleAsFirstCost);
  }

  private givenCost(word: number): number {
    if (this.heardFirst.length === 0) return 0;
    const known = this.firstCosts.get(this.firstStamp, word);
    if (!Number.isNaN(known)) return known;
    const cost = this.givenCostUpTo(word, 1);
    this.firstCosts.set(this.firstStamp, word, cost);
    return cost;
  }

  /**
   * The given name's cost (the name heard, or a related name at nicknameCost more) when it is at most
   * `limit`, exactly as with no limit; otherwise some value above `limit` (edit distances stop early).
   * With the gate of this word and limit, the names it ruled out are not measured (they are surely too far).
   */
  private givenCostUpTo(word: number, limit: number, gate?: Gate): number {
    const vocabulary = this.index.givenNames;
    const [said, ...related] = this.heardFirst;
    let cost = vocabulary.text(word).length === 0 || gate?.said === false
      ? 1 : vocabulary.distanceTo(word, said ?? [], limit);
    for (let at = 0; at < related.length; at += 1) {
      if (gate !== undefined && gate.related[at] === 0) continue;
      const nickname = related[at] as Uint8Array[];
      // A nickname only counts when it comes within nicknameCost of the cost so far: an edit distance that
      // stops early shows most are not (a name like "mary" has two dozen), then the full one is taken.
      if (!vocabulary.mayBeWithin(word, nickname, Math.min(cost, limit) - nicknameCost + nicknameSlack)) continue;
      cost = Math.min(cost, vocabulary.distanceTo(word, nickname) + nicknameCost);
    }
    return cost;
  }

  private middleCost(word: number): number {
    const middle = this.reading.middle;
    if (middle === undefined) return 0;
    const known = this.middleCosts.get(this.middleStamp, word);
    if (!Number.isNaN(known)) return known;
    const text = this.index.givenNames.text(word);
    let cost: number;
    if (text.length === 0) cost = middleMissingCost;
    else if (this.heardMiddle === null) cost = text.startsWith(middle) ? 0 : 1;
    else cost = this.index.givenNames.distanceTo(word, this.heardMiddle);
    this.middleCosts.set(this.middleStamp, word, cost);
    return cost;
  }

  /** 0..1 for a voter in the place heard (0 when no place was said); undefined outside it. */
  placeCost(row: number): number | undefined {
    const { cities, counties, zip, streetWords, suffix } = this.place;
    let cost = 0;
    if (cities !== undefined || counties !== undefined) {
      const city = cities?.get(this.index.cityOf(row));
      const county = counties?.get(this.index.countyOf(row));
      if (city === undefined && county === undefined) return undefined;
      cost = Math.min(city ?? 1, county ?? 1);
    }
    if (zip !== undefined && this.index.zipOf(row) !== zip) return undefined;
    if (streetWords !== undefined && streetWords.length > 0) {
      const onRoll = new Set(this.index.streetOf(row).split(' '));
      const missing = streetWords.filter((word) => !onRoll.has(word)).length;
      cost = Math.min(1, cost + missing / streetWords.length);
    }
    if (suffix !== undefined && this.index.suffixKeyOf(row) !== suffix) cost = Math.min(1, cost + suffixMismatchCost);
    return cost;
  }
}

/** Resolves the place words against the roll; null when a place was said that the roll lacks. */
export function placeFilter(index: NameIndex, utterance: NameUtterance): PlaceFilter | null {
  const lexicon = index.lexicon;
  // Places within placeDistanceMax of the one said (Vocabulary.nearest), kept per place of the roll.
  const near = (places: NameIndex['cityNeighbours'], text: string): Map<number, number> =>
    new Map(places.nearest(pronounce(text, lexicon)).map((match) => [match.word, match.distance]));
  let cities: Map<number, number> | undefined;
  let counties: Map<number, number> | undefined;
  if (utterance.place !== undefined) {
    // A bare place may be a city or a county ("in story").
    cities = near(index.cityNeighbours, utterance.place);
    const countiesToo = near(index.countyNeighbours, utterance.place);
    if (countiesToo.size > 0) counties = countiesToo;
    if (cities.size === 0 && counties === undefined) return null;
  }
  if (utterance.county !== undefined) {
    const named = near(index.countyNeighbours, utterance.county);
    if (named.size === 0) return null;
    if (utterance.place === undefined) counties = named;
    else {
      // "ames in story county": the city, and only voters of that county.
      counties = undefined;
      const inCounty = cities ?? new Map<number, number>();
      cities = new Map([...inCounty].filter(([city]) => cityInCounties(index, city, named)));
      if (cities.size === 0) return null;
    }
  }
  const filter: { -readonly [K in keyof PlaceFilter]: PlaceFilter[K] } = {};
  if (cities !== undefined && cities.size > 0) filter.cities = cities;
  if (counties !== undefined) filter.counties = counties;
  if (utterance.zip !== undefined) filter.zip = utterance.zip;
  if (utterance.street !== undefined) filter.streetWords = utterance.street.split(' ').filter((word) => word.length > 0);
  if (utterance.suffix !== undefined) filter.suffix = utterance.suffix;
  return filter;
}

function cityInCounties(index: NameIndex, city: number, counties: ReadonlyMap<number, number>): boolean {
  return [...counties.keys()].some((county) => index.citiesOfCounty(county).has(city));
}
