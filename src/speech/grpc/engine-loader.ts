// Which Recognizer an ASR worker runs: a named engine built into the program, or a module that
// exports `createRecognizer()` (any engine, e.g. one built outside this repository). The worker
// itself only knows the Recognizer port.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpeechConfig } from '../factory.js';
import { pocketsphinxFromConfig, voskPhraseLists } from '../factory.js';
import { RecognizerUnavailableError, type Recognizer } from '../recognizer.js';
import { VoskRecognizer } from '../vosk/vosk-recognizer.js';

export type RecognizerFactory = (config: SpeechConfig) => Promise<Recognizer>;

/**
 * Engines selectable with `asr-worker --engine <name>`. Unlike `serve`, a worker asked for Vosk never
 * falls back: an operator who scaled Vosk workers must hear that the model is missing.
 */
export const builtInEngines = new Map<string, RecognizerFactory>([
  ['pocketsphinx', pocketsphinxFromConfig],
  ['vosk', async (config) => {
    if (config.voskModel === null) {
      throw new RecognizerUnavailableError('the vosk engine needs VOSK_MODEL, the directory of a Vosk model '
        + '(models/README.md says which; scripts/fetch-model downloads it)');
    }
    return VoskRecognizer.create({ modelPath: config.voskModel, phrases: voskPhraseLists() });
  }],
]);

export interface EngineChoice {
  readonly engine?: string;
  readonly module?: string;
}

function isRecognizer(value: unknown): value is Recognizer {
  const candidate = value as Partial<Recognizer> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.start === 'function'
    && typeof candidate.close === 'function' && typeof candidate.engine === 'string';
}

export async function loadRecognizer(choice: EngineChoice, config: SpeechConfig): Promise<Recognizer> {
  if (choice.module !== undefined) {
    const loaded = (await import(pathToFileURL(resolve(choice.module)).href)) as { createRecognizer?: unknown };
    if (typeof loaded.createRecognizer !== 'function') {
      throw new RecognizerUnavailableError(`${choice.module} does not export createRecognizer()`);
    }
    const recognizer: unknown = await (loaded.createRecognizer as () => unknown)();
    if (!isRecognizer(recognizer)) throw new RecognizerUnavailableError(`${choice.module}: createRecognizer() did not return a Recognizer`);
    return recognizer;
  }
  const name = choice.engine ?? '';
  const factory = builtInEngines.get(name);
  if (factory === undefined) {
    const known = [...builtInEngines.keys()];
    throw new RecognizerUnavailableError(`unknown speech engine "${name}"; built in: ${known.length === 0 ? 'none yet' : known.join(', ')}`
      + '; or give --engine-module <file exporting createRecognizer()>');
  }
  return factory(config);
}
