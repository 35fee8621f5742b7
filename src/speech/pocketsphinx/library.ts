// Debian's pocketsphinx 0.8 (5prealpha API) and sphinxbase through koffi: only the calls the adapter
// uses. Loading fails with RecognizerUnavailableError naming the apt packages, never a raw dlopen error.
import { existsSync } from 'node:fs';
import koffi, { type LibraryHandle } from 'koffi';
import { loadNativeLibrary } from '../native-library.js';
import { RecognizerUnavailableError } from '../recognizer.js';

export const pocketsphinxAptCommand = 'apt-get install libpocketsphinx3 pocketsphinx-en-us';
export const debianModelDir = '/usr/share/pocketsphinx/model/en-us';

/** Opaque native pointers (ps_decoder_t *, cmd_ln_t *, ps_nbest_t *, fsg_model_t *, logmath_t *). */
export type NativePointer = object;

export interface PocketsphinxLibrary {
  cmdLnParse(argv: readonly string[]): NativePointer | null;
  cmdLnFree(config: NativePointer): void;
  init(config: NativePointer): NativePointer | null;
  free(decoder: NativePointer): number;
  /**
   * Compiles a grammar into a named search on a libuv pool thread: a city's name grammar takes seconds
   * (tens of seconds for the largest), which on the event loop would stall every call's RTP.
   */
  setJsgfStringAsync(decoder: NativePointer, name: string, jsgf: string): Promise<number>;
  setFsgFileAsync(decoder: NativePointer, name: string, path: string, languageWeight: number): Promise<number>;
  /**
   * A float setting of the decoder's configuration (e.g. `-wbeam`). A search reads its beams from it when
   * it is compiled (ps_set_fsg), so changing one around a compile gives that search its own beams.
   */
  configFloat(decoder: NativePointer, name: string): number;
  setConfigFloat(decoder: NativePointer, name: string, value: number): void;
  setSearch(decoder: NativePointer, name: string): number;
  /** Frees a named search and its compiled graph (ps_unset_search); -1 when there is none by that name. */
  unsetSearch(decoder: NativePointer, name: string): number;
  addWord(decoder: NativePointer, word: string, phones: string, update: boolean): number;
  /** ps_add_word on a pool thread: with `update` it rebuilds every compiled search of the decoder. */
  addWordAsync(decoder: NativePointer, word: string, phones: string, update: boolean): Promise<number>;
  lookupWord(decoder: NativePointer, word: string): string | null;
  /**
   * Sets the decoder's live cepstral mean to `mean` with no frames counted: the next utterance is normalized
   * by `mean` alone, whatever the decoder heard before, for its first 8 s (800 frames; then live CMN moves to
   * the utterance's own mean). Throws when the library's feat_t/cmn_t layout is not the one read here (a
   * different sphinxbase build).
   */
  setCepstralMean(decoder: NativePointer, mean: Float32Array): void;
  /**
   * The cepstral mean of `samples` (16 kHz) as batch CMN computes it (frames of negative energy left out),
   * from the decoder's own front end on a pool thread; null when no frame has energy. Call between
   * utterances only: it runs the front end (startStream and startUtt reset it after).
   */
  utteranceCepstralMeanAsync(decoder: NativePointer, samples: Int16Array): Promise<CepstralMean | null>;
  /**
   * The live cepstral mean after an utterance ended (ps_end_utt updates it to the mean of the frames heard
   * since setCepstralMean) and how many frames it counts.
   */
  cepstralMeanHeard(decoder: NativePointer): CepstralMean;
  /**
   * ps_start_stream: the front end forgets the noise level it estimated (spectral noise subtraction and its
   * speech detector carry it from one utterance to the next until this is called).
   */
  startStream(decoder: NativePointer): number;
  startUtt(decoder: NativePointer): number;
  /**
   * Runs on a libuv pool thread: the event loop keeps serving RTP and SIP while a chunk decodes. Always a block
   * of a live utterance (full_utt 0): a full_utt decode followed by a block decode on one decoder aborts 5prealpha.
   */
  processRawAsync(decoder: NativePointer, samples: Int16Array): Promise<number>;
  endUttAsync(decoder: NativePointer): Promise<number>;
  /** ps_get_hyp: the best reading (cheap on the event loop; the lattice for N-best is latticeAsync's). */
  hypothesis(decoder: NativePointer): { text: string; score: number } | null;
  /** Up to `limit` distinct-or-not N-best entries, best first (duplicates are kept: callers merge). */
  nBest(decoder: NativePointer, limit: number): Array<{ text: string; score: number }>;
  /** Frames (10 ms) decoded in the current utterance. */
  frames(decoder: NativePointer): number;
  /**
   * The best path's words with their frames and acoustic scores (ps_seg_iter after the utterance ended;
   * with -bestpath it reads the lattice ps_get_hyp built). Call only while the decoder is this caller's.
   */
  bestPathSegments(decoder: NativePointer): PathSegment[];
  /**
   * Builds the utterance's word lattice on a libuv pool thread (ps_nbest needs it; for digit and letter
   * loops it takes seconds, which on the event loop would stall every call's RTP).
   */
  latticeAsync(decoder: NativePointer): Promise<boolean>;
  /** Reads a sphinxtrain mllr_matrix (ps_mllr_read); null when pocketsphinx cannot read it. */
  mllrRead(path: string): NativePointer | null;
  /** Drops our reference to a transform (decoders that applied it keep their own). */
  mllrFree(mllr: NativePointer): void;
  /**
   * Applies a transform to the decoder's model on a pool thread (ps_update_mllr: the model's means and
   * variances are read again from its files and transformed, so the previous transform is replaced, not
   * stacked). The decoder takes a reference of its own (and drops the one to its previous transform):
   * the caller's stays valid. False when pocketsphinx refused it.
   */
  updateMllrAsync(decoder: NativePointer, mllr: NativePointer): Promise<boolean>;
}


/** A cepstral mean and the frames (10 ms) it was taken over. */
export interface CepstralMean {
  readonly mean: Float32Array;
  readonly frames: number;
}

/** One word of a best path (fillers such as <sil> included), frames inclusive, scores in the decoder's units. */
export interface PathSegment {
  readonly word: string;
  readonly startFrame: number;
  readonly endFrame: number;
  /** Acoustic log score of the word's frames (no language, insertion or silence penalties). */
  readonly acoustic: number;
}

const libraryNames = { pocketsphinx: 'libpocketsphinx.so.3', sphinxbase: 'libsphinxbase.so.3' } as const;

let loaded: PocketsphinxLibrary | null = null;

/** Loads the libraries once per process; `names` is for tests of the missing-library message. */
export function loadPocketsphinx(names: { pocketsphinx: string; sphinxbase: string } = libraryNames):
PocketsphinxLibrary {
  if (loaded !== null && names === libraryNames) return loaded;
  let sphinxbase: LibraryHandle;
  let pocketsphinx: LibraryHandle;
  try {
    sphinxbase = loadNativeLibrary(names.sphinxbase);
    pocketsphinx = loadNativeLibrary(names.pocketsphinx);
  } catch (error) {
    throw new RecognizerUnavailableError(`pocketsphinx is not installed (${(error as Error).message.split('\n')[0]}); `
      + `install it with: ${pocketsphinxAptCommand}`);
  }
  const library = bind(sphinxbase, pocketsphinx);
  if (names === libraryNames) loaded = library;
  return library;
}

/** The model files the decoder needs; a clear message when the model package is missing. */
export function checkModel(modelDir: string): void {
  for (const file of ['mdef', 'means', 'variances', 'transition_matrices', 'noisedict']) {
    if (!existsSync(`${modelDir}/${file}`)) {
      throw new RecognizerUnavailableError(`the pocketsphinx acoustic model is missing (${modelDir}/${file}); `
        + `install it with: ${pocketsphinxAptCommand}`);
    }
  }
}

function bind(sb: LibraryHandle, ps: LibraryHandle): PocketsphinxLibrary {
  const ckdFree = sb.func('void ckd_free(void *ptr)');
  const heapString = koffi.disposable('ps_heap_string', 'const char *', ckdFree);
  const cmdLnParseR = sb.func('void *cmd_ln_parse_r(void *inout, void *defn, int argc, const char **argv, int strict)');
  const cmdLnFreeR = sb.func('int cmd_ln_free_r(void *config)');
  const fsgModelReadfile = sb.func('void *fsg_model_readfile(const char *file, void *lmath, float lw)');
  const fsgModelFree = sb.func('int fsg_model_free(void *fsg)');
  const psArgs = ps.func('void *ps_args()');
  const psInit = ps.func('void *ps_init(void *config)');
  const psFree = ps.func('int ps_free(void *ps)');
  const psSetJsgfString = ps.func('int ps_set_jsgf_string(void *ps, const char *name, const char *jsgf)');
  const psSetFsg = ps.func('int ps_set_fsg(void *ps, const char *name, void *fsg)');
  const psSetSearch = ps.func('int ps_set_search(void *ps, const char *name)');
  const psUnsetSearch = ps.func('int ps_unset_search(void *ps, const char *name)');
  const psGetLogmath = ps.func('void *ps_get_logmath(void *ps)');
  const psAddWord = ps.func('int ps_add_word(void *ps, const char *word, const char *phones, int update)');
  const psLookupWord = ps.func('ps_lookup_word', heapString, ['void *', 'const char *']);
  const psGetFeat = ps.func('void *ps_get_feat(void *ps)');
  const cmnLiveSet = sb.func('void cmn_live_set(void *cmn, const float *vec)');
  const psGetFe = ps.func('void *ps_get_fe(void *ps)');
  const feStartStream = sb.func('void fe_start_stream(void *fe)');
  const feStartUtt = sb.func('int fe_start_utt(void *fe)');
  const feOutputSize = sb.func('int fe_get_output_size(void *fe)');
  const feProcessUtt = sb.func('int fe_process_utt(void *fe, const int16_t *spch, size_t nsamps, '
    + '_Out_ void **cep, _Out_ int32_t *nframes)');
  const feFree2d = sb.func('void fe_free_2d(void *arr)');
  const psStartStream = ps.func('int ps_start_stream(void *ps)');
  const psStartUtt = ps.func('int ps_start_utt(void *ps)');
  const psProcessRaw = ps.func('int ps_process_raw(void *ps, const int16_t *data, size_t n, int no_search, int full_utt)');
  const psEndUtt = ps.func('int ps_end_utt(void *ps)');
  const psGetHyp = ps.func('const char *ps_get_hyp(void *ps, _Out_ int32_t *score)');
  const psGetNFrames = ps.func('int ps_get_n_frames(void *ps)');
  const psNbest = ps.func('void *ps_nbest(void *ps)');
  const psNbestNext = ps.func('void *ps_nbest_next(void *nbest)');
  const psNbestHyp = ps.func('const char *ps_nbest_hyp(void *nbest, _Out_ int32_t *score)');
  const psNbestFree = ps.func('void ps_nbest_free(void *nbest)');
  const psGetLattice = ps.func('void *ps_get_lattice(void *ps)');
  const psSegIter = ps.func('void *ps_seg_iter(void *ps, _Out_ int32_t *best_score)');
  const psSegNext = ps.func('void *ps_seg_next(void *seg)');
  const psSegWord = ps.func('const char *ps_seg_word(void *seg)');
  const psSegFrames = ps.func('void ps_seg_frames(void *seg, _Out_ int *sf, _Out_ int *ef)');
  const psSegProb = ps.func('int32_t ps_seg_prob(void *seg, _Out_ int32_t *ascr, _Out_ int32_t *lscr, _Out_ int32_t *lback)');
  const psMllrRead = ps.func('void *ps_mllr_read(const char *file)');
  const psMllrFree = ps.func('int ps_mllr_free(void *mllr)');
  const psMllrRetain = ps.func('void *ps_mllr_retain(void *mllr)');
  const psUpdateMllr = ps.func('void *ps_update_mllr(void *ps, void *mllr)');
  const psGetConfig = ps.func('void *ps_get_config(void *ps)');
  const cmdLnFloatR = sb.func('double cmd_ln_float_r(void *cmdln, const char *name)');
  const cmdLnSetFloatR = sb.func('void cmd_ln_set_float_r(void *cmdln, const char *name, double value)');
  const args = psArgs() as NativePointer;
  // Logging off for the whole process, once, before any decoder exists. sphinxbase logs to one global
  // FILE; each ps_init given -logfn opens a new one and fcloses the old while other threads (decoders
  // created or decoding on the libuv pool) may be writing to it: a use-after-free of the FILE that
  // deadlocked the process (a pool creating decoders on several threads hung within 30 rounds).
  sb.func('void err_set_logfp(void *stream)')(null);

  const asPromise = (call: (done: (error: unknown, value: number) => void) => void): Promise<number> =>
    new Promise((resolve, reject) => {
      call((error, value) => {
        if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(value);
      });
    });

  return {
    cmdLnParse: (argv) => cmdLnParseR(null, args, argv.length, argv, 1) as NativePointer | null,
    cmdLnFree: (config) => { cmdLnFreeR(config); },
    init: (config) => psInit(config) as NativePointer | null,
    free: (decoder) => psFree(decoder) as number,
    setJsgfStringAsync: (decoder, name, jsgf) => asPromise((done) => {
      psSetJsgfString.async(decoder, name, jsgf, done);
    }),
    setFsgFileAsync: async (decoder, name, path, languageWeight) => {
      const fsg = await new Promise<NativePointer | null>((resolve, reject) => {
        fsgModelReadfile.async(path, psGetLogmath(decoder), languageWeight, (error: unknown, model: unknown) => {
          if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve(model as NativePointer | null);
        });
      });
      if (fsg === null) return -1;
      // ps_set_fsg keeps its own reference; drop ours so freeing the search frees the model.
      const status = await asPromise((done) => { psSetFsg.async(decoder, name, fsg, done); });
      fsgModelFree(fsg);
      return status;
    },
    configFloat: (decoder, name) => cmdLnFloatR(psGetConfig(decoder), name) as number,
    setConfigFloat: (decoder, name, value) => { cmdLnSetFloatR(psGetConfig(decoder), name, value); },
    setSearch: (decoder, name) => psSetSearch(decoder, name) as number,
    unsetSearch: (decoder, name) => psUnsetSearch(decoder, name) as number,
    addWord: (decoder, word, phones, update) => psAddWord(decoder, word, phones, update ? 1 : 0) as number,
    addWordAsync: (decoder, word, phones, update) => asPromise((done) => {
      psAddWord.async(decoder, word, phones, update ? 1 : 0, done);
    }),
    lookupWord: (decoder, word) => psLookupWord(decoder, word) as string | null,
    setCepstralMean: (decoder, mean) => {
      const cmn = cepstralMeanState(psGetFeat(decoder) as NativePointer);
      if (cmn.veclen !== mean.length) {
        throw new Error(`pocketsphinx's cepstral mean has ${cmn.veclen} coefficients, not ${mean.length} `
          + '(an unexpected sphinxbase feat_t layout)');
      }
      cmnLiveSet(cmn.pointer, mean);
      // cmn_live_set counts `mean` as 500 frames heard: 300 frames into an utterance live CMN would move its
      // estimate at the end of whichever decode call crossed 800, which depends on how the audio was split
      // into calls (the machine's timing). With nothing counted it moves at 800 of the utterance's own frames.
      koffi.encode(cmn.pointer, cmnNframeOffset, 'int32_t', 0);
      const sum = koffi.decode(cmn.pointer, cmnSumOffset, 'void *') as NativePointer;
      koffi.encode(sum, 0, koffi.array('float', mean.length), new Array<number>(mean.length).fill(0));
    },
    utteranceCepstralMeanAsync: async (decoder, samples) => {
      const fe = psGetFe(decoder) as NativePointer;
      feStartStream(fe);
      feStartUtt(fe);
      const width = feOutputSize(fe) as number;
      const block: Array<NativePointer | null> = [null];
      const frames = [0];
      const status = await asPromise((done) => {
        feProcessUtt.async(fe, samples, samples.length, block, frames, done);
      });
      const rows = block[0] ?? null;
      if (rows === null) throw new Error('pocketsphinx front end returned no cepstra');
      try {
        if (status < 0) throw new Error(`pocketsphinx front end failed (${status})`);
        const count = frames[0] ?? 0;
        if (count === 0) return null;
        // ckd_calloc_2d: one contiguous block of rows behind the row pointers.
        const cepstra = koffi.decode(koffi.decode(rows, 'void *'), koffi.array('float', count * width)) as number[];
        const mean = new Float32Array(width);
        let counted = 0;
        for (let frame = 0; frame < count; frame += 1) {
          if ((cepstra[frame * width] ?? -1) < 0) continue;
          for (let index = 0; index < width; index += 1) {
            mean[index] = (mean[index] ?? 0) + (cepstra[frame * width + index] ?? 0);
          }
          counted += 1;
        }
        if (counted === 0) return null;
        for (let index = 0; index < width; index += 1) mean[index] = (mean[index] ?? 0) / counted;
        return { mean, frames: counted };
      } finally {
        feFree2d(rows);
      }
    },
    cepstralMeanHeard: (decoder) => {
      const cmn = cepstralMeanState(psGetFeat(decoder) as NativePointer);
      const values = koffi.decode(koffi.decode(cmn.pointer, cmnMeanOffset, 'void *'),
        koffi.array('float', cmn.veclen)) as number[];
      const frames = koffi.decode(cmn.pointer, cmnNframeOffset, 'int32_t') as number;
      return { mean: Float32Array.from(values), frames };
    },
    startStream: (decoder) => psStartStream(decoder) as number,
    startUtt: (decoder) => psStartUtt(decoder) as number,
    processRawAsync: (decoder, samples) => asPromise((done) => {
      psProcessRaw.async(decoder, samples, samples.length, 0, 0, done);
    }),
    endUttAsync: (decoder) => asPromise((done) => { psEndUtt.async(decoder, done); }),
    hypothesis: (decoder) => {
      const score = [0];
      const text = psGetHyp(decoder, score) as string | null;
      return text === null ? null : { text, score: score[0] ?? 0 };
    },
    nBest: (decoder, limit) => {
      const entries: Array<{ text: string; score: number }> = [];
      let iterator = psNbest(decoder) as NativePointer | null;
      while (iterator !== null && entries.length < limit) {
        const score = [0];
        const text = psNbestHyp(iterator, score) as string | null;
        if (text !== null) entries.push({ text, score: score[0] ?? 0 });
        iterator = psNbestNext(iterator) as NativePointer | null;
      }
      if (iterator !== null) psNbestFree(iterator);
      return entries;
    },
    frames: (decoder) => psGetNFrames(decoder) as number,
    bestPathSegments: (decoder) => {
      const segments: PathSegment[] = [];
      // ps_seg_next frees the iterator when it returns null.
      for (let seg = psSegIter(decoder, [0]) as NativePointer | null; seg !== null;
        seg = psSegNext(seg) as NativePointer | null) {
        const start = [0];
        const end = [0];
        const acoustic = [0];
        psSegFrames(seg, start, end);
        psSegProb(seg, acoustic, [0], [0]);
        segments.push({ word: (psSegWord(seg) as string | null) ?? '', startFrame: start[0] ?? 0,
          endFrame: end[0] ?? 0, acoustic: acoustic[0] ?? 0 });
      }
      return segments;
    },
    latticeAsync: (decoder) => new Promise((resolve, reject) => {
      psGetLattice.async(decoder, (error: unknown, dag: unknown) => {
        if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(dag !== null);
      });
    }),
    mllrRead: (path) => psMllrRead(path) as NativePointer | null,
    mllrFree: (mllr) => { psMllrFree(mllr); },
    updateMllrAsync: (decoder, mllr) => new Promise((resolve, reject) => {
      // acmod_update_mllr keeps the pointer without retaining it, and frees it when replaced or freed.
      psMllrRetain(mllr);
      psUpdateMllr.async(decoder, mllr, (error: unknown, applied: unknown) => {
        if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(applied !== null);
      });
    }),
  };
}

// sphinxbase 5prealpha's structs (feat.h, cmn.h) on a 64-bit build. No call returns the CMN state, so it is
// read off feat_t: cepsize is an int at byte 16, cmn_struct a pointer at byte 88; cmn_t holds the mean (a
// float pointer) at byte 0, the running sum (another) at byte 16, the frames it counts at 24 and veclen at
// 28. cepsize and veclen must agree, which a different layout would almost never give.
const featCepsizeOffset = 16;
const featCmnStructOffset = 88;
const cmnVeclenOffset = 28;
const cmnNframeOffset = 24;
const cmnMeanOffset = 0;
const cmnSumOffset = 16;

function cepstralMeanState(feat: NativePointer): { pointer: NativePointer; veclen: number } {
  const cepsize = koffi.decode(feat, featCepsizeOffset, 'int32_t') as number;
  const pointer = koffi.decode(feat, featCmnStructOffset, 'void *') as NativePointer | null;
  const veclen = pointer === null ? -1 : koffi.decode(pointer, cmnVeclenOffset, 'int32_t') as number;
  if (pointer === null || veclen !== cepsize) {
    throw new Error(`pocketsphinx's feature layout is not sphinxbase 5prealpha's (cepsize ${cepsize}, `
      + `CMN vector ${veclen})`);
  }
  return { pointer, veclen };
}
