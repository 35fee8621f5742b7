// The voice name path's view of the roll in force: for the current generation, the phonetic name
// index (the matcher) and the NameGeneration (grammars), built once by one scan of the roll and
// replaced when an import makes a new generation current (the old one's grammar files are deleted).
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

export class RollNameDirectory {
  private entry: Promise<NameDirectoryEntry> | null = null;
  private entryGeneration: number | null = null;

  constructor(private readonly roll: RollVoterSource, private readonly dictionary: Lexicon,
    private readonly nicknames: Nicknames, private readonly options: NameGenerationOptions = {}) {}

  /** The current generation's index and grammars (built on first use), or null when there is no roll. */
  async current(): Promise<NameDirectoryEntry | null> {
    const generation = await this.roll.currentGeneration();
    if (generation === null) return null;
    if (this.entry === null || this.entryGeneration !== generation) {
      const previous = this.entry;
      this.entryGeneration = generation;
      this.entry = this.build(generation);
      this.entry.catch(() => { if (this.entryGeneration === generation) this.entry = null; });
      void previous?.then((old) => old.names.dispose(), () => undefined);
    }
    return this.entry;
  }

  async close(): Promise<void> {
    const entry = this.entry;
    this.entry = null;
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
