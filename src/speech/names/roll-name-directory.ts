// The voice name path's view of the roll in force: for the current generation, the phonetic name
// index (the matcher) and the NameGeneration (grammars), built once by one scan of the roll and
// replaced when an import makes a new generation current (the old one's grammar files are deleted).
// At 550 k voters that build takes minutes, so `serve` warms it up in the background (warmUp), and
// the dialog asks `currentIfReady`: until the build is done it takes the phone number on the keypad.
// The index's neighbour lists (each surname's nearest surnames, matcher/neighbour-lists.ts) take minutes
// more at 2.2 M voters, so they are not part of the build: once it is done they are found in the
// background, a few milliseconds at a time with as long a rest between (calls keep the event loop and
// the other core); lookups before that search instead, with the same answers.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RegisteredVoter } from '../../core/voter.js';
import type { Lexicon } from '../lexicon/lexicon.js';
import { matchableVoter, NameIndex, type Nicknames } from '../matcher/index.js';
import { NameGeneration, townGrammarVotersMax, type NameGenerationOptions } from './name-generation.js';
import { nameRollOf } from './name-roll.js';

export interface RollVoterSource {
  currentGeneration(): Promise<number | null>;
  scanVoters(options: { generation?: number }): AsyncGenerator<RegisteredVoter[]>;
}

export interface NameDirectoryEntry {
  readonly generation: number;
  readonly voters: number;
  readonly index: NameIndex;
  /** Whether the dialog asks for names by voice on this roll (RollNameDirectoryOptions.voiceVotersMax). */
  readonly byVoice: boolean;
  /** A roll too large for that, whose names are asked by voice town first (RollNameDirectoryOptions.townFirst). */
  readonly townFirst: boolean;
  /** The voice name path's grammars; null when the roll is not named by voice or nothing listens (options.grammars). */
  readonly names: NameGeneration | null;
}

export interface RollNameDirectoryOptions extends NameGenerationOptions {
  /** `currentIfReady` gives null while the directory builds (serve warms it up); else it waits for it. */
  readonly keypadWhileBuilding?: boolean;
  /**
   * Told once per generation when its directory is built, warm-up or not: how its names are asked (a roll too
   * large for names by voice must say so to the operator even when nothing warms up).
   */
  readonly onBuilt?: (report: BuildReport) => void;
  /** Told when a warm-up (the first, or a later generation's) is done, or failed. */
  readonly onWarm?: (report: WarmUpReport) => void;
  readonly onWarmFailed?: (error: unknown) => void;
  /**
   * Rolls of more voters than this are not named by voice: the dialog asks for the phone number or the
   * surname's letters on the keypad (NAME_VOICE_VOTERS_MAX). Absent: any size.
   */
  readonly voiceVotersMax?: number;
  /**
   * On a roll above voiceVotersMax, names are still asked by voice, the town first as its own answer and then the
   * name among that town's voters (NAME_TOWN_FIRST): its grammars are built as for a roll named by voice.
   */
  readonly townFirst?: boolean;
  /**
   * false: nothing listens for names (no recognizer, or one that cannot load grammars), so no grammars are
   * built, only the index the keypad and phone-number paths use: at 550 k voters the grammars' G2P alone took
   * 35-64 s of start-up. Absent: true.
   */
  readonly grammars?: boolean;
  /** Told when the index's neighbour lists are all found (after the directory's build). */
  readonly onNeighboursFound?: (report: { readonly generation: number; readonly ms: number }) => void;
}

/** A warm-up's report when there is no roll yet. */
const noRoll = { voters: 0, byVoice: false, townFirst: false, cities: [] } as const;

/** The neighbour lists are found in slices of this much work, each followed by as long a rest. */
export const neighbourSliceMs = 10;

/** A generation's directory, built: its voters, how their names are asked, and the build's time. */
export interface BuildReport {
  readonly generation: number;
  readonly voters: number;
  readonly byVoice: boolean;
  readonly townFirst: boolean;
  readonly directoryMs: number;
}

/** What a warm-up did: the directory's build time and each prepared city grammar. */
export interface WarmUpReport {
  /** null when there is no roll. */
  readonly generation: number | null;
  readonly directoryMs: number;
  /** Voters on the roll, and whether names are asked by voice on it (no city grammars are built if not). */
  readonly voters: number;
  readonly byVoice: boolean;
  /** Named town first (the cities' grammars warmed up are then their surname ranges, townGrammarVotersMax). */
  readonly townFirst: boolean;
  readonly cities: ReadonlyArray<{ readonly slug: string; readonly voters: number; readonly buildMs: number }>;
}

export class RollNameDirectory {
  private entry: Promise<NameDirectoryEntry> | null = null;
  private entryGeneration: number | null = null;
  /** The entry once its build has finished (the one `currentIfReady` may hand out). */
  private built: NameDirectoryEntry | null = null;
  /** Cities whose grammars a warm-up built for the current generation. */
  private warmSlugs = new Set<string>();
  /** Set by warmUp: every new generation's directory is followed by this many largest cities' grammars. */
  private warmUpCities = 0;
  private warming: Promise<WarmUpReport> | null = null;

  constructor(private readonly roll: RollVoterSource, private readonly dictionary: Lexicon,
    private readonly nicknames: Nicknames, private readonly options: RollNameDirectoryOptions = {}) {}

  /** The current generation's index and grammars (built on first use), or null when there is no roll. */
  async current(): Promise<NameDirectoryEntry | null> {
    const generation = await this.roll.currentGeneration();
    return generation === null ? null : this.entryFor(generation);
  }

  /** The generation's entry, its build (and warm-up, when asked for) started if it is new. */
  private entryFor(generation: number): Promise<NameDirectoryEntry> {
    if (this.entry === null || this.entryGeneration !== generation) {
      const previous = this.entry;
      this.entryGeneration = generation;
      this.warmSlugs = new Set();
      const started = performance.now();
      const entry = this.build(generation);
      this.entry = entry;
      entry.then((ready) => {
        if (this.entry !== entry) return;
        this.built = ready;
        this.options.onBuilt?.({ generation: ready.generation, voters: ready.voters, byVoice: ready.byVoice,
          townFirst: ready.townFirst, directoryMs: Math.round(performance.now() - started) });
        void this.findNeighbours(ready);
      }, () => { if (this.entryGeneration === generation) this.entry = null; });
      void previous?.then((old) => old.names?.dispose(), () => undefined);
      // A new import while serving: warm its grammars up too, not only the first generation's.
      if (this.warmUpCities > 0) this.warming = this.reported(this.warmGrammars(entry, started));
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
    // Failures are the next current() call's to see.
    this.entryFor(generation).catch(() => undefined);
    return null;
  }

  /** True once the current generation's directory is built (for the metric). */
  get ready(): boolean {
    return this.built !== null && this.built.generation === this.entryGeneration;
  }

  /** City grammars the warm-up has prepared for the current generation (for the metric). */
  get warmCities(): number {
    return this.warmSlugs.size;
  }

  /** The latest warm-up (the current generation's once an import has started one), or null. */
  get latestWarmUp(): Promise<WarmUpReport> | null {
    return this.warming;
  }

  /**
   * Builds the directory now, then the grammars of the `largestCities` cities with the most voters
   * (one at a time, so calls keep the other core), so the first callers from them do not wait; and
   * again for each generation a later import makes current.
   */
  async warmUp(largestCities: number): Promise<WarmUpReport> {
    this.warmUpCities = Math.max(0, largestCities);
    const generation = await this.roll.currentGeneration();
    if (generation === null) {
      const none: WarmUpReport = { generation: null, directoryMs: 0, ...noRoll };
      return this.reported(Promise.resolve(none));
    }
    const known = this.entry !== null && this.entryGeneration === generation;
    const entry = this.entryFor(generation);
    // A new build starts its own warm-up (entryFor); one started before warmUp was asked for gets it here.
    if (known || this.warming === null) this.warming = this.reported(this.warmGrammars(entry, performance.now()));
    return this.warming;
  }

  /** Hands a warm-up's outcome to the options' listeners (a later generation's warm-up has no caller). */
  private reported(warming: Promise<WarmUpReport>): Promise<WarmUpReport> {
    warming.then((report) => this.options.onWarm?.(report), (error: unknown) => this.options.onWarmFailed?.(error));
    return warming;
  }

  private async warmGrammars(pending: Promise<NameDirectoryEntry | null>, started: number): Promise<WarmUpReport> {
    const entry = await pending;
    const directoryMs = Math.round(performance.now() - started);
    if (entry === null) return { generation: null, directoryMs, ...noRoll };
    const report = { generation: entry.generation, directoryMs, voters: entry.voters, byVoice: entry.byVoice,
      townFirst: entry.townFirst };
    // Not named by voice: no caller will need a city's grammar.
    if (entry.names === null) return { ...report, cities: [] };
    const names = entry.names;
    const roll = names.roll;
    const largest = roll.citySlugs.map((slug) => ({ slug, voters: roll.votersOf(slug).length }))
      .sort((a, b) => b.voters - a.voters || (a.slug < b.slug ? -1 : 1)).slice(0, this.warmUpCities);
    const cities: Array<{ slug: string; voters: number; buildMs: number }> = [];
    for (const { slug, voters } of largest) {
      // A newer generation replaced this one: its own warm-up builds its grammars.
      if (this.entryGeneration !== entry.generation) break;
      let built;
      try {
        // Named town first, a large town is heard in its surname ranges (within-town-stream.ts), not as one.
        built = entry.townFirst ? await names.cities.townGrammars(slug, townGrammarVotersMax)
          : [await names.cities.cityGrammar(slug)].filter((city) => city !== null);
      } catch (error) {
        // Closed (or replaced) while this city was building: its files are gone, and nothing is lost.
        if (this.entryGeneration !== entry.generation) break;
        throw error;
      }
      if (built.length === 0) continue;
      cities.push({ slug, voters, buildMs: Math.round(built.reduce((sum, city) => sum + city.buildMs, 0)) });
      if (this.entryGeneration === entry.generation) this.warmSlugs.add(slug);
    }
    return { ...report, cities };
  }

  async close(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
    this.entryGeneration = null;
    this.warmUpCities = 0;
    this.built = null;
    await entry?.then((built) => built.names?.dispose(), () => undefined);
  }

  /** Fills the entry's neighbour lists in slices while it is the current one (stops when replaced or closed). */
  private async findNeighbours(entry: NameDirectoryEntry): Promise<void> {
    const started = performance.now();
    for (;;) {
      const sliceEnd = performance.now() + neighbourSliceMs;
      let done = false;
      while (!done && performance.now() < sliceEnd) done = entry.index.findNeighbours(4);
      if (done) break;
      await sleep(neighbourSliceMs, undefined, { ref: false });
      if (this.built !== entry || this.entryGeneration !== entry.generation) return;
    }
    this.options.onNeighboursFound?.({ generation: entry.generation, ms: Math.round(performance.now() - started) });
  }

  private async build(generation: number): Promise<NameDirectoryEntry> {
    const voters: RegisteredVoter[] = [];
    for await (const batch of this.roll.scanVoters({ generation })) voters.push(...batch);
    const index = NameIndex.build(voters.map(matchableVoter), this.dictionary,
      { nicknames: this.nicknames, surnameNeighbours: 'first-use' });
    // A roll not named by voice needs no lexicon or grammars (at 550 k voters 35-64 s of G2P at start-up, or
    // 3 s from serve's pronunciation cache).
    const byVoice = voters.length <= (this.options.voiceVotersMax ?? Infinity);
    const townFirst = !byVoice && this.options.townFirst === true;
    const names = this.options.grammars !== false && (byVoice || townFirst)
      ? await NameGeneration.prepare(nameRollOf(`gen${generation}`, voters, this.nicknames), this.dictionary,
        this.options) : null;
    return { generation, voters: voters.length, index, byVoice, townFirst, names };
  }
}
