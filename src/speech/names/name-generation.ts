// Everything the voice name path builds for one roll generation: the lexicon (CMUdict, then espeak-ng
// G2P for roll words CMUdict lacks), the pass-1 city finder grammar (and its fallback), and the lazy
// per-city grammars.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GrammarDefinition } from '../grammar/grammar-definition.js';
import { EspeakG2p } from '../lexicon/g2p.js';
import { chainLexicons, type Lexicon } from '../lexicon/lexicon.js';
import { spokenSuffix } from '../lexicon/name-suffixes.js';
import { withTownAbbreviations } from '../lexicon/town-abbreviations.js';
import { buildCityAnswerGrammar } from './city-answer.js';
import { buildCityFinderGrammar, type NameFiller } from './city-finder-grammar.js';
import { CityGrammarCache } from './city-grammar-cache.js';
import { spokenWords, type NameRoll } from './name-roll.js';
import { buildPhoneLoopGrammar } from './phone-loop.js';

export interface NameGenerationOptions {
  /** Compiled city grammars kept (least recently used dropped). */
  readonly cityGrammarsMax?: number;
  readonly filler?: NameFiller;
  /** Rolls above this many voters are large (default wholeRollPass1VotersMax; tests make a small roll large). */
  readonly wholeRollVotersMax?: number;
  /** Pronounces the roll's words CMUdict lacks (default: one espeak-ng G2P per process, kept in memory). */
  readonly g2p?: EspeakG2p;
}

/** The default G2P: a process that prepares several generations (an import, the benchmarks) says each word once. */
const processG2p = new EspeakG2p();

export const cityGrammarsMaxDefault = 64;

/**
 * Up to this many voters, pass 1 is the whole roll's real-voter graph (the best city finder measured);
 * beyond it that graph is too big to build per generation.
 */
export const wholeRollPass1VotersMax = 100_000;

/**
 * Beyond wholeRollPass1VotersMax, pass 1 hears the name as a loop of phones (`phones`: its size never grows
 * with the roll) before "of <city>", and the fallback finder's free slots hold only this many of the
 * commonest given names and surnames, so the agreement check still has a second search to agree with. The
 * slots of every name word (`names`) were what pass 1 used before: on a 550 k roll, 157 k words and 316 k FSG
 * transitions, 85 s to compile per decoder and 4-51 s per 2 s utterance (README, names at scale).
 */
export const largeRollCommonNamesMax = 1_500;

/**
 * A name said after its town is heard with one grammar of the town's voters up to this many voters; a larger
 * town is cut into surname ranges of at most this many, all heard at once: compile time and memory per decoder
 * grow faster than the voters (README, names at scale: 0.55 s at 5,000 voters, 25.6 s at 46,492).
 */
export const townGrammarVotersMax = 5_000;

export class NameGeneration {
  readonly citySlugs: ReadonlySet<string>;

  /**
   * `fallbackFinder`: pass 1 again with independent name slots when the whole-roll graph heard no city.
   * That graph often ends with no complete path at all (tuning corpus with the telephone MLLR: 21 of 48
   * names), while the slots finder names the right city for 13 of those 21.
   */
  private constructor(readonly roll: NameRoll, readonly cityFinder: GrammarDefinition,
    readonly fallbackFinder: GrammarDefinition | null, readonly cities: CityGrammarCache,
    private readonly dir: string, readonly unpronounceableCities: string[],
    /** Any phones in any order: the reference pass 2's voters are measured against (phone-loop-confidence.ts). */
    readonly phoneLoop: GrammarDefinition,
    /** The roll's pronunciations (the grammars'), which the finders' readings are compared with pass 2's by. */
    readonly lexicon: Lexicon,
    /** The roll's towns said on their own (context 'city', city-answer.ts). */
    readonly townAnswer: GrammarDefinition) {
    this.citySlugs = new Set(roll.citySlugs);
  }

  get generation(): string {
    return this.roll.generation;
  }

  /** Builds the lexicon and the city finder (per-city grammars come later, as cities are heard). */
  static async prepare(roll: NameRoll, dictionary: Lexicon,
    options: NameGenerationOptions = {}): Promise<NameGeneration> {
    const lexicon = await rollLexicon(roll, dictionary, options.g2p);
    const dir = await mkdtemp(join(tmpdir(), `names-${roll.generation}-`));
    try {
      const large = roll.voterCount > (options.wholeRollVotersMax ?? wholeRollPass1VotersMax);
      const filler = options.filler ?? (large ? 'phones' : 'voters');
      const { grammar, unpronounceableCities } = await buildCityFinderGrammar({ roll, lexicon, outDir: dir, filler });
      const fallback = filler === 'voters' || filler === 'phones'
        ? (await buildCityFinderGrammar({ roll, lexicon, outDir: dir, filler: 'slots',
          ...(large ? { commonNamesMax: largeRollCommonNamesMax } : {}) })).grammar : null;
      const cities = new CityGrammarCache(roll, lexicon, options.cityGrammarsMax ?? cityGrammarsMaxDefault, dir);
      const phoneLoop = await buildPhoneLoopGrammar(dir, roll.generation);
      const townAnswer = await buildCityAnswerGrammar(roll, lexicon, dir);
      return new NameGeneration(roll, grammar,
        fallback === null ? null : { ...fallback, grammarKey: `${fallback.grammarKey}:slots` }, cities, dir,
        unpronounceableCities, phoneLoop, lexicon, townAnswer);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async dispose(): Promise<void> {
    await this.cities.dispose();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * The dictionary, then a town abbreviation it lacks said in full ("ft" as "fort": town-abbreviations.ts), then
 * G2P pronunciations for the roll's other words it lacks.
 */
export async function rollLexicon(roll: NameRoll, dictionary: Lexicon, g2p: EspeakG2p = processG2p): Promise<Lexicon> {
  const known = withTownAbbreviations(dictionary);
  const missing = new Set<string>();
  for (const slug of roll.citySlugs) {
    for (const voter of roll.votersOf(slug)) {
      const words = [voter.first, voter.middle, voter.last, voter.city].flatMap(spokenWords);
      const shortForms = (voter.firstShortForms ?? []).flatMap(spokenWords);
      for (const word of [...words, ...spokenSuffix(voter.suffix), ...shortForms]) {
        if (known.pronunciations(word).length === 0) missing.add(word);
      }
    }
  }
  if (missing.size === 0) return known;
  return chainLexicons(known, await g2p.lexicon(missing));
}
