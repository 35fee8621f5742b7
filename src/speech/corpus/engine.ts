// The recognizer and judge a corpus run uses, built for the roll's voters: the engine (with its
// grammars) and the dialog's name index over the same voters.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../config/logger.js';
import type { RegisteredVoter } from '../../core/voter.js';
import { loadCmudict } from '../lexicon/cmudict.js';
import { loadNicknames, matchableVoter, NameIndex } from '../matcher/index.js';
import type { Logger } from 'pino';
import { createRecognizer, type PocketsphinxSettings } from '../factory.js';
import { buildSpelledSurnameGrammar } from '../grammar/spelled-grammar.js';
import type { GrammarContext, Recognizer } from '../recognizer.js';
import { NameGeneration } from '../names/name-generation.js';
import { nameRollOf } from '../names/name-roll.js';
import {
  canAddGrammars, cityAgreementDefault, decodersPerNameUtterance, TwoPassNameRecognizer, twoPassDefaults,
  type NamePassTimings, type PhoneLoopSettings, type TwoPassOptions,
} from '../names/two-pass-name-recognizer.js';
import { DialogJudge } from './dialog-judge.js';
import type { CorpusJudge } from './judge.js';
import type { RunCorpusOptions } from './runner.js';

export type CorpusEngineName = 'pocketsphinx' | 'vosk';

export interface CorpusEngine {
  recognizer: Recognizer;
  /** The engine's own recognizer, which the name path wraps (for its decoder count and the like). */
  base: Recognizer;
  judge: CorpusJudge;
  /** The name path's grammars for the roll (null when the engine takes no run-time grammars): for diagnostics. */
  nameGeneration: NameGeneration | null;
  /** The matcher's index over the roll's voters. */
  names: NameIndex;
  /** The grammar variant to listen with in a context (undefined: the context's default grammar). */
  grammarKey(context: GrammarContext): string | undefined;
  close(): Promise<void>;
}

/**
 * What the corpus runner listens and judges with, as `corpus run` does: every caller of runCorpus takes
 * all three from here, so none forgets the grammar variants (spelled letters: the roll's surnames).
 */
export function listeningWith(engine: CorpusEngine): Pick<RunCorpusOptions, 'recognizer' | 'judge' | 'grammarKey'> {
  return { recognizer: engine.recognizer, judge: engine.judge, grammarKey: (context) => engine.grammarKey(context) };
}

/** Items recognized at once, each with its own decoders. */
export const corpusPoolSizeDefault = 2;

export async function buildNameIndex(voters: readonly RegisteredVoter[]): Promise<NameIndex> {
  const [lexicon, nicknames] = await Promise.all([loadCmudict(), loadNicknames()]);
  return NameIndex.build(voters.map(matchableVoter), lexicon, { nicknames });
}

/** The name path's switches that `corpus run` and `corpus name-stages` take (the CLI's --name-* options). */
export interface NamePathSettings {
  /** The fallback finder's fit check (TwoPassOptions.fitGapMin); null: off, absent: on, as serve runs. */
  fitGapMin?: number | null;
  /** The phone-loop confidence (TwoPassOptions.phoneLoop); null or absent: off, as serve runs. */
  phoneLoop?: PhoneLoopSettings | null;
  /** The city agreement check (TwoPassOptions.cityAgreement); absent: on, as serve runs. */
  cityAgreement?: boolean;
  /** Settling a failed agreement check by both cities' voters (TwoPassOptions.disputeLeadMin); null: off, absent: on */
  disputeLeadMin?: number | null;
  /** The finder's side's lead (TwoPassOptions.disputeFinderLeadMin); null: the same as disputeLeadMin, absent: on */
  disputeFinderLeadMin?: number | null;
  /** Settling what the voters left by the names in both cities (TwoPassOptions.disputeSwapLeadMin); as above */
  disputeSwapLeadMin?: number | null;
  /** A name said after its town also heard by the town's free slots (TwoPassOptions.townFinder); absent: off. */
  townFinder?: boolean;
}

/** The switches as the name path's options: what is absent is as serve runs (twoPassDefaults). */
export function twoPassOf(settings: NamePathSettings): TwoPassOptions {
  return { fitGapMin: settings.fitGapMin === undefined ? twoPassDefaults.fitGapMin : settings.fitGapMin,
    phoneLoop: settings.phoneLoop ?? null,
    cityAgreement: settings.cityAgreement ?? cityAgreementDefault,
    disputeLeadMin: settings.disputeLeadMin === undefined ? twoPassDefaults.disputeLeadMin : settings.disputeLeadMin,
    disputeFinderLeadMin: settings.disputeFinderLeadMin === undefined ? twoPassDefaults.disputeFinderLeadMin
      : settings.disputeFinderLeadMin,
    disputeSwapLeadMin: settings.disputeSwapLeadMin === undefined ? twoPassDefaults.disputeSwapLeadMin
      : settings.disputeSwapLeadMin,
    townFinder: settings.townFinder ?? false };
}

export interface CorpusEngineOptions {
  /** Items recognized at once (the pool holds decodersPerNameUtterance decoders for each). */
  poolSize?: number;
  /** VOSK_MODEL: without it (or without libvosk) `vosk` is refused (RecognizerUnavailableError), not replaced. */
  voskModel?: string | null;
  /** POCKETSPHINX_* for the pocketsphinx recognizer (absent ones: the configuration's defaults). */
  pocketsphinx?: PocketsphinxSettings;
  logger?: Logger;
  /** Told where each name utterance's time after the end of speech went (the speech benchmark). */
  onNameTimings?: (timings: NamePassTimings) => void;
  /** The name path's settings (two-pass-name-recognizer.ts), e.g. to compare following live with not. */
  twoPass?: TwoPassOptions;
}

/** The product's own recognizer factory (src/speech/factory.ts), so the corpus measures what calls use. */
async function engineRecognizer(name: CorpusEngineName, options: CorpusEngineOptions): Promise<Recognizer> {
  const logger = options.logger ?? createLogger('warn', 'corpus');
  // A name utterance holds several decoders at once (pass 1, the passes following it live, pass 2).
  // No fallback: a run asked to measure Vosk that measured pocketsphinx would report the wrong engine's figures.
  const recognizer = await createRecognizer({ speechEngine: name, voskModel: options.voskModel ?? null,
    speechDecodersMax: (options.poolSize ?? corpusPoolSizeDefault)
      * decodersPerNameUtterance({ ...twoPassDefaults, ...options.twoPass }),
    ...options.pocketsphinx,
  }, logger, { fallback: false });
  if (recognizer === null) throw new Error(`no recognizer for ${name}`);
  return recognizer;
}

export async function createCorpusEngine(name: CorpusEngineName, voters: readonly RegisteredVoter[],
  options: CorpusEngineOptions = {}): Promise<CorpusEngine> {
  const [base, names, dictionary, nicknames] = await Promise.all([engineRecognizer(name, options),
    buildNameIndex(voters), loadCmudict(), loadNicknames()]);
  // Names by voice go through the two-pass name path when the engine takes grammars built from the roll.
  let generation: NameGeneration | null = null;
  let recognizer: Recognizer = base;
  let spelledDir: string | null = null;
  let spelledKey: string | undefined;
  if (canAddGrammars(base)) {
    try {
      generation = await NameGeneration.prepare(nameRollOf('corpus', voters, nicknames), dictionary);
      // Spelled letters listen for the roll's surnames only (src/speech/grammar/spelled-grammar.ts).
      spelledDir = await mkdtemp(join(tmpdir(), 'corpus-spelled-'));
      const spelled = await buildSpelledSurnameGrammar({ surnames: voters.map((voter) => voter.name.last),
        generation: 'corpus', outDir: spelledDir });
      base.addGrammar(spelled);
      spelledKey = spelled.grammarKey;
    } catch (error) {
      await base.close();
      await generation?.dispose();
      if (spelledDir !== null) await rm(spelledDir, { recursive: true, force: true });
      throw error;
    }
    const ready = generation;
    recognizer = new TwoPassNameRecognizer(base, () => Promise.resolve(ready), options.twoPass ?? {},
      options.onNameTimings);
  }
  return {
    recognizer,
    base,
    judge: new DialogJudge(names),
    nameGeneration: generation,
    names,
    grammarKey: (context) => (context === 'spelled' ? spelledKey : undefined),
    close: async () => {
      await recognizer.close();
      await generation?.dispose();
      if (spelledDir !== null) await rm(spelledDir, { recursive: true, force: true });
    },
  };
}
