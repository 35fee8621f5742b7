// Per-city name grammars (pass 2), built lazily from the roll the first time a city is heard and kept
// in a least-recently-used cache of bounded size, per roll generation: a new import brings a new
// NameRoll, whose grammars replace the old generation's (their files are deleted).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { buildCityNameGrammars } from '../grammar/name-grammar.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import type { NameRoll } from './name-roll.js';

export interface CityGrammar {
  readonly grammar: GrammarDefinition;
  /** Wall time to build the word graph and write the FSG. */
  readonly buildMs: number;
  readonly voters: number;
}

export class CityGrammarCache {
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Promise<CityGrammar>>();
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

  /** The city's grammar, built on first use; null when the roll has no (sayable) voter there. */
  async cityGrammar(slug: string): Promise<CityGrammar | null> {
    if (this.roll.votersOf(slug).length === 0) return null;
    let entry = this.entries.get(slug);
    if (entry !== undefined) {
      this.entries.delete(slug);
      this.entries.set(slug, entry);
    } else {
      entry = this.build(slug);
      this.entries.set(slug, entry);
      entry.catch(() => { this.entries.delete(slug); });
      this.evict();
    }
    return entry;
  }

  /** Deletes every file of this generation (the cache is unusable after). */
  async dispose(): Promise<void> {
    this.entries.clear();
    const dir = this.generationDir;
    this.generationDir = null;
    if (dir !== null) await rm(await dir, { recursive: true, force: true });
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Promise<CityGrammar>];
      this.entries.delete(oldest);
      // The FSG file goes; a decoder that compiled it keeps its own copy.
      void entry.then((built) => rm(built.grammar.source, { force: true }), () => undefined);
    }
  }

  private async build(slug: string): Promise<CityGrammar> {
    this.generationDir ??= mkdtemp(join(this.parentDir, 'name-grammars-'));
    const outDir = await this.generationDir;
    const started = performance.now();
    const voters = this.roll.votersOf(slug);
    const { grammars } = await buildCityNameGrammars({ voters, generation: this.roll.generation, outDir,
      lexicon: this.lexicon });
    const grammar = grammars[0];
    if (grammar === undefined) throw new Error(`no voter of ${slug} has a name the lexicon can say`);
    this.builds += 1;
    return { grammar, buildMs: performance.now() - started, voters: voters.length };
  }
}
