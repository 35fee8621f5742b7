// Name distributions for sample rolls, read from data/names (and the humannames package for the
// surname tail). Real rolls have a heavy head (the census top 1,022 surnames cover ~40% of people)
// and a very long tail. Surnames: census counts for the head, then the same Zipf law continued
// past the last census rank over a fixed shuffle of the tail, which lands the head near 40% on
// its own. Given names: a ranked head of common names, then their lists' long tail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readDataLines } from './data-dir.js';
import { RollDataError } from './errors.js';
import { Prng, rankWeights, shuffled, WeightedTable } from './prng.js';
/**
 * Seed of the fixed shuffle that decides which tail names are "common" tail names. It is a
 * property of the data, not of a roll, so it never changes with the roll's seed.
 */
const tailRankSeed = 20_100_401;
/** Census surname counts fall about as 1/rank around rank 1,000; the tail continues that law. */
const surnameTailExponent = 1.0;
/** Shapes chosen so the most common first name is ~3% of voters and the 204-name head ~65%. */
const firstNameShape = { offset: 10, exponent: 1.3 };
const middleNameShape = { offset: 5, exponent: 1.2 };
const noMiddleNameShare = 0.12;
const hyphenatedSurnameShare = 0.015;
/** Share of prefixed surnames ("vandyke", "mcdonald") written as two words ("van dyke"). */
const splitPrefixShare = 0.4;
const splittablePrefix = /^(VAN|VON|DE|LA|LE|MC|MAC|ST)([A-Z']{3,})$/;
const surnameTailPattern = /^(?:[od]'[a-z]+|[a-z][a-z']*[a-z])$/;

/** Names come out upper case, as Iowa exports write them. */
export interface SampleNames {
  surname(prng: Prng): string;
  firstName(prng: Prng): string;
  /** '' for voters without a middle name. */
  middleName(prng: Prng): string;
  /** Sizes, for tests and the generator's report. */
  readonly surnameHeadCount: number;
  readonly surnameTailCount: number;
}

interface CensusSurnames {
  names: string[];
  counts: number[];
}

function loadCensusSurnames(): CensusSurnames {
  const [header, ...rows] = readDataLines('names', 'surnames-census-2010.csv');
  assert.equal(header, 'name,rank,count', 'census surname header');
  const names: string[] = [];
  const counts: number[] = [];
  for (const row of rows) {
    const [name, , count] = row.split(',');
    if (name === undefined || count === undefined || !(Number(count) > 0)) {
      throw new RollDataError(`surnames-census-2010.csv: bad row ${row}`);
    }
    names.push(name.toLowerCase());
    counts.push(Number(count));
  }
  assert.ok(names.length > 100, 'census surname list too short');
  return { names, counts };
}

/** Census head plus tail; tail rank r weighs lastCount · (headSize / (headSize + r))^exponent. */
function surnameTable(census: CensusSurnames, tail: readonly string[]): WeightedTable<string> {
  const headSize = census.names.length;
  const lastCount = census.counts[headSize - 1] as number;
  const tailWeights = tail.map((_, index) => lastCount * (headSize / (headSize + index + 1)) ** surnameTailExponent);
  return new WeightedTable([...census.names, ...tail].map((name) => name.toUpperCase()),
    [...census.counts, ...tailWeights]);
}

function humannamesList(): string[] {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('humannames/list.txt'), 'utf8').split(/\r?\n/);
}

/** humannames mixes given names and surnames; keep the entries that can only be surnames. */
function surnameTail(givenNames: ReadonlySet<string>, census: ReadonlySet<string>): string[] {
  const tail = new Set<string>();
  for (const entry of humannamesList()) {
    const name = entry.trim().toLowerCase();
    if (!surnameTailPattern.test(name) || givenNames.has(name) || census.has(name)) continue;
    tail.add(name);
  }
  assert.ok(tail.size > 50_000, `surname tail too short: ${tail.size}`);
  return [...tail];
}

/** The ranked head file first, then the rest of the list in a fixed shuffled order. */
function rankedGivenNames(headFile: string, tailFile: string,
  shape: { offset: number; exponent: number }): WeightedTable<string> {
  const head = [...new Set(readDataLines('names', headFile).map((name) => name.toLowerCase()))];
  const headSet = new Set(head);
  const tail = readDataLines('names', tailFile).map((name) => name.toLowerCase())
    .filter((name) => !headSet.has(name) && /^[a-z][a-z' -]*$/.test(name));
  const names = [...head, ...shuffled(tail, new Prng(tailRankSeed))];
  return new WeightedTable(names.map((name) => name.toUpperCase()), rankWeights(names.length, shape));
}

function splitPrefix(surname: string, prng: Prng): string {
  const match = splittablePrefix.exec(surname);
  if (match === null || !prng.chance(splitPrefixShare)) return surname;
  return `${match[1]} ${match[2]}`;
}

function createSampleNames(): SampleNames {
  const census = loadCensusSurnames();
  const givenNames = new Set([
    ...readDataLines('names', 'first-names.txt'), ...readDataLines('names', 'middle-names.txt'),
  ].map((name) => name.toLowerCase()));
  const tail = shuffled(surnameTail(givenNames, new Set(census.names)), new Prng(tailRankSeed));
  const surnames = surnameTable(census, tail);
  const singleSurname = (prng: Prng): string => splitPrefix(surnames.pick(prng), prng);
  const firstNames = rankedGivenNames('first-names-common.txt', 'first-names.txt', firstNameShape);
  const middleNames = rankedGivenNames('middle-names-common.txt', 'middle-names.txt', middleNameShape);
  return {
    surname: (prng) => {
      const surname = singleSurname(prng);
      return prng.chance(hyphenatedSurnameShare) ? `${surname}-${singleSurname(prng)}` : surname;
    },
    firstName: (prng) => firstNames.pick(prng),
    middleName: (prng) => (prng.chance(noMiddleNameShare) ? '' : middleNames.pick(prng)),
    surnameHeadCount: census.names.length,
    surnameTailCount: tail.length,
  };
}

let cached: SampleNames | undefined;

export function loadSampleNames(): SampleNames {
  cached ??= createSampleNames();
  return cached;
}
