// The voice name path's view of the roll in force: for the current generation, the phonetic name
// index (the matcher) and the NameGeneration (grammars), built once by one scan of the roll and
// replaced when an import makes a new generation current (the old one's grammar files are deleted).
// At 550 k voters that build takes minutes, so `serve` warms it up in the background (warmUp), and
// the dialog asks `currentIfReady`: until the build is done it takes the phone number on the keypad.
import type { RegisteredVoter } from '../../core/voter.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import { matchableVoter, NameIndex, type Nicknames } from '../matcher/index.js';
import { NameGeneration, type NameGenerationOptions } from './name-generation.js';
import { nameRollOf } from './name-roll.js';

export interface RollVoterSource {
  currentGeneration(): Promise<number | null>;
  scanVoters(options: { generation?: number }): AsyncGenerator<RegisteredVoter[]>;
}

export interface NameDirectoryEntry {
  readonly generation: number;
  readonly index: NameIndex;
  readonly names: NameGeneration;
}

export interface RollNameDirectoryOptions extends NameGenerationOptions {
  /** `currentIfReady` gives null while the directory builds (serve warms it up); else it waits for it. */
  readonly keypadWhileBuilding?: boolean;
}

/** What a warm-up did: the directory's build time and each prepared city grammar. */
export interface WarmUpReport {
  /** null when there is no roll. */
  readonly generation: number | null;
  readonly directoryMs: number;
  readonly cities: ReadonlyArray<{ readonly slug: string; readonly voters: number; readonly buildMs: number }>;
}

export class RollNameDirectory {
  private entry: Promise<NameDirectoryEntry> | null = null;
  private entryGeneration: number | null = null;
  /** The entry once its build has finished (the one `currentIfReady` may hand out). */
  private built: NameDirectoryEntry | null = null;
  private citiesWarm = 0;

  constructor(private readonly roll: RollVoterSource, private readonly dictionary: Lexicon,
    private readonly nicknames: Nicknames, private readonly options: RollNameDirectoryOptions = {}) {}

  /** The current generation's index and grammars (built on first use), or null when there is no roll. */
  async current(): Promise<NameDirectoryEntry | null> {
    const generation = await this.roll.currentGeneration();
    if (generation === null) return null;
    if (this.entry === null || this.entryGeneration !== generation) {
      const previous = this.entry;
      this.entryGeneration = generation;
      this.citiesWarm = 0;
      const entry = this.build(generation);
      this.entry = entry;
      entry.then((ready) => { if (this.entry === entry) this.built = ready; },
        () => { if (this.entryGeneration === generation) this.entry = null; });
      void previous?.then((old) => old.names.dispose(), () => undefined);
    }
    return this.entry;
  }

  /**
   * With keypadWhileBuilding, the current generation's directory if it is built, else null (and its
   * build is started): the dialog never waits minutes for a large roll, it asks for the phone number
   * instead. Without it, the same as `current`.
   */
  async currentIfReady(): Promise<NameDirectoryEntry | null> {
    if (this.options.keypadWhileBuilding !== true) return this.current();
    const generation = await this.roll.currentGeneration();
    if (generation === null) return null;
    if (this.built?.generation === generation) return this.built;
    this.current().catch(() => undefined);
    return null;
  }

  /** True once the current generation's directory is built (for the metric). */
  get ready(): boolean {
    return this.built !== null && this.built.generation === this.entryGeneration;
  }

  /** City grammars the warm-up has prepared for the current generation (for the metric). */
  get warmCities(): number {
    return this.citiesWarm;
  }

  /**
   * Builds the directory now, then the grammars of the `largestCities` cities with the most voters
   * (one at a time, so calls keep the other core), so the first callers from them do not wait.
   */
  async warmUp(largestCities: number): Promise<WarmUpReport> {
    const started = performance.now();
    const entry = await this.current();
    const directoryMs = performance.now() - started;
    if (entry === null) return { generation: null, directoryMs, cities: [] };
    const roll = entry.names.roll;
    const largest = roll.citySlugs.map((slug) => ({ slug, voters: roll.votersOf(slug).length }))
      .sort((a, b) => b.voters - a.voters || (a.slug < b.slug ? -1 : 1)).slice(0, Math.max(0, largestCities));
    const cities: Array<{ slug: string; voters: number; buildMs: number }> = [];
    for (const { slug, voters } of largest) {
      // A newer generation replaced this one: its own warm-up (or first callers) will build it.
      if (this.entryGeneration !== entry.generation) break;
      let city;
      try {
        city = await entry.names.cities.cityGrammar(slug);
      } catch (error) {
        // Closed (or replaced) while this city was building: its files are gone, and nothing is lost.
        if (this.entryGeneration !== entry.generation) break;
        throw error;
      }
      if (city === null) continue;
      cities.push({ slug, voters, buildMs: Math.round(city.buildMs) });
      if (this.entryGeneration === entry.generation) this.citiesWarm += 1;
    }
    return { generation: entry.generation, directoryMs: Math.round(directoryMs), cities };
  }

  async close(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    this.entryGeneration = null;
    this.built = null;
    await entry?.then((built) => built.names.dispose(), () => undefined);
  }

  private async build(generation: number): Promise<NameDirectoryEntry> {
    const voters: RegisteredVoter[] = [];
    for await (const batch of this.roll.scanVoters({ generation })) voters.push(...batch);
    const index = NameIndex.build(voters.map(matchableVoter), this.dictionary, { nicknames: this.nicknames });
    const names = await NameGeneration.prepare(nameRollOf(`gen${generation}`, voters), this.dictionary, this.options);
    return { generation, index, names };
  }
}
