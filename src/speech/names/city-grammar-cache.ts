// Per-city name grammars (pass 2), built lazily from the roll the first time a city is heard and kept
// in a least-recently-used cache of bounded size, per roll generation: a new import brings a new
// NameRoll, whose grammars replace the old generation's (their files are deleted).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { buildCityNameGrammars, type RollName } from '../grammar/name-grammar.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import type { NameRoll } from './name-roll.js';
import { buildTownFinderGrammar } from './town-finder-grammar.js';

export interface CityGrammar {
  readonly grammar: GrammarDefinition;
  /** Wall time to build the word graph and write the FSG. */
  readonly buildMs: number;
  readonly voters: number;
}

/**
 * A large town's voters cut into contiguous ranges of surnames (alphabetical, cut only between two surnames) of
 * at most `votersMax` voters each: one surname shared by more voters than that is a range of its own.
 */
export function surnameRanges(voters: readonly RollName[], votersMax: number): RollName[][] {
  const bySurname = new Map<string, RollName[]>();
  for (const voter of voters) {
    const key = voter.last.toLowerCase();
    const group = bySurname.get(key);
    if (group === undefined) bySurname.set(key, [voter]);
    else group.push(voter);
  }
  const ranges: RollName[][] = [];
  let current: RollName[] = [];
  for (const surname of [...bySurname.keys()].sort()) {
    const group = bySurname.get(surname) ?? [];
    if (current.length > 0 && current.length + group.length > votersMax) {
      ranges.push(current);
      current = [];
    }
    current = current.concat(group);
  }
  if (current.length > 0) ranges.push(current);
  return ranges;
}

export class CityGrammarCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Promise<CityGrammar>>();
  /**
   * The short-form grammars, kept apart with the same capacity: every name heard builds one beside its town's roll
   * grammar (they follow the caller together), and sharing one bound would halve the towns kept compiled.
   */
  private readonly shortFormEntries = new Map<string, Promise<CityGrammar>>();
  /** Whether a town has a voter with a short form, looked up once per town (asked on every unsure name). */
  private readonly hasShortForms = new Map<string, boolean>();
  /** A large town's surname ranges, cut once per town. */
  private readonly ranges = new Map<string, RollName[][]>();
  private generationDir: Promise<string> | null = null;
  private builds = 0;

  constructor(private readonly roll: NameRoll, private readonly lexicon: Lexicon,
    private readonly capacity: number, private readonly parentDir = tmpdir()) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('city grammar cache capacity must be >= 1');
  }

  get generation(): string {
    return this.roll.generation;
  }

  /** Grammars built so far (cache misses), for tests and the benchmark. */
  get buildCount(): number {
    return this.builds;
  }

  get cachedCities(): string[] {
    return [...this.entries.keys()];
  }

  /** The towns whose short-form grammar is cached, least recently used first. */
  get cachedShortForms(): string[] {
    return [...this.shortFormEntries.keys()];
  }

  /** The city's grammar, built on first use; null when the roll has no (sayable) voter there. */
  async cityGrammar(slug: string): Promise<CityGrammar | null> {
    const voters = this.roll.votersOf(slug);
    if (voters.length === 0) return null;
    return this.cached(slug, () => this.build(slug, voters));
  }

  private cached(key: string, build: () => Promise<CityGrammar>,
    entries = this.entries): Promise<CityGrammar> {
    let entry = entries.get(key);
    if (entry !== undefined) {
      entries.delete(key);
      entries.set(key, entry);
    } else {
      entry = build();
      entries.set(key, entry);
      entry.catch(() => { entries.delete(key); });
      this.evict(entries);
    }
    return entry;
  }

  /**
   * The city's grammar with its voters' first-name short forms too ("jim smith" for James Smith; voterPhrases),
   * built on first use; null when no voter there has a short form in the nicknames table.
   */
  async shortFormGrammar(slug: string): Promise<CityGrammar | null> {
    const voters = this.roll.votersOf(slug);
    let has = this.hasShortForms.get(slug);
    if (has === undefined) {
      has = voters.some((voter) => (voter.firstShortForms?.length ?? 0) > 0);
      this.hasShortForms.set(slug, has);
    }
    if (!has) return null;
    return this.cached(slug, () => this.build(slug, voters, undefined, true), this.shortFormEntries);
  }

  /**
   * The town's grammars for a name said after its town: the whole town's up to `votersMax` voters, else one per
   * surname range (surnameRanges), each built on first use and cached like a town's. Empty when the roll has
   * no voter there.
   */
  async townGrammars(slug: string, votersMax: number): Promise<CityGrammar[]> {
    const voters = this.roll.votersOf(slug);
    if (voters.length === 0) return [];
    if (voters.length <= votersMax) {
      const whole = await this.cityGrammar(slug);
      return whole === null ? [] : [whole];
    }
    const key = `${slug}@${votersMax}`;
    let ranges = this.ranges.get(key);
    if (ranges === undefined) {
      ranges = surnameRanges(voters, votersMax);
      this.ranges.set(key, ranges);
    }
    return Promise.all(ranges.map(async (range, index) =>
      this.cached(`${slug}#${index + 1}-of-${ranges.length}@${votersMax}`,
        () => this.build(slug, range, `${index + 1}-of-${ranges.length}`))));
  }

  /** The town's given names and surnames as free slots (town-finder-grammar.ts); null when it has no voter. */
  async townFinder(slug: string): Promise<CityGrammar | null> {
    const voters = this.roll.votersOf(slug);
    if (voters.length === 0) return null;
    return this.cached(`${slug}#finder`, async () => {
      const started = performance.now();
      const grammar = buildTownFinderGrammar(voters, this.lexicon, this.roll.generation, slug);
      if (grammar === null) throw new Error(`no voter of ${slug} has a name the lexicon can say`);
      return { grammar, buildMs: performance.now() - started, voters: voters.length };
    });
  }

  /** Deletes every file of this generation (the cache is unusable after). */
  async dispose(): Promise<void> {
    this.entries.clear();
    this.shortFormEntries.clear();
    const dir = this.generationDir;
    this.generationDir = null;
    if (dir !== null) await rm(await dir, { recursive: true, force: true });
  }

  private evict(entries: Map<string, Promise<CityGrammar>>): void {
    while (entries.size > this.capacity) {
      const [oldest, entry] = entries.entries().next().value as [string, Promise<CityGrammar>];
      entries.delete(oldest);
      // The FSG file goes (a JSGF's source is its text: nothing to delete); a decoder that compiled it keeps its copy.
      void entry.then(async (built) => {
        if (built.grammar.format === 'fsg') await rm(built.grammar.source, { force: true });
      }).catch(() => undefined);
    }
  }

  private async build(slug: string, voters: readonly RollName[], part?: string,
    shortForms = false): Promise<CityGrammar> {
    this.generationDir ??= mkdtemp(join(this.parentDir, 'name-grammars-'));
    const outDir = await this.generationDir;
    const started = performance.now();
    const { grammars } = await buildCityNameGrammars({ voters, generation: this.roll.generation, outDir,
      lexicon: this.lexicon, shortForms, ...(part === undefined ? {} : { part }) });
    const grammar = grammars[0];
    if (grammar === undefined) throw new Error(`no voter of ${slug} has a name the lexicon can say`);
    this.builds += 1;
    return { grammar, buildMs: performance.now() - started, voters: voters.length };
  }
}
