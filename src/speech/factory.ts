// Builds the configured recognizer (SPEECH_ENGINE): Vosk when asked for and its model is there, else
// pocketsphinx; `none` leaves the dialog on the keypad. A missing Vosk model is a warning at start-up,
// not a failure: the product still answers calls with pocketsphinx.
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { loadStaticGrammars } from './grammar/static-grammars.js';
import { PocketsphinxRecognizer } from './pocketsphinx/pocketsphinx-recognizer.js';
import { RecognizerUnavailableError, type Recognizer } from './recognizer.js';
import { VoskRecognizer } from './vosk/vosk-recognizer.js';

/** The POCKETSPHINX_* settings; an absent one takes its default. */
export type PocketsphinxSettings =
  Partial<Pick<Config, 'pocketsphinxMllr' | 'pocketsphinxNumberMllr' | 'pocketsphinxNoisyMllr'
    | 'pocketsphinxNoisyLineSnrDb' | 'pocketsphinxLatticeWaitMs'
    | 'pocketsphinxDecoding' | 'pocketsphinxNoiseFloorDb' | 'pocketsphinxBackgroundDecodes'
    | 'pocketsphinxEarlyDecode'>>;

export type SpeechConfig = Pick<Config, 'speechEngine' | 'voskModel' | 'speechDecodersMax'> & PocketsphinxSettings;

/** The POCKETSPHINX_* settings of a loaded configuration (what `corpus` passes on to its engine). */
export function pocketsphinxSettingsOf(config: Config): PocketsphinxSettings {
  return { pocketsphinxMllr: config.pocketsphinxMllr, pocketsphinxNumberMllr: config.pocketsphinxNumberMllr,
    pocketsphinxNoisyMllr: config.pocketsphinxNoisyMllr, pocketsphinxNoisyLineSnrDb: config.pocketsphinxNoisyLineSnrDb,
    pocketsphinxLatticeWaitMs: config.pocketsphinxLatticeWaitMs,
    pocketsphinxDecoding: config.pocketsphinxDecoding,
    pocketsphinxNoiseFloorDb: config.pocketsphinxNoiseFloorDb,
    pocketsphinxBackgroundDecodes: config.pocketsphinxBackgroundDecodes,
    pocketsphinxEarlyDecode: config.pocketsphinxEarlyDecode };
}

/**
 * pocketsphinx as configured (decoders, MLLR, noisy-line MLLR, lattice wait, decoding, noise floor, background
 * decodes, early decodes): serve, asr-worker, corpus.
 */
export function pocketsphinxFromConfig(config: SpeechConfig): Promise<PocketsphinxRecognizer> {
  return PocketsphinxRecognizer.create({ poolSize: config.speechDecodersMax,
    ...(config.pocketsphinxMllr === undefined ? {} : { mllr: config.pocketsphinxMllr }),
    ...(config.pocketsphinxNumberMllr === undefined ? {} : { numberMllr: config.pocketsphinxNumberMllr }),
    ...(config.pocketsphinxNoisyMllr === undefined ? {} : { noisyMllr: config.pocketsphinxNoisyMllr }),
    ...(config.pocketsphinxNoisyLineSnrDb === undefined ? {} : { noisyLineSnrDb: config.pocketsphinxNoisyLineSnrDb }),
    ...(config.pocketsphinxLatticeWaitMs === undefined ? {} : { latticeWaitMs: config.pocketsphinxLatticeWaitMs }),
    ...(config.pocketsphinxDecoding === undefined ? {} : { decoding: config.pocketsphinxDecoding }),
    ...(config.pocketsphinxNoiseFloorDb === undefined ? {}
      : { noiseFloorBelowSpeechDb: config.pocketsphinxNoiseFloorDb }),
    ...(config.pocketsphinxBackgroundDecodes === undefined ? {}
      : { backgroundDecodesMax: config.pocketsphinxBackgroundDecodes }),
    ...(config.pocketsphinxEarlyDecode === undefined ? {} : { earlyDecode: config.pocketsphinxEarlyDecode }) });
}

/** Vosk phrase lists: each static context's vocabulary (Vosk's grammar is a word/phrase list). */
export function voskPhraseLists(): Map<string, string[]> {
  return new Map(loadStaticGrammars().map((grammar) => [grammar.context, [...grammar.words]]));
}

/** libuv pool threads the speech decodes run on (README, concurrent calls: 16 carried 50 calls within target). */
export const decodeThreadsRecommended = 16;

/** UV_THREADPOOL_SIZE as libuv read it when the process started (its default 4 when unset or invalid). */
export function decodeThreads(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  return Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4;
}

/**
 * The configured engine. A Vosk that cannot start (no model, no libvosk) falls back to pocketsphinx with a
 * warning, as the app must answer calls; with `fallback` false its RecognizerUnavailableError is thrown
 * instead (the corpus runner: a run asked to measure Vosk must not report pocketsphinx's figures).
 */
export async function createRecognizer(config: SpeechConfig, logger: Logger,
  { fallback = true }: { fallback?: boolean } = {}): Promise<Recognizer | null> {
  if (config.speechEngine === 'none') {
    logger.info('speech recognition is off (SPEECH_ENGINE=none): prompts work by keypad');
    return null;
  }
  if (config.speechEngine === 'vosk') {
    try {
      if (config.voskModel === null) {
        throw new RecognizerUnavailableError('SPEECH_ENGINE=vosk needs VOSK_MODEL, the directory of a Vosk model '
          + '(models/README.md says which; scripts/fetch-model downloads it)');
      }
      const vosk = VoskRecognizer.create({ modelPath: config.voskModel, phrases: voskPhraseLists() });
      logger.info({ model: config.voskModel }, 'speech recognition: Vosk');
      return vosk;
    } catch (error) {
      if (!(error instanceof RecognizerUnavailableError) || !fallback) throw error;
      logger.warn(`Vosk is not available: ${error.message}. Falling back to pocketsphinx.`);
    }
  }
  const pocketsphinx = await pocketsphinxFromConfig(config);
  const threads = decodeThreads();
  logger.info({ decodersMax: config.speechDecodersMax, mllr: pocketsphinx.mllrPath ?? 'off',
    numberMllr: pocketsphinx.contextMllr.keyFor('digits'), decodeThreads: threads,
    backgroundDecodes: pocketsphinx.backgroundDecodesMax ?? 'off' },
    'speech recognition: pocketsphinx');
  if (threads < decodeThreadsRecommended) {
    logger.warn({ decodeThreads: threads }, `speech decodes run on ${threads} libuv threads: with more than a few `
      + `calls, one caller's lattice or grammar compile holds up the others' answers; start the process with `
      + `UV_THREADPOOL_SIZE=${decodeThreadsRecommended} (./scripts/start and the Docker image do)`);
  }
  return pocketsphinx;
}
