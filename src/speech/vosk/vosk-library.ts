// libvosk through koffi. The shared library comes from the `vosk` npm package (its tarball carries
// lib/linux-x86_64/libvosk.so); the package's own JS needs ffi-napi, which does not build on Node 20,
// so only the .so is used. Missing library or model → RecognizerUnavailableError saying what to do.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadNativeLibrary } from '../native-library.js';
import { RecognizerUnavailableError } from '../recognizer.js';

export type VoskPointer = object;

export interface VoskLibrary {
  modelNew(path: string): VoskPointer | null;
  modelFree(model: VoskPointer): void;
  recognizerNewGrammar(model: VoskPointer, sampleRate: number, grammarJson: string): VoskPointer | null;
  setMaxAlternatives(recognizer: VoskPointer, count: number): void;
  setWords(recognizer: VoskPointer, words: boolean): void;
  acceptWaveformAsync(recognizer: VoskPointer, samples: Int16Array): Promise<number>;
  finalResultAsync(recognizer: VoskPointer): Promise<string>;
  reset(recognizer: VoskPointer): void;
  recognizerFree(recognizer: VoskPointer): void;
}

/** Where npm put libvosk.so (node_modules/vosk/lib/linux-x86_64/libvosk.so), or null. */
export function bundledVoskLibraryPath(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve('vosk/package.json')), 'lib', 'linux-x86_64', 'libvosk.so');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function loadVosk(path: string | null = bundledVoskLibraryPath()): VoskLibrary {
  if (path === null) {
    throw new RecognizerUnavailableError('libvosk.so is missing: it comes with the vosk npm package; run npm ci');
  }
  let library;
  try {
    library = loadNativeLibrary(path);
  } catch (error) {
    throw new RecognizerUnavailableError(`cannot load libvosk (${(error as Error).message.split('\n')[0]}); `
      + 'it comes with the vosk npm package: run npm ci');
  }
  const setLogLevel = library.func('void vosk_set_log_level(int level)');
  setLogLevel(-1);
  const modelNew = library.func('void *vosk_model_new(const char *path)');
  const modelFree = library.func('void vosk_model_free(void *model)');
  const recognizerNewGrm = library.func('void *vosk_recognizer_new_grm(void *model, float rate, const char *grammar)');
  const setMaxAlternatives = library.func('void vosk_recognizer_set_max_alternatives(void *recognizer, int count)');
  const setWords = library.func('void vosk_recognizer_set_words(void *recognizer, int words)');
  const acceptWaveform = library.func('int vosk_recognizer_accept_waveform_s(void *recognizer, const int16_t *data, int n)');
  const finalResult = library.func('const char *vosk_recognizer_final_result(void *recognizer)');
  const reset = library.func('void vosk_recognizer_reset(void *recognizer)');
  const recognizerFree = library.func('void vosk_recognizer_free(void *recognizer)');
  return {
    modelNew: (modelPath) => modelNew(modelPath) as VoskPointer | null,
    modelFree: (model) => { modelFree(model); },
    recognizerNewGrammar: (model, rate, grammar) => recognizerNewGrm(model, rate, grammar) as VoskPointer | null,
    setMaxAlternatives: (recognizer, count) => { setMaxAlternatives(recognizer, count); },
    setWords: (recognizer, words) => { setWords(recognizer, words ? 1 : 0); },
    acceptWaveformAsync: (recognizer, samples) => new Promise((resolve, reject) => {
      acceptWaveform.async(recognizer, samples, samples.length, (error: unknown, value: number) => {
        if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(value);
      });
    }),
    finalResultAsync: (recognizer) => new Promise((resolve, reject) => {
      finalResult.async(recognizer, (error: unknown, value: string) => {
        if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(value);
      });
    }),
    reset: (recognizer) => { reset(recognizer); },
    recognizerFree: (recognizer) => { recognizerFree(recognizer); },
  };
}

/** A Vosk model directory holds am/final.mdl (or final.mdl) and conf/; say clearly when it does not. */
export function checkVoskModel(modelPath: string): void {
  if (!existsSync(modelPath)) {
    throw new RecognizerUnavailableError(`VOSK_MODEL ${modelPath} does not exist: download a model as models/README.md `
      + 'says (scripts/fetch-model does it), or unset VOSK_MODEL to use pocketsphinx');
  }
  if (!existsSync(join(modelPath, 'am', 'final.mdl')) && !existsSync(join(modelPath, 'final.mdl'))) {
    throw new RecognizerUnavailableError(`VOSK_MODEL ${modelPath} is not a Vosk model (no am/final.mdl): `
      + 'unpack a model from models/README.md there');
  }
}
