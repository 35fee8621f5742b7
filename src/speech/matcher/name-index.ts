// The roll, laid out for name lookup: every voter is a row of small integers (word ids of the
// interned vocabularies) in typed arrays, and voters are grouped by surname and, within a surname,
// by city, so a lookup reads only the voters of the few surnames that sound like the one heard.
import assert from 'node:assert/strict';
import type { RegisteredVoter } from '../../core/voter.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import { plainName } from '../../core/plain-letters.js';
import { suffixKey } from '../lexicon/name-suffixes.js';
import { withTownAbbreviations } from '../lexicon/town-abbreviations.js';
import { GivenNameRuns } from './given-name-runs.js';
import { keypadDigits } from './keypad-digits.js';
import {
  isCompoundSurname, joinedSurname, lastPartOf, placeDistanceMax, readsSeveralWords, surnameLimits, surnamesToRead,
} from './name-scoring.js';
import type { NearestLimits } from './nearest-words.js';
import { NeighbourLists } from './neighbour-lists.js';
import { Nicknames } from './nicknames.js';
import { Vocabulary, pronounce } from './vocabulary.js';
import type { WordMatch } from './vocabulary.js';
import { WordCostCache } from './word-cost-cache.js';

/** A voter as the matcher needs it: the roll's lower-case fields, flat. */
export interface MatchableVoter {
  /** REGN_NUM. */
  readonly id: string;
  readonly first: string;
  readonly middle: string;
  readonly last: string;
  readonly suffix?: string;
  readonly city: string;
  readonly county: string;
  readonly zip: string;
  /** "n main st": pre-direction, name, type (no house number). */
  readonly street?: string;
}

export function matchableVoter(voter: RegisteredVoter): MatchableVoter {
  return {
    id: voter.id, first: voter.name.first, middle: voter.name.middle, last: voter.name.last,
    suffix: voter.name.suffix, city: voter.city, county: voter.county, zip: voter.zip, street: voter.street,
  };
}

const initialCapacity = 1024;
/**
 * A search cut at `within` looks a little farther and the lists cut there exactly: an edit distance that
 * stops early compares unrounded sums with its limit, so a word right at it could be missed otherwise.
 */
const withinSlack = 1e-4;

/** A growable Int32 column: the index holds millions of rows without millions of objects. */
class Column {
  private data = new Int32Array(initialCapacity);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  last(): number {
    return this.data[this.length - 1] as number;
  }

  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export interface NameIndexOptions {
  /** Nickname table; none by default (pure: callers load data/names/nicknames.csv with loadNicknames). */
  readonly nicknames?: Nicknames;
  /**
   * When each surname's nearest surnames (and each place's nearest places) are found (neighbour-lists.ts):
   * 'build' (default) finds them all while building, so no lookup searches for a name of the roll;
   * 'first-use' finds each the first time it is heard (a quicker build, for small rolls and tests).
   */
  readonly surnameNeighbours?: 'build' | 'first-use';
}

export class NameIndex {
  /** Lookup scratch (lookups run one at a time: they are synchronous), made on first use. */
  private rowSlots: Int32Array | null = null;
  private givenCosts: GivenCostCaches | null = null;
  /** suffixKeyOf by suffix text id. */
  private readonly suffixKeys = new Map<number, string>();

  private constructor(
    readonly lexicon: Lexicon,
    readonly nicknames: Nicknames,
    /** Surnames (whole: "smith-jones", "van dyke"), indexed by phonetic keys. */
    readonly surnames: Vocabulary,
    /** First and middle names share one vocabulary (a middle name is often the name used). */
    readonly givenNames: Vocabulary,
    readonly cities: Vocabulary,
    readonly counties: Vocabulary,
    /** Everything else shown back (ids, suffixes, zips, streets) is interned without pronunciations. */
    private readonly texts: Vocabulary,
    private readonly columns: VoterColumns,
    /**
     * Voter rows grouped by surname, by city within a surname (by first name within a city):
     * `surnameStarts[s]…surnameStarts[s+1]`.
     */
    readonly surnameStarts: Int32Array,
    readonly votersBySurname: Int32Array,
    /** Surname ids sorted by their keypad digits, for dial-by-name prefix ranges. */
    readonly surnamesByKeypad: Int32Array,
    readonly surnameKeypad: readonly string[],
    private readonly countyCities: ReadonlyMap<number, ReadonlySet<number>>,
    /** Each surname's nearest surnames, with the limits a lookup reads them with. */
    readonly surnameNeighbours: NeighbourLists,
    /** Each city's and county's places within placeDistanceMax (what a place said narrows to). */
    readonly cityNeighbours: NeighbourLists,
    readonly countyNeighbours: NeighbourLists,
    /** The compound surnames alone (name-scoring.ts readsSeveralWords), ids in surname-id order. */
    private readonly compounds: CompoundSurnames,
    /** Each surname's voters by given name (first or middle), for lookups without a city. */
    readonly givenNameRuns: GivenNameRuns,
  ) {}

  /**
   * Finds up to `count` more neighbour lists of each kind (surnames, cities, counties); true once every
   * list is found. An index built with 'first-use' fills them this way a slice at a time, so no event
   * loop is held for the minutes a roll of millions takes (lookups meanwhile search, with the same answers).
   */
  findNeighbours(count: number): boolean {
    let done = true;
    for (const lists of [this.surnameNeighbours, this.cityNeighbours, this.countyNeighbours]) {
      if (!lists.findSome(count)) done = false;
    }
    return done;
  }

  /**
   * The surnames a reading reads for a heard surname: the nearest few (name-scoring.ts surnameLimits),
   * only those within `within` of heard when given (the same list, cut there).
   */
  nearestSurnames(heard: readonly Uint8Array[], within = Infinity): WordMatch[] {
    return this.surnameNeighbours.nearest(heard, within);
  }

  /**
   * The surnames a reading reads for the surname it heard (its text): `nearestSurnames` of its
   * pronunciations, or for a surname of several heard words, the nearest compound surnames and the
   * one-word surname its words spell joined (name-scoring.ts readsSeveralWords), cut the same way.
   */
  surnamesHeard(last: string, within = Infinity): WordMatch[] {
    const heard = this.surnames.pronounced(last, this.lexicon);
    if (!readsSeveralWords(last)) return this.nearestSurnames(heard, within);
    const { vocabulary, surnameIds, partStarts, partCompounds } = this.compounds;
    // Compounds farther than `within` are left out unmeasured: the nearest few of those within it are
    // the nearest few of all, cut at it.
    const limit = Math.min(surnameLimits.distanceMax, within + withinSlack);
    const found: WordMatch[] = [];
    for (const { word: part } of this.nearLastParts(last)) {
      for (let at = partStarts[part] as number; at < (partStarts[part + 1] as number); at += 1) {
        const compound = partCompounds[at] as number;
        const distance = vocabulary.distanceTo(compound, heard, limit);
        if (distance <= limit) found.push({ word: surnameIds[compound] as number, distance });
      }
    }
    const joined = this.surnames.idOf(joinedSurname(last));
    if (joined !== undefined) {
      const distance = this.surnames.distanceTo(joined, heard, surnameLimits.distanceMax);
      if (distance <= surnameLimits.distanceMax) found.push({ word: joined, distance });
    }
    found.sort((a, b) => a.distance - b.distance || a.word - b.word);
    return surnamesToRead(found).filter((match) => match.distance <= within);
  }

  /**
   * The last words of compound surnames nearest the last word of `last` (lastPartOf), with the limits of a
   * surname search: the compounds a surname of several heard words reads end in one of them.
   */
  compoundLastPartsNear(last: string): ReadonlySet<string> {
    return new Set(this.nearLastParts(last).map(({ word }) => this.compounds.lastParts.text(word)));
  }

  /**
   * The roll's given name two heard words say as one (nameReadings): hyphenated as the roll mostly writes
   * them ("lor-anna"), or with a space ("mary jo"); undefined when the roll has neither.
   */
  readonly twoWordGivenName = (first: string, second: string): string | undefined => {
    for (const joined of [`${first}-${second}`, `${first} ${second}`]) {
      if (this.givenNames.idOf(joined) !== undefined) return joined;
    }
    return undefined;
  };

  /** Every compound surname's last word (lastPartOf), for the scan's reference answer. */
  get compoundLastParts(): Vocabulary {
    return this.compounds.lastParts;
  }

  private nearLastParts(last: string): WordMatch[] {
    const lastParts = this.compounds.lastParts;
    return lastParts.size === 0 ? [] : lastParts.nearestFew(pronounce(lastPartOf(last), this.lexicon), surnameLimits);
  }

  /** One slot per voter row, -1 between lookups (row-costs.ts). */
  rowSlotScratch(): Int32Array {
    this.rowSlots ??= new Int32Array(this.voterCount).fill(-1);
    return this.rowSlots;
  }

  /** Given-name costs of a reading, for the first and the middle name heard (name-scoring.ts). */
  givenCostCaches(): GivenCostCaches {
    const size = this.givenNames.size;
    this.givenCosts ??= {
      first: new WordCostCache(size), firstFloors: new WordCostCache(size), middle: new WordCostCache(size),
    };
    return this.givenCosts;
  }

  /** Cities with voters in the county. */
  citiesOfCounty(county: number): ReadonlySet<number> {
    return this.countyCities.get(county) ?? new Set();
  }

  get voterCount(): number {
    return this.columns.first.length;
  }

  static build(voters: Iterable<MatchableVoter>, dictionary: Lexicon, options: NameIndexOptions = {}): NameIndex {
    // "ft madison" is said "fort madison", as the name grammars say it (town-abbreviations.ts).
    const lexicon = withTownAbbreviations(dictionary);
    const surnames = new Vocabulary();
    const givenNames = new Vocabulary();
    const cities = new Vocabulary();
    const counties = new Vocabulary();
    const texts = new Vocabulary();
    const countyCities = new Map<number, Set<number>>();
    const columns = {
      id: new Column(), first: new Column(), middle: new Column(), last: new Column(), suffix: new Column(),
      city: new Column(), county: new Column(), zip: new Column(), street: new Column(),
    };
    for (const voter of voters) {
      assert.ok(voter.last.length > 0, `voter ${voter.id} has no surname`);
      columns.id.push(texts.intern(voter.id));
      // Names and places in plain letters: what a caller says or keys has no accents or periods (plain-letters.ts).
      columns.first.push(givenNames.intern(plainName(voter.first)));
      columns.middle.push(givenNames.intern(plainName(voter.middle)));
      columns.last.push(surnames.intern(plainName(voter.last)));
      columns.suffix.push(texts.intern(voter.suffix ?? ''));
      columns.city.push(cities.intern(plainName(voter.city)));
      columns.county.push(counties.intern(plainName(voter.county)));
      columns.zip.push(texts.intern(voter.zip));
      columns.street.push(texts.intern(voter.street ?? ''));
      const county = columns.county.last();
      let citiesOfCounty = countyCities.get(county);
      if (citiesOfCounty === undefined) countyCities.set(county, citiesOfCounty = new Set());
      citiesOfCounty.add(columns.city.last());
    }
    for (const vocabulary of [surnames, givenNames, cities, counties]) vocabulary.pronounceAll(lexicon);
    for (const vocabulary of [surnames, cities, counties]) vocabulary.indexPhones();
    const finished: VoterColumns = {
      id: columns.id.finish(), first: columns.first.finish(), middle: columns.middle.finish(),
      last: columns.last.finish(), suffix: columns.suffix.finish(), city: columns.city.finish(),
      county: columns.county.finish(), zip: columns.zip.finish(), street: columns.street.finish(),
    };
    const givenRank = givenNames.layOut().rank;
    const { starts, rows } = groupBySurnameAndCity(finished, surnames.size, cities.size, givenRank);
    const keypad = Array.from({ length: surnames.size }, (_, id) => keypadDigits(surnames.text(id)));
    const byKeypad = Int32Array.from(keypad.keys()).sort((a, b) => {
      const left = keypad[a] as string;
      const right = keypad[b] as string;
      return left < right ? -1 : left > right ? 1 : a - b;
    });
    const neighbours = new NeighbourLists(surnames,
      (heard, within = Infinity) => surnames.nearestFew(heard, surnameLimitsWithin(within)));
    const compounds = compoundSurnames(surnames, lexicon);
    const givenNameRuns = GivenNameRuns.build({
      surnameOf: finished.last, firstOf: finished.first, middleOf: finished.middle, surnameCount: surnames.size,
      givenRank, noGivenName: givenNames.idOf(''),
    });
    const places = [cities, counties].map((vocabulary) =>
      new NeighbourLists(vocabulary, (heard) => vocabulary.nearest(heard, placeDistanceMax)));
    if ((options.surnameNeighbours ?? 'build') === 'build') for (const lists of [neighbours, ...places]) lists.findAll();
    return new NameIndex(lexicon, options.nicknames ?? Nicknames.parse(''), surnames, givenNames, cities, counties,
      texts, finished, starts, rows, byKeypad, keypad, countyCities, neighbours, places[0] as NeighbourLists,
      places[1] as NeighbourLists, compounds, givenNameRuns);
  }

  /** The voter of a row, rebuilt from the columns: names and places in plain letters (plain-letters.ts). */
  voter(row: number): MatchableVoter {
    assert.ok(row >= 0 && row < this.voterCount, `no voter row ${row}`);
    const c = this.columns;
    const at = (column: Int32Array): number => column[row] as number;
    return {
      id: this.texts.text(at(c.id)), first: this.givenNames.text(at(c.first)),
      middle: this.givenNames.text(at(c.middle)), last: this.surnames.text(at(c.last)),
      suffix: this.texts.text(at(c.suffix)), city: this.cities.text(at(c.city)),
      county: this.counties.text(at(c.county)), zip: this.texts.text(at(c.zip)),
      street: this.texts.text(at(c.street)),
    };
  }

  firstOf(row: number): number { return this.columns.first[row] as number; }
  middleOf(row: number): number { return this.columns.middle[row] as number; }
  surnameOf(row: number): number { return this.columns.last[row] as number; }
  cityOf(row: number): number { return this.columns.city[row] as number; }
  countyOf(row: number): number { return this.columns.county[row] as number; }
  zipOf(row: number): string { return this.texts.text(this.columns.zip[row] as number); }
  streetOf(row: number): string { return this.texts.text(this.columns.street[row] as number); }
  /** The voter's suffix as suffixKey gives it ('' for none); a roll writes few suffixes, each folded once. */
  suffixKeyOf(row: number): string {
    const id = this.columns.suffix[row] as number;
    let key = this.suffixKeys.get(id);
    if (key === undefined) {
      key = suffixKey(this.texts.text(id));
      this.suffixKeys.set(id, key);
    }
    return key;
  }

  /** Rows of a surname, optionally only those of one city (a binary search within the surname's group). */
  rowsOfSurname(surname: number, city?: number): Int32Array {
    const start = this.surnameStarts[surname] as number;
    const end = this.surnameStarts[surname + 1] as number;
    if (city === undefined) return this.votersBySurname.subarray(start, end);
    const first = this.lowerBound(start, end, city);
    const after = this.lowerBound(first, end, city + 1);
    return this.votersBySurname.subarray(first, after);
  }

  private lowerBound(start: number, end: number, city: number): number {
    let low = start;
    let high = end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cityOf(this.votersBySurname[middle] as number) < city) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Bytes held by the typed arrays (the vocabularies' strings come on top; see the benchmark's heap figure). */
  get columnBytes(): number {
    const columns = Object.values(this.columns).reduce((sum, column) => sum + column.byteLength, 0);
    return columns + this.surnameStarts.byteLength + this.votersBySurname.byteLength + this.surnamesByKeypad.byteLength
      + this.givenNameRuns.bytes;
  }
}

interface CompoundSurnames {
  readonly vocabulary: Vocabulary;
  /** `surnameIds[c]`: the surname id of compound c (increasing, so ties by id order alike). */
  readonly surnameIds: Int32Array;
  /** The compounds' last words (lastPartOf), with phonetic postings for the search. */
  readonly lastParts: Vocabulary;
  /** The compounds ending in last word p: `partCompounds[partStarts[p]…partStarts[p+1]]`, increasing. */
  readonly partStarts: Int32Array;
  readonly partCompounds: Int32Array;
}

function compoundSurnames(surnames: Vocabulary, lexicon: Lexicon): CompoundSurnames {
  const vocabulary = new Vocabulary();
  const lastParts = new Vocabulary();
  const ids: number[] = [];
  const partOf: number[] = [];
  for (let surname = 0; surname < surnames.size; surname += 1) {
    const text = surnames.text(surname);
    if (!isCompoundSurname(text)) continue;
    vocabulary.intern(text);
    ids.push(surname);
    partOf.push(lastParts.intern(lastPartOf(text)));
  }
  for (const words of [vocabulary, lastParts]) {
    words.pronounceAll(lexicon);
    words.indexPhones();
  }
  // Compounds grouped by last word (a counting sort keeps them in increasing order within a word).
  const partStarts = new Int32Array(lastParts.size + 1);
  for (const part of partOf) partStarts[part + 1] = (partStarts[part + 1] as number) + 1;
  for (let part = 0; part < lastParts.size; part += 1) {
    partStarts[part + 1] = (partStarts[part + 1] as number) + (partStarts[part] as number);
  }
  const next = partStarts.slice(0, lastParts.size);
  const partCompounds = new Int32Array(partOf.length);
  partOf.forEach((part, compound) => {
    partCompounds[next[part] as number] = compound;
    next[part] = (next[part] as number) + 1;
  });
  return { vocabulary, surnameIds: Int32Array.from(ids), lastParts, partStarts, partCompounds };
}

/** The surname search's limits when nothing farther than `within` is wanted (cut a hair beyond it). */
function surnameLimitsWithin(within: number): NearestLimits {
  return within + withinSlack < surnameLimits.distanceMax
    ? { ...surnameLimits, distanceMax: within + withinSlack } : surnameLimits;
}

export interface GivenCostCaches {
  readonly first: WordCostCache;
  /** Given names known to cost more than the value stored. */
  readonly firstFloors: WordCostCache;
  readonly middle: WordCostCache;
}

interface VoterColumns {
  readonly id: Int32Array;
  readonly first: Int32Array;
  readonly middle: Int32Array;
  readonly last: Int32Array;
  readonly suffix: Int32Array;
  readonly city: Int32Array;
  readonly county: Int32Array;
  readonly zip: Int32Array;
  readonly street: Int32Array;
}

/**
 * Three stable counting sorts (first name, city, then surname): rows grouped by surname, by city inside,
 * and within a city by first name in pronunciation order, so a lookup meets each given name's voters
 * together (one measure for all) and neighbouring names share their edit-distance rows.
 */
function groupBySurnameAndCity(columns: VoterColumns, surnameCount: number, cityCount: number, givenRank: Int32Array):
  { starts: Int32Array; rows: Int32Array } {
  const count = columns.last.length;
  const firstRanks = Int32Array.from(columns.first, (first) => givenRank[first] as number);
  const byFirst = countingSort(Int32Array.from({ length: count }, (_, row) => row), firstRanks, givenRank.length).rows;
  const byCity = countingSort(byFirst, columns.city, cityCount).rows;
  const { rows, starts } = countingSort(byCity, columns.last, surnameCount);
  return { starts, rows };
}

function countingSort(rows: Int32Array, keyOf: Int32Array, keyCount: number): { starts: Int32Array; rows: Int32Array } {
  const starts = new Int32Array(keyCount + 1);
  for (const row of rows) {
    const key = keyOf[row] as number;
    starts[key + 1] = (starts[key + 1] as number) + 1;
  }
  for (let key = 0; key < keyCount; key += 1) starts[key + 1] = (starts[key + 1] as number) + (starts[key] as number);
  const fill = starts.slice(0, keyCount);
  const sorted = new Int32Array(rows.length);
  for (const row of rows) {
    const key = keyOf[row] as number;
    sorted[fill[key] as number] = row;
    fill[key] = (fill[key] as number) + 1;
  }
  return { starts, rows: sorted };
}
