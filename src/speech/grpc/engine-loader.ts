// Which Recognizer an ASR worker runs: a named engine built into the program, or a module that
// exports `createRecognizer()` (any engine, e.g. one built outside this repository). The worker
// itself only knows the Recognizer port.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RecognizerUnavailableError, type Recognizer } from '../recognizer.js';

export type RecognizerFactory = () => Promise<Recognizer>;

/**
 * Engines selectable with `asr-worker --engine <name>`. The speech issue's adapters (Vosk,
 * pocketsphinx) register here when they are merged.
 */
export const builtInEngines = new Map<string, RecognizerFactory>();

export interface EngineChoice {
  readonly engine?: string;
  readonly module?: string;
}

function isRecognizer(value: unknown): value is Recognizer {
  const candidate = value as Partial<Recognizer> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.start === 'function'
    && typeof candidate.close === 'function' && typeof candidate.engine === 'string';
}

export async function loadRecognizer(choice: EngineChoice): Promise<Recognizer> {
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
  return factory();
}
