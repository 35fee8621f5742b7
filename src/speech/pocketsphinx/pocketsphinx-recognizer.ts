// The Recognizer port on Debian's pocketsphinx: 8 kHz telephone audio upsampled to 16 kHz with a
// proper filter (the en-us model's features need the 16 kHz front end), a JSGF or FSG grammar per
// context, N-best with posterior confidences and dictionary phones.
//
// Threading: decoding runs through koffi's async calls on libuv pool threads, one call at a time per
// decoder. A streamed utterance (PocketsphinxDecoding) is fed as it arrives, 60 ms or more per call (what
// queued behind a running call goes too), so by the end of speech nearly all of it is decoded and the
// result comes within one chunk's decode plus the N-best search; a whole utterance is one call at its end.
// The event loop only queues work, so RTP pacing and SIP keep their timing. Worker threads would add a
// copy and a message hop per frame for the same effect. UV_THREADPOOL_SIZE bounds how many decoders run at
// once (default 4).
//
// Every utterance is decoded as if by a fresh decoder: before it starts, the front end forgets the noise
// level it estimated (ps_start_stream) and the live cepstral mean (CMN) is set to the utterance's own
// (PocketsphinxDecoding) or to its call's channel mean so far (caller-acoustics.ts), which starts as the
// telephone channel's, with no frames counted (library.ts setCepstralMean; telephone-features.ts: with the model's
// wideband prior a fresh decoder's first utterances were garbage, 1 of 64 tuning items right, 28 of 64 with
// the telephone prior). Carried over, both followed whatever the pooled decoder heard last, often another
// caller, so an answer depended on the order calls came in: the CI corpus's floors failed by chance (phone
// numbers 0, 1, 2 or 3 of 14 over four runs of the same audio). Measured on 816 generated tuning items
// (seeds 81-83; right / wrong-confident): both carried 507/89, CMN reset only 510/90 (the noise level still
// carried, so not repeatable), both reset 503/95, and with no frames counted 503/97 (counted as 500 frames,
// utterances over 3 s came out depending on how the audio was split into decode calls); within run-to-run
// spread, and only the last gives the same answer for the same audio every time (up to 8 s of speech).
// Batch CMN (the whole utterance's own mean, as the model's feat.params `-cmn batch` was trained) was
// measured on 672 of those items by decoding the whole utterance at the end of speech in one ps_process_raw
// with full_utt: right / wrong-confident, live → whole utterance, command 116/8 → 122/2, yes/no 119/7 →
// 120/10, vote 118/9 → 125/7, digits 43/22 → 52/21, bill 15/18 → 17/12, spelled 40/10 → 41/8 (amounts 43/18
// → 44/20, phone numbers 13/6 → 10/7). It is not used that way: a block decode after a full_utt one on the
// same decoder aborts the process (acmod.c: `n_feat_frame <= n_feat_alloc`, the full-utterance path resizes
// the feature buffer and not its frame positions).
//
// N-best needs the word lattice, which for digit and letter loops takes seconds to build: it is built on
// a pool thread, never on the event loop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatSamples } from '../audio/samples.js';
import { Upsampler8to16 } from '../audio/upsampler.js';
import { hangoverMsDefault } from '../audio/vad.js';
import type { CallerAcoustics } from '../caller-acoustics.js';
import { posteriorConfidences } from '../confidence.js';
import { grammarAcceptor, type GrammarAcceptor } from '../grammar/grammar-acceptor.js';
import { grammarId, type GrammarDefinition } from '../grammar/grammar-definition.js';
import { loadStaticGrammars } from '../grammar/static-grammars.js';
import { narrowbandPronunciations } from '../grammar/narrowband-pronunciations.js';
import {
  UnknownGrammarError, type GrammarContext, type Hypothesis, type RecognitionStream, type Recognizer,
  type RecognizeOptions,
} from '../recognizer.js';
import { VadRecognitionStream, type UtteranceSession } from '../vad-stream.js';
import { ContextMllr } from './context-mllr.js';
import { DecodeThrottle } from './decode-throttle.js';
import { withContextWords } from './context-words.js';
import { DecoderPool, type PooledDecoder, type SearchSettings } from './decoder-pool.js';
import { writeSubsetDictionary } from './dictionary.js';
import {
  checkModel, debianModelDir, loadPocketsphinx, type CepstralMean, type NativePointer, type PocketsphinxLibrary,
} from './library.js';
import { pathAcoustic } from './path-acoustic.js';
import {
  backgroundDecodesDefault, decodingDefault, isNoiseFloorDb, latticeWaitMsDefault, noiseFloorBelowSpeechDbDefault,
  noiseFloorBelowSpeechDbMax, noisyLineSnrDbDefault, noisyLineSnrDbMax, type PocketsphinxDecoding,
} from './pocketsphinx-settings.js';
import { telephoneCepstralMean, writeTelephoneFeatParams } from './telephone-features.js';
import { WholeUtteranceSession, type EarlySession } from './whole-utterance-session.js';
import { noisyMllrSettingDefault, numberMllrSettingDefault, resolveMllr, type MllrSetting } from './telephone-mllr.js';
import { within } from '../within.js';
import { NoiseFloor } from '../audio/noise-floor.js';
import { chunksLineSnrDb } from '../audio/line-snr.js';
import { LineJudgingSession } from './line-judging-session.js';

export interface PocketsphinxOptions {
  /** Most decoders alive at once (= concurrent utterances; more wait for a free one). */
  readonly poolSize: number;
  readonly modelDir?: string;
  readonly cmudictPath?: string;
  /** Grammar language weight for FSG grammars built from the roll. */
  readonly languageWeight?: number;
  /** Compiled grammars (searches) kept per decoder; the least recently used is freed (decoder-pool.ts). */
  readonly searchesMax?: number;
  /** MLLR channel adaptation (POCKETSPHINX_MLLR): `telephone`, `off` (default), or an mllr_matrix path. */
  readonly mllr?: MllrSetting;
  /** MLLR for amounts, digit strings and spelled surnames (POCKETSPHINX_NUMBER_MLLR; default `telephone`). */
  readonly numberMllr?: MllrSetting;
  /**
   * MLLR for every context on a noisy line (POCKETSPHINX_NOISY_MLLR; default `telephone-noisy`; `off`: a noisy
   * line changes nothing, mllr and numberMllr on every line). An answer decoded whole is measured before its
   * decoder starts; a streamed one takes the call's last measured line, or is judged as it comes.
   */
  readonly noisyMllr?: MllrSetting;
  /** Under this line SNR (dB) an answer is on a noisy line (POCKETSPHINX_NOISY_LINE_SNR_DB; noisyLineSnrDbDefault). */
  readonly noisyLineSnrDb?: number;
  /** Word beam of grammars with wideWordBeam (nameWordBeamDefault); null: the decoder's (wordBeam). */
  readonly nameWordBeam?: number | null;
  /** How freely searches step into the noise fillers (fillerProbabilityDefault), above 0 and at most 1. */
  readonly fillerProbability?: number;
  /** Decoder settings per context, instead of searchSettingsByContext's; each above 0, -fillprob at most 1. */
  readonly contextSearchSettings?: Partial<Record<GrammarContext, SearchSettings>>;
  /**
   * How long an N-best result waits for the word lattice (POCKETSPHINX_LATTICE_WAIT_MS; latticeWaitMsDefault);
   * 0: never, the best reading alone. A long wait makes answers independent of the machine's load (the CI
   * corpus floors judge recognition, not speed).
   */
  readonly latticeWaitMs?: number;
  /** POCKETSPHINX_DECODING (decodingDefault): when an utterance is decoded, and with which cepstral mean. */
  readonly decoding?: PocketsphinxDecoding;
  /**
   * POCKETSPHINX_NOISE_FLOOR_DB (noiseFloorBelowSpeechDbDefault): white noise added this far (dB) under the
   * caller's active speech level (audio/noise-floor.ts); null: the audio as heard.
   */
  readonly noiseFloorBelowSpeechDb?: number | null;
  /**
   * POCKETSPHINX_BACKGROUND_DECODES (backgroundDecodesDefault: the machine's cores): while more calls are heard
   * than this (RecognizeOptions.caller tells them apart; an utterance without one counts as a call of its own),
   * decode calls that may lag (a streamed answer keeping up with its audio) run only while fewer decode calls
   * than this run (decode-throttle.ts); null: no limit.
   * First it held back every call's lagging decodes, and one or two callers waited longer for names: a name
   * utterance alone streams more passes than there are cores (pass 1, the fallback finder, the city passes
   * following the caller), so they lagged and caught up after the end (speech bench, held-out paced, 2 callers:
   * p95 239 → 323 ms). Counting calls, a few callers are never held back. At 100 calls it carried the load better
   * (concurrency bench, end of speech → result p95 at N = 100, each variant in a process of its own, in the
   * order off, on, on, off: 805, 453, 476, 709 ms; at N = 50: 794, 241, 206, 403 ms).
   */
  readonly backgroundDecodesMax?: number | null;
  /**
   * POCKETSPHINX_EARLY_DECODE (default true): an answer decoded whole is decoded once the caller has been quiet
   * for half the hangover, on a decoder idle then and while the machine is not crowded (whole-utterance-session.ts),
   * and taken if the answer ends with the caller still quiet.
   */
  readonly earlyDecode?: boolean;
}

/**
 * A streamed utterance's floor is measured on its first 600 ms: the VAD's pre-roll (240 ms of the line) and
 * the first syllables. Held back until then, the decoder catches up in one call (it decodes faster than real time).
 */
const noiseFloorMeasureMs = 600;
/** Every utterance gets the same noise: the same audio always decodes the same way. */
const noiseFloorSeed = 0x6e6f6973;

/**
 * Contexts that stream under `utterance` decoding. Phone numbers gained nothing from their own mean on the
 * tuning items above (12 → 10 of 72 with one more wrong-confident), and streamed they are answered sooner.
 * Names gained (22 → 27 of 48) but stream: the name path's second pass follows the caller while they
 * speak (names/following-passes.ts, from the first pass's partial readings), which keeps its answer within
 * about 60 ms of the end of speech (paced, p95); decoded at the end, both passes would wait for it. Streamed
 * contexts start from the call's channel mean instead (RecognizeOptions.caller).
 * Menu commands streamed too until 2026-12-07 (120 → 119 of 132 decoded whole, then). Measured again with the
 * noise floor and today's transform, on 288 generated tuning-voice commands (seeds 601-603 and 36 at 10 dB SNR
 * of seed 611), right / wrong-confident: streamed 260 / 20, whole 269 / 8, and whole with the noisy-line
 * transform (context-mllr.ts, which needs the answer's audio before its decoder starts) 272 / 7. Decoded whole,
 * a one-word answer waits for its decode after the end of speech: p95 end of speech → result 62 → 70 ms there.
 */
const utteranceStreamedContexts: ReadonlySet<GrammarContext> = new Set(['phone', 'name']);
/**
 * The streamed contexts a noisy line gives the noisy-line transform (context-mllr.ts): names. Not phone numbers:
 * on 58 generated tuning-voice phone numbers at 10 dB SNR it took right 1 → 3 but wrong-confident 8 → 11.
 */
const noisyLineStreamedContexts: ReadonlySet<GrammarContext> = new Set(['name']);
/**
 * A streamed name on a call whose line is not known yet is judged on this much audio, the pre-roll included
 * (line-judging-session.ts): about 1.2 s of speech. On 396 generated tuning-voice names, the line's SNR over
 * their first 1,500 ms put all 63 names on 10 dB lines under 12 dB and none of the other 333 (20 dB, clipped,
 * lost packets); over the first 1,200 ms, 7 of the 333 too, over 900 ms 15.
 */
const streamedLineJudgedAfterMs = 1500;

const nBestSearchMax = 20;
const telephoneMean = Float32Array.from(telephoneCepstralMean);
/**
 * Audio (16 kHz samples) a decode call is given at least: 60 ms, three RTP frames. Each call costs a
 * thread hand-off and a promise besides the decoding: the same utterances took 32-33 ms of CPU per second
 * of audio decoded in 20 ms calls, 28-29 ms in 60 ms calls. Less is queued only at the end of the
 * utterance (finish decodes the rest) and when a partial reading is asked for.
 */
const decodeCallSamplesMin = 960;
/**
 * The best reading alone (nBest 1, or the lattice too slow) says nothing about its competitors: below the
 * dialog's "sure" (0.6), so it is read back.
 */
export const bestOnlyConfidence = 0.5;
/**
 * Word beam: 1e-20 instead of the default 7e-29 keeps the lattice small (tuning corpus: lattice p95
 * 3.1 s → 0.7 s) with the same accuracy (28 of 64).
 */
const wordBeam = '1e-20';
/**
 * The name path's city finders (grammars with wideWordBeam) keep pocketsphinx's default word beam: with the
 * tight one above, every path through the whole-roll voter graph was often pruned before its last word
 * ("Final result does not match the grammar"), so pass 1 heard nothing for 36 of 48 tuning names. Measured
 * with `corpus name-stages` on the tuning names with every name grammar on the beam (correct /
 * wrong-confident): 1e-20 9/3, 7e-29 16/3, 1e-34 17/6, 1e-40 21/5. Per-city voter grammars keep the tight
 * beam: on a 50,000-voter city the wide one lost "mary jones of ames" on a fresh decoder
 * (grammar-compile-off-loop.test.ts), and they must scale to the largest cities. The same pruning is why a
 * town's voter grammar often hears a name said alone as nothing: the FSG search takes its result from the
 * last frame in which any word ended, and when the best path there is a partial one (espeak's "maria glass"
 * fits "leila" of "leila escalet" better), the right voter's last word fell outside the word beam and no
 * path is complete. Town grammars on 1e-30 heard 3 of the 5 such tuning names of the 550 k corpus
 * (names-at-scale), one right and two as wrong or poorly fitting voters, and one more name became right; but
 * two right names lost their confidence to the readings the wider beam let in: 11 / 0 / 19 right /
 * wrong-confident / asked again either way.
 */
export const nameWordBeamDefault = 7e-29;
const languageWeightDefault = 7.5;
/** Grammars readied this close together are taken for one utterance's passes, each to a decoder of its own. */
const preparedApartMs = 15_000;
/** Below the default 0.65: digit and letter loops otherwise insert words into noise and pauses. */
const wordInsertionPenalty = 0.05;
/**
 * How freely a grammar's search may step into the model's noise fillers ([NOISE], [SPEECH]) between and
 * around words; pocketsphinx's default is 1e-8, which all but shuts them out. Line noise at the edges of an
 * answer was then decoded as words: a trailing "oh" after a digit string, a first digit heard as "five". Open,
 * the fillers soak it up. Chosen on generated corpora of the tuning voices only (seeds 154-157, 822 answers of
 * every committed context; right / wrong-confident): 1e-8 532 / 112; 0.1 567 / 97; 0.3 571 / 89; 1.0 574 / 95.
 * At 0.3 digit strings went 60 → 71 of 150 right (top reading right 93 → 104), commands 130 → 135, spelled
 * surnames 48 → 55 of 84, bills 53 → 56 with wrong-confident 25 → 19; phone numbers 15 → 21 of 84 right but
 * 8 → 12 wrong-confident, every one a number one digit off read back (which the caller denies). The 48 tuning
 * names of the CI corpus: 28 / 1 → 30 / 0. yes/no keeps them shut (searchSettingsByContext); as committed,
 * 532 / 112 → 573 / 94.
 * Held out once after deciding (seed 159's 320 answers, test-audio/small-held-out, the CI corpus's held-out
 * part): 399 / 65 → 418 / 51 of 560. A search reads it when it is compiled.
 */
export const fillerProbabilityDefault = 0.3;
/**
 * Contexts whose searches are compiled with decoder settings of their own (pocketsphinx reads them when it
 * compiles a search, so the engine's other searches keep the decoder's).
 *
 * Digit strings, a word insertion penalty of their own: nothing but the penalty says how many digits were
 * said, and at 0.05 the N-best held many readings with a digit more ("… four oh"), which split the confidence
 * so the right reading fell under the reject rules (reject-confidence.ts). With the noise fillers open, on the
 * 150 generated tuning-voice digit strings (seeds 154-156; right / wrong-confident): 0.05 72 / 18, 0.02 83 / 18,
 * 0.01 85 / 19, 0.005 88 / 17, 0.003 87 / 19, 0.001 85 / 18 (the top reading was right for 98-105 at every one
 * of them: the gain is in the confidence). The whole decoder at 0.02 or below lost phone numbers and spelled
 * surnames (21 → 17-18, 56 → 48-54 of 84). Held out once after deciding (seed 159's 40,
 * test-audio/small-held-out's 40, the CI corpus's 6): 40 / 11 → 48 / 12.
 *
 * yes/no keeps the noise fillers shut (pocketsphinx's own 1e-8, not fillerProbabilityDefault): open, a filler
 * took the first syllable of espeak's "correct" and the rest was heard as a sure "no"
 * (test/speech/pocketsphinx/yes-no-phrases.test.ts); on the generated yes/no answers opening them gained
 * nothing worth that (tuning 140 / 8 → 142 / 7 of 150; held out 79 / 0 of 80 either way).
 */
export const searchSettingsByContext: Readonly<Partial<Record<GrammarContext, SearchSettings>>> = {
  digits: { '-wip': 0.005 },
  yesno: { '-fillprob': 1e-8 },
};

export class PocketsphinxRecognizer implements Recognizer {
  readonly engine = 'pocketsphinx';
  private readonly grammars = new Map<string, GrammarDefinition>();
  /** Per grammar id (not names: the matcher weighs those), what the grammar can say (grammar-acceptor.ts). */
  private readonly acceptors = new Map<string, GrammarAcceptor>();
  /** Per grammar id, its readings in the grammar's own words (context-words.ts); absent: as read. */
  private readonly spokenWords = new Map<string, (text: string) => string>();
  private readonly open = new Set<VadRecognitionStream>();
  /** When each decoder last had a grammar readied into it (prepare). */
  private readonly preparedAt = new WeakMap<PooledDecoder, number>();
  /** Grammars being compiled by prepare now, by grammar id. */
  private readonly preparing = new Map<string, Promise<void>>();
  /**
   * Per call (CallerAcoustics.call), whether a streamed answer's line was judged noisy on its opening
   * (line-judging-session.ts), for its passes that open later, until an answer measured whole says.
   */
  private readonly judgedLines = new WeakMap<object, boolean>();
  /** 8 kHz samples handed to decoders so far (what the CPU of decoding is proportional to). */
  private readonly decodedSamples = { count: 0 };
  /** Early decodes begun (a decoder taken for one), and of those, the ones taken as the answer. */
  private readonly early = { decoded: 0, taken: 0 };

  private constructor(private readonly library: PocketsphinxLibrary, private readonly pool: DecoderPool,
    private readonly workDir: string, private readonly languageWeight: number,
    /** The MLLR transform every decoder applies, or null. */
    readonly mllrPath: string | null,
    /** Which transform each context decodes with (context-mllr.ts). */
    readonly contextMllr: ContextMllr,
    /** Word beam of name searches, or null for the decoder's. */
    private readonly nameWordBeam: number | null,
    private readonly latticeWaitMs: number,
    private readonly decoding: PocketsphinxDecoding,
    private readonly contextSearchSettings: Partial<Record<GrammarContext, SearchSettings>>,
    private readonly noiseFloorBelowSpeechDb: number | null,
    /** Which decode calls go first (decode-throttle.ts); null: in the order they are made. */
    private readonly throttle: DecodeThrottle | null,
    /** PocketsphinxOptions.noisyLineSnrDb. */
    private readonly noisyLineSnrDb: number,
    /** PocketsphinxOptions.earlyDecode. */
    private readonly earlyDecode: boolean) {}

  /** Loads the library and model (RecognizerUnavailableError when absent) and creates the first decoder. */
  static async create(options: PocketsphinxOptions): Promise<PocketsphinxRecognizer> {
    const latticeWaitMs = options.latticeWaitMs ?? latticeWaitMsDefault;
    if (!Number.isSafeInteger(latticeWaitMs) || latticeWaitMs < 0) {
      throw new RangeError(`lattice wait ${latticeWaitMs} ms is not a whole number of milliseconds from 0`);
    }
    const noiseFloorBelowSpeechDb = options.noiseFloorBelowSpeechDb === undefined ? noiseFloorBelowSpeechDbDefault
      : options.noiseFloorBelowSpeechDb;
    if (noiseFloorBelowSpeechDb !== null && !isNoiseFloorDb(noiseFloorBelowSpeechDb)) {
      throw new RangeError(`noise floor ${noiseFloorBelowSpeechDb} dB under speech is not above 0 and at most `
        + `${noiseFloorBelowSpeechDbMax}`);
    }
    const noisyLineSnrDb = options.noisyLineSnrDb ?? noisyLineSnrDbDefault;
    if (!(noisyLineSnrDb >= 0 && noisyLineSnrDb <= noisyLineSnrDbMax)) {
      throw new RangeError(`noisy-line SNR ${noisyLineSnrDb} dB is not from 0 to ${noisyLineSnrDbMax}`);
    }
    // Made before the pool, so a bad setting throws before there is anything to close.
    const backgroundDecodes = options.backgroundDecodesMax === undefined ? backgroundDecodesDefault
      : options.backgroundDecodesMax;
    const throttle = backgroundDecodes === null ? null : new DecodeThrottle(backgroundDecodes);
    const fillerProbability = options.fillerProbability ?? fillerProbabilityDefault;
    if (!(fillerProbability > 0 && fillerProbability <= 1)) {
      throw new RangeError(`filler probability ${fillerProbability} is not above 0 and at most 1`);
    }
    const contextSearchSettings = options.contextSearchSettings ?? searchSettingsByContext;
    for (const [context, settings] of Object.entries(contextSearchSettings)) {
      for (const [name, value] of Object.entries(settings)) {
        if (!(value > 0) || (name !== '-wip' && value > 1)) {
          throw new RangeError(`${context} search setting ${name} ${value} is out of range`);
        }
      }
    }
    const library = loadPocketsphinx();
    const modelDir = options.modelDir ?? `${debianModelDir}/en-us`;
    checkModel(modelDir);
    const mllrPath = resolveMllr(options.mllr);
    const numberMllrPath = resolveMllr(options.numberMllr ?? numberMllrSettingDefault, 'POCKETSPHINX_NUMBER_MLLR');
    const noisyMllrPath = resolveMllr(options.noisyMllr ?? noisyMllrSettingDefault, 'POCKETSPHINX_NOISY_MLLR');
    const grammars = loadStaticGrammars();
    const workDir = await mkdtemp(join(tmpdir(), 'pocketsphinx-'));
    const dictionaryPath = join(workDir, 'grammar-words.dict');
    const missing = await writeSubsetDictionary({
      cmudictPath: options.cmudictPath ?? `${debianModelDir}/cmudict-en-us.dict`,
      words: grammars.flatMap((grammar) => grammar.words), outPath: dictionaryPath, extra: narrowbandPronunciations,
    });
    if (missing.length > 0) throw new Error(`grammar words missing from the dictionary: ${missing.join(', ')}`);
    const featParamsPath = join(workDir, 'feat.params');
    await writeTelephoneFeatParams({ modelDir, outPath: featParamsPath });
    const argv = ['-hmm', modelDir, '-dict', dictionaryPath, '-featparams', featParamsPath, '-samprate', '16000',
      '-bestpath', 'yes', '-wip', String(wordInsertionPenalty), '-wbeam', wordBeam,
      '-fillprob', String(fillerProbability),
      // Named although -hmm implies them: ps_update_mllr re-reads the Gaussians from -mean and -var only.
      '-mean', `${modelDir}/means`, '-var', `${modelDir}/variances`,
      ...(mllrPath === null ? [] : ['-mllr', mllrPath])];
    const pool = new DecoderPool(library, argv, options.poolSize, options.searchesMax);
    pool.warm();
    let contextMllr: ContextMllr;
    try {
      contextMllr = ContextMllr.create(library, { global: mllrPath, numbers: numberMllrPath, workDir,
        noisy: noisyMllrPath });
    } catch (error) {
      await pool.close();
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
    const languageWeight = options.languageWeight ?? languageWeightDefault;
    const nameWordBeam = options.nameWordBeam === undefined ? nameWordBeamDefault : options.nameWordBeam;
    if (nameWordBeam !== null && !(nameWordBeam > 0 && nameWordBeam < 1)) {
      await pool.close();
      contextMllr.free();
      await rm(workDir, { recursive: true, force: true });
      throw new RangeError(`name word beam ${nameWordBeam} is not between 0 and 1`);
    }
    const recognizer = new PocketsphinxRecognizer(library, pool, workDir, languageWeight, mllrPath, contextMllr,
      nameWordBeam, latticeWaitMs, options.decoding ?? decodingDefault, contextSearchSettings, noiseFloorBelowSpeechDb,
      throttle, noisyLineSnrDb, options.earlyDecode ?? true);
    for (const grammar of grammars) recognizer.addGrammar(grammar);
    return recognizer;
  }

  /**
   * While more calls than this are heard, decode calls that may lag run only while fewer than this many run
   * (decode-throttle.ts); null: no limit.
   */
  get backgroundDecodesMax(): number | null {
    return this.throttle?.cores ?? null;
  }

  /** Adds or replaces a grammar (e.g. names of a new roll generation, keyed by generation and city). */
  addGrammar(grammar: GrammarDefinition): void {
    const id = grammarId(grammar.context, grammar.grammarKey);
    // The decoder compiles the grammar with the context's own words; readings are named and checked in its words.
    const { compiled, spoken } = withContextWords(grammar);
    this.grammars.set(id, compiled);
    if (compiled === grammar) this.spokenWords.delete(id);
    else this.spokenWords.set(id, spoken);
    if (grammar.context === 'name') this.acceptors.delete(id);
    else this.acceptors.set(id, grammarAcceptor(grammar));
  }

  /**
   * Forgets a grammar added at run time (e.g. the name path's one-reading alignments, one per utterance), so
   * the map does not grow with calls; decoders free its compiled search with their least recently used.
   */
  removeGrammar(context: GrammarContext, grammarKey: string): void {
    const id = grammarId(context, grammarKey);
    this.grammars.delete(id);
    this.acceptors.delete(id);
    this.spokenWords.delete(id);
  }

  /** Compiled searches freed to stay within searchesMax (for tests and benchmarks). */
  get searchesFreed(): number {
    return this.pool.searchesFreed;
  }

  /** Grammars compiled into decoders so far (for tests and benchmarks). */
  get searchesCompiled(): number {
    return this.pool.searchesCompiled;
  }

  /** Seconds of (8 kHz) audio handed to decoders so far, over every utterance (tests and benchmarks). */
  get audioSecondsDecoded(): number {
    return this.decodedSamples.count / 8000;
  }

  /** Early decodes begun (a decoder taken for one), and how many of those were the answer (tests, benchmarks). */
  get earlyDecodes(): { readonly decoded: number; readonly taken: number } {
    return { ...this.early };
  }

  /** Decoders created so far (for the memory benchmark). */
  get decoderCount(): number {
    return this.pool.size;
  }

  start(options: RecognizeOptions): RecognitionStream {
    const grammar = this.grammarFor(options);
    const stream = new VadRecognitionStream(options,
      async () => this.openSession(grammar, options));
    this.open.add(stream);
    void stream.result.finally(() => this.open.delete(stream));
    return stream;
  }

  /**
   * Compiles the options' grammar, with its context's transform, into an idle decoder that has not got it, so
   * the utterance's `start` picks that decoder and decodes at once (a town's name grammar of 5,000 voters takes
   * about 0.7 s to compile). Nothing when an idle decoder holds it already, or when every decoder is in use.
   * Grammars readied one after another go to different decoders (one readied in the last preparedApartMs is
   * passed over, a new one created instead while the pool may grow): the passes of one utterance that listen
   * with them (a large town's surname ranges) each hold a decoder at once, and each finds its grammar there.
   * A decoder is held only while its own grammar compiles, so readying a large town never holds them all.
   */
  async prepare(options: RecognizeOptions): Promise<void> {
    const grammar = this.grammarFor(options);
    const id = grammarId(grammar.context, grammar.grammarKey);
    const already = this.preparing.get(id);
    if (already !== undefined) return already;
    // Known at once: an utterance that starts with this grammar meanwhile waits for it rather than compiling it
    // again in another decoder.
    const readied = this.readyInto(grammar, id);
    this.preparing.set(id, readied);
    try {
      await readied;
    } finally {
      if (this.preparing.get(id) === readied) this.preparing.delete(id);
    }
  }

  async close(): Promise<void> {
    for (const stream of this.open) stream.cancel();
    await this.pool.close();
    this.contextMllr.free();
    await rm(this.workDir, { recursive: true, force: true });
  }

  /**
   * What a grammar is compiled with instead of the decoder's settings: its context's (searchSettingsByContext),
   * and nameWordBeam for grammars asking for it (the city finders, the yes/no phrases).
   */
  private searchSettings(grammar: GrammarDefinition): SearchSettings {
    return {
      ...this.contextSearchSettings[grammar.context],
      ...(grammar.wideWordBeam === true && this.nameWordBeam !== null ? { '-wbeam': this.nameWordBeam } : {}),
    };
  }

  private async readyInto(grammar: GrammarDefinition, id: string): Promise<void> {
    const now = performance.now();
    const decoder = await this.pool.acquireIfFree((idle) => {
      if (idle.searches.has(id)) return 4;
      if (now - (this.preparedAt.get(idle) ?? Number.NEGATIVE_INFINITY) < preparedApartMs) return 0;
      return this.contextMllr.carries(idle, grammar.context) ? 2 : 1;
    });
    if (decoder === null) return;
    try {
      if (decoder.searches.has(id)) return;
      this.preparedAt.set(decoder, performance.now());
      await this.contextMllr.prepare(decoder, grammar.context);
      await this.pool.select(decoder, grammar, this.languageWeight, this.searchSettings(grammar));
    } finally {
      this.pool.release(decoder);
    }
  }

  private grammarFor(options: RecognizeOptions): GrammarDefinition {
    const grammar = this.grammars.get(grammarId(options.context, options.grammarKey));
    if (grammar === undefined) {
      const key = options.grammarKey === undefined ? '' : ` ${options.grammarKey}`;
      throw new UnknownGrammarError(`no ${options.context} grammar${key} is loaded`);
    }
    return grammar;
  }

  private async openSession(grammar: GrammarDefinition, options: RecognizeOptions): Promise<UtteranceSession> {
    const readsAcoustics = options.pathAcoustics === true;
    const caller = options.caller;
    const wholeUtterance = this.decoding === 'utterance' && !utteranceStreamedContexts.has(grammar.context);
    // Decoded whole, the answer takes its decoder when the caller stops, not while they speak.
    if (wholeUtterance) {
      const early = this.earlyDecode ? { endSilenceMs: options.endSilenceMs ?? hangoverMsDefault, nBest: options.nBest,
        open: async (heard: readonly Int16Array[]) => this.openEarlySession(grammar, readsAcoustics, caller, heard) }
        : null;
      return new WholeUtteranceSession((heard) => this.openDecoderSession(grammar, readsAcoustics, caller, true,
        this.onNoisyLine(heard, caller)), early);
    }
    // Streamed, the decoder starts before this answer's line can be measured: the call's last answer measured
    // says which transform a name starts with; without one, the line judged already by another pass of this
    // answer (every pass hears the same audio), and without that the answer is judged as it comes.
    if (!this.contextMllr.hearsNoisyLines || !noisyLineStreamedContexts.has(grammar.context)) {
      return this.openDecoderSession(grammar, readsAcoustics, caller, false, false);
    }
    const lastLine = caller?.lineSnrDb ?? null;
    const judged = caller === undefined ? undefined : this.judgedLines.get(caller.call);
    if (lastLine !== null || judged !== undefined) {
      return this.openDecoderSession(grammar, readsAcoustics, caller, false,
        lastLine === null ? judged === true : lastLine < this.noisyLineSnrDb);
    }
    const first = await this.openDecoderSession(grammar, readsAcoustics, caller, false, false);
    return new LineJudgingSession(first, {
      judgeAfterSamples: streamedLineJudgedAfterMs * 8,
      noisy: (heard) => {
        const noisy = chunksLineSnrDb(heard) < this.noisyLineSnrDb;
        if (caller !== undefined) this.judgedLines.set(caller.call, noisy);
        return noisy;
      },
      openNoisy: async () => this.openDecoderSession(grammar, readsAcoustics, caller, false, true),
      // A pass with a frozen copy of the call's acoustics records nothing, so it keeps no audio for it.
      ended: caller?.recordsLine === true ? (heard) => { caller.heardLine(chunksLineSnrDb(heard)); } : null,
    });
  }

  /**
   * Whether audio decoded whole was said on a noisy line, told to the call for its streamed answers (only
   * measured when that changes a transform).
   */
  private onNoisyLine(heard: readonly Int16Array[], caller: CallerAcoustics | undefined): boolean {
    if (!this.contextMllr.hearsNoisyLines) return false;
    const snrDb = chunksLineSnrDb(heard);
    caller?.heardLine(snrDb);
    return snrDb < this.noisyLineSnrDb;
  }

  private async openDecoderSession(grammar: GrammarDefinition, readsAcoustics: boolean,
    caller: CallerAcoustics | undefined, wholeUtterance: boolean, noisyLine: boolean): Promise<UtteranceSession> {
    const id = grammarId(grammar.context, grammar.grammarKey);
    await this.preparing.get(id)?.catch(() => undefined);
    const decoder = await this.pool.acquire(this.decoderPreference(grammar, noisyLine));
    return this.sessionOn(decoder, grammar, readsAcoustics, caller, wholeUtterance, noisyLine);
  }

  /**
   * An answer decoded whole before its hangover ended (whole-utterance-session.ts): only on a decoder idle now
   * and while no more calls are heard than there are cores, so it never holds up another caller's answer. What
   * it measures reaches the call only if the answer is taken.
   */
  private async openEarlySession(grammar: GrammarDefinition, readsAcoustics: boolean,
    caller: CallerAcoustics | undefined, heard: readonly Int16Array[]): Promise<EarlySession | null> {
    if (this.throttle?.crowded === true) return null;
    if (this.preparing.has(grammarId(grammar.context, grammar.grammarKey))) return null;
    const held = caller?.held();
    const noisyLine = this.onNoisyLine(heard, held);
    const decoder = await this.pool.acquireIdle(this.decoderPreference(grammar, noisyLine));
    if (decoder === null) return null;
    const session = await this.sessionOn(decoder, grammar, readsAcoustics, held, true, noisyLine);
    this.early.decoded += 1;
    return { session, taken: () => {
      this.early.taken += 1;
      held?.tell();
    } };
  }

  /**
   * An idle decoder that has compiled this grammar first (compiling a name grammar takes seconds), then one
   * carrying the context's MLLR transform (a swap takes ~40 ms).
   */
  private decoderPreference(grammar: GrammarDefinition, noisyLine: boolean): (idle: PooledDecoder) => number {
    const id = grammarId(grammar.context, grammar.grammarKey);
    return (idle) => (idle.searches.has(id) ? 2 : 0)
      + (this.contextMllr.carries(idle, grammar.context, noisyLine) ? 1 : 0);
  }

  private async sessionOn(decoder: PooledDecoder, grammar: GrammarDefinition, readsAcoustics: boolean,
    caller: CallerAcoustics | undefined, wholeUtterance: boolean, noisyLine: boolean): Promise<UtteranceSession> {
    const id = grammarId(grammar.context, grammar.grammarKey);
    try {
      await this.contextMllr.prepare(decoder, grammar.context, noisyLine);
      await this.pool.select(decoder, grammar, this.languageWeight, this.searchSettings(grammar));
      if (!wholeUtterance) {
        startUtterance(this.library, decoder.native, caller?.cepstralMean(telephoneMean) ?? telephoneMean);
      }
    } catch (error) {
      this.pool.release(decoder);
      throw error;
    }
    const accepts = this.acceptors.get(id) ?? ((): boolean => true);
    return new PocketsphinxSession(this.library, decoder, () => { this.pool.release(decoder); }, accepts,
      this.spokenWords.get(id) ?? ((text: string): string => text), this.decodedSamples, readsAcoustics,
      this.latticeWaitMs, wholeUtterance, caller, grammar.completeReadingsOnly === true, this.noiseFloorBelowSpeechDb,
      this.throttle);
  }
}

/** Starts an utterance as a fresh decoder would: a new noise estimate, `mean` as the channel's cepstral mean. */
function startUtterance(library: PocketsphinxLibrary, decoder: NativePointer, mean: Float32Array): void {
  if (library.startStream(decoder) < 0) throw new Error('pocketsphinx could not start a stream');
  library.setCepstralMean(decoder, mean);
  if (library.startUtt(decoder) < 0) throw new Error('pocketsphinx could not start an utterance');
}

/** Work a caller waits for (decode-throttle.ts). */
const urgent = (): boolean => true;

class PocketsphinxSession implements UtteranceSession {
  private readonly upsampler = new Upsampler8to16();
  /** The noise floor under the audio (noise-floor.ts); null: the audio as heard. */
  private readonly floor: NoiseFloor | null;
  /** Decoding 'utterance': the 8 kHz audio written so far. */
  private kept: Int16Array[] = [];
  /** 16 kHz chunks written and not yet handed to the decoder. */
  private queued: Int16Array[] = [];
  private queuedSamples = 0;
  private decodeScheduled = false;
  /** Decode calls run one after another on the decoder. */
  private work: Promise<unknown> = Promise.resolve();
  /** A lattice still being built after the result went out: the decoder is given back when it is done. */
  private lattice: Promise<unknown> | null = null;
  private released = false;
  /** finish() or abort() was called: no more partial readings. */
  private finishing = false;
  /** Ends this utterance's count among the calls being heard (DecodeThrottle.listen). */
  private readonly heard: () => void;
  private returnedDecoder: () => void = () => undefined;
  /** Settles once the decoder is back in the pool (after finish() or abort()). */
  readonly decoderReturned = new Promise<void>((resolve) => { this.returnedDecoder = resolve; });

  constructor(private readonly library: PocketsphinxLibrary, private readonly decoder: PooledDecoder,
    private readonly release: () => void,
    /** False for a partial path the decoder fell back to (no path reached the grammar's end): dropped. */
    private readonly accepts: GrammarAcceptor,
    /** A reading in the grammar's own words (context-words.ts). */
    private readonly spoken: (text: string) => string,
    /** The recognizer's count of samples handed to decoders. */
    private readonly decodedSamples: { count: number },
    /** RecognizeOptions.pathAcoustics: the best reading gets its path acoustics. */
    private readonly readsAcoustics: boolean,
    /** PocketsphinxOptions.latticeWaitMs. */
    private readonly latticeWaitMs: number,
    /** Decoding 'utterance': write() only keeps the audio, finish() decodes it all. */
    private readonly wholeUtterance: boolean,
    /** RecognizeOptions.caller: told the utterance's own cepstral mean when it ends. */
    private readonly caller: CallerAcoustics | undefined,
    /** GrammarDefinition.completeReadingsOnly: partial readings take no share of the confidence. */
    private readonly completeReadingsOnly: boolean,
    /** PocketsphinxOptions.noiseFloorBelowSpeechDb; null: none. */
    noiseFloorBelowSpeechDb: number | null,
    /** The recognizer's decode throttle; null: every call at once. */
    private readonly throttle: DecodeThrottle | null) {
    this.floor = noiseFloorBelowSpeechDb === null ? null
      : new NoiseFloor({ belowSpeechDb: noiseFloorBelowSpeechDb, measureMs: noiseFloorMeasureMs,
        seed: noiseFloorSeed });
    // Without the call, the utterance counts as a call of its own.
    this.heard = throttle?.listen(caller?.call ?? this) ?? ((): void => undefined);
  }

  write(samples: Int16Array): void {
    if (this.released) return;
    this.decodedSamples.count += samples.length;
    // Decoded whole, the 8 kHz audio is kept as it came: the floor is measured on all of it (decodeWhole).
    if (this.wholeUtterance) {
      this.kept.push(samples.slice());
      return;
    }
    for (const chunk of this.floor === null ? [samples] : this.floor.push(samples)) this.queueWide(chunk);
    if (this.queuedSamples >= decodeCallSamplesMin) this.scheduleDecode();
  }

  private queueWide(samples: Int16Array): void {
    const wide = this.upsampler.process(samples);
    this.queued.push(wide);
    this.queuedSamples += wide.length;
  }

  /**
   * One decode call, queued after the running one, that takes every chunk queued by the time it starts:
   * a decoder behind its audio (a busy machine) catches up in fewer, longer calls.
   */
  private scheduleDecode(): void {
    if (this.decodeScheduled || this.queued.length === 0) return;
    this.decodeScheduled = true;
    this.work = this.work.then(async () => {
      this.decodeScheduled = false;
      const chunks = this.queued;
      this.queued = [];
      this.queuedSamples = 0;
      const joined = chunks.length === 1 ? chunks[0] as Int16Array : concatSamples(chunks);
      // While the caller speaks, the decoder may lag its audio; once they stop, someone waits for it.
      return this.throttled(() => this.finishing,
        async () => this.library.processRawAsync(this.decoder.native, joined));
    });
  }

  /**
   * ps_get_hyp between two decode calls (queued after the audio written so far): the best path to the
   * frame reached. Null once the utterance is finishing, when the decoder may already be someone else's.
   */
  partial(): Promise<string | null> {
    if (this.finishing || this.wholeUtterance) return Promise.resolve(null);
    this.scheduleDecode();
    return this.work.then(() => {
      const text = this.finishing ? undefined : this.library.hypothesis(this.decoder.native)?.text;
      return text === undefined ? null : this.spoken(text);
    }, () => null);
  }

  async finish(nBest: number): Promise<Hypothesis[]> {
    this.finishing = true;
    try {
      let own: CepstralMean | null = null;
      if (this.wholeUtterance) own = await this.decodeWhole();
      else {
        for (const chunk of this.floor?.end() ?? []) this.queueWide(chunk);
        this.scheduleDecode();
        this.throttle?.wake();
      }
      await this.work;
      await this.throttled(urgent, async () => this.library.endUttAsync(this.decoder.native));
      // Only a call keeps the utterance's mean; a streamed one is read back off the decoder.
      if (this.caller !== undefined) {
        own ??= this.library.cepstralMeanHeard(this.decoder.native);
        this.caller.heard(own.mean, own.frames);
      }
      return await this.hypotheses(nBest);
    } finally {
      // The result is out: a lattice still being built no longer counts the call as heard.
      this.heard();
      if (this.lattice === null) this.giveBack();
      else void this.lattice.finally(() => { this.giveBack(); });
    }
  }

  /** Decoding 'utterance': the utterance's own cepstral mean, then all its audio in one decode call. */
  private async decodeWhole(): Promise<CepstralMean | null> {
    const heard = concatSamples(this.kept);
    this.kept = [];
    const audio = this.upsampler.process(this.floor === null ? heard : this.floor.whole(heard));
    const own = await this.throttled(urgent,
      async () => this.library.utteranceCepstralMeanAsync(this.decoder.native, audio));
    startUtterance(this.library, this.decoder.native, own?.mean ?? telephoneMean);
    this.work = this.throttled(urgent, async () => this.library.processRawAsync(this.decoder.native, audio));
    return own;
  }

  abort(): void {
    this.heard();
    if (this.wholeUtterance) {
      // Nothing was started on the decoder unless finish() is decoding, which gives it back itself.
      if (!this.finishing) this.giveBack();
      this.finishing = true;
      return;
    }
    this.finishing = true;
    this.throttle?.wake();
    void this.work.then(async () => this.throttled(urgent, async () => this.library.endUttAsync(this.decoder.native)))
      .finally(() => { this.giveBack(); });
  }

  /** `work` through the recognizer's decode throttle, if it has one. */
  private async throttled<T>(isUrgent: () => boolean, work: () => Promise<T>): Promise<T> {
    return this.throttle === null ? work() : this.throttle.run(isUrgent, work);
  }

  private async hypotheses(nBest: number): Promise<Hypothesis[]> {
    const read = this.library.hypothesis(this.decoder.native);
    if (read === null || read.text.trim() === '') return [];
    const best = { text: this.spoken(read.text), score: read.score };
    // Read now, before any other call on the decoder (ps_get_hyp has just found the best path).
    const acoustic = this.readsAcoustics ? pathAcoustic(this.library.bestPathSegments(this.decoder.native)) : null;
    // One reading asked for: no N-best wait, so the answer never depends on how fast the machine builds one.
    // (ps_get_hyp above is cheap on the event loop: p99 0.4 ms, at most 8 ms over the held-out corpus, 25 ms
    // at 100 calls. It does not leave the lattice ps_nbest needs: ps_get_lattice called right after it took
    // up to 548 ms on the CI corpus, so the lattice stays on a pool thread.)
    if (nBest <= 1 || this.latticeWaitMs === 0) {
      if (!this.accepts(best.text)) return [];
      return [{ text: best.text, confidence: bestOnlyConfidence, phones: this.phones(best.text),
        pathScore: best.score, ...(acoustic === null ? {} : { acoustic }) }];
    }
    const lattice = this.throttled(urgent, async () => this.library.latticeAsync(this.decoder.native))
      .then(() => true, () => false);
    const built = await within(lattice, this.latticeWaitMs, false);
    if (!built) {
      this.lattice = lattice;
      if (!this.accepts(best.text)) return [];
      return [{ text: best.text, confidence: bestOnlyConfidence, phones: this.phones(best.text),
        ...(acoustic === null ? {} : { acoustic }) }];
    }
    const entries = this.library.nBest(this.decoder.native, nBestSearchMax)
      .map((entry) => ({ text: this.spoken(entry.text), score: entry.score }));
    if (!entries.some((entry) => entry.text === best.text)) entries.unshift(best);
    // Posteriors over every reading (a partial one still takes its share: in a digit string or a spelled
    // surname, stopping short is a doubt about what was said), then only what the grammar says. Grammars of
    // carrier phrases weigh complete readings only (GrammarDefinition.completeReadingsOnly).
    const weighed = this.completeReadingsOnly ? entries.filter((entry) => this.accepts(entry.text)) : entries;
    return posteriorConfidences(weighed).filter((entry) => this.accepts(entry.text)).slice(0, nBest)
      .map(({ text, confidence }) => ({
      text, confidence, phones: this.phones(text),
      ...(acoustic === null || text !== best.text ? {} : { acoustic }),
    }));
  }

  /** The dictionary pronunciation of each word, stress-free ARPAbet. */
  private phones(text: string): string[] {
    return text.split(' ').flatMap((word) => (this.library.lookupWord(this.decoder.native, word) ?? '')
      .split(' ').filter((phone) => phone !== ''));
  }

  private giveBack(): void {
    if (this.released) return;
    this.released = true;
    this.release();
    this.returnedDecoder();
  }
}
