// The Recognizer port on Vosk (Kaldi): one model shared by all utterances (Vosk models are thread-safe
// and shared; recognizers are cheap), one recognizer per utterance limited to the context's phrase list
// (vosk_recognizer_new_grm), N-best from max_alternatives, phones from the lexicon when one is given.
// Audio goes in at 8 kHz: Vosk resamples to the model's rate itself.
import { strict as assert } from 'node:assert';
import { posteriorConfidences } from '../confidence.js';
import {
  UnknownGrammarError, type Hypothesis, type RecognitionStream, type Recognizer, type RecognizeOptions,
} from '../recognizer.js';
import { VadRecognitionStream, type UtteranceSession } from '../vad-stream.js';
import { checkVoskModel, loadVosk, type VoskLibrary, type VoskPointer } from './vosk-library.js';

/** Vosk's alternative confidences are total log-likelihoods; ×1000 puts them on the N-best scale we use. */
const voskScoreToDecoderUnits = 1000;
const alternativesMax = 10;

export interface VoskOptions {
  readonly modelPath: string;
  /** Phrase lists per grammar id (context or context/grammarKey); "[unk]" lets Vosk reject out-of-grammar. */
  readonly phrases: ReadonlyMap<string, readonly string[]>;
  readonly libraryPath?: string | null;
}

interface VoskAlternatives {
  alternatives?: Array<{ text?: string; confidence?: number }>;
  text?: string;
}

export class VoskRecognizer implements Recognizer {
  readonly engine = 'vosk';
  private readonly open = new Set<VadRecognitionStream>();

  private constructor(private readonly library: VoskLibrary, private readonly model: VoskPointer,
    private readonly phrases: ReadonlyMap<string, readonly string[]>) {}

  static create(options: VoskOptions): VoskRecognizer {
    checkVoskModel(options.modelPath);
    const library = loadVosk(options.libraryPath);
    const model = library.modelNew(options.modelPath);
    if (model === null) throw new Error(`Vosk could not read the model at ${options.modelPath}`);
    return new VoskRecognizer(library, model, options.phrases);
  }

  start(options: RecognizeOptions): RecognitionStream {
    const id = options.grammarKey === undefined ? options.context : `${options.context}/${options.grammarKey}`;
    const phrases = this.phrases.get(id);
    if (phrases === undefined) throw new UnknownGrammarError(`no ${id} phrase list is loaded for Vosk`);
    const grammar = JSON.stringify([...phrases, '[unk]']);
    const stream = new VadRecognitionStream(options, async () => this.openSession(grammar));
    this.open.add(stream);
    void stream.result.finally(() => this.open.delete(stream));
    return stream;
  }

  async close(): Promise<void> {
    for (const stream of this.open) stream.cancel();
    await Promise.all([...this.open].map(async (stream) => stream.result));
    this.library.modelFree(this.model);
  }

  private openSession(grammar: string): Promise<UtteranceSession> {
    const recognizer = this.library.recognizerNewGrammar(this.model, 8000, grammar);
    if (recognizer === null) return Promise.reject(new Error('Vosk could not create a recognizer'));
    this.library.setMaxAlternatives(recognizer, alternativesMax);
    this.library.setWords(recognizer, true);
    return Promise.resolve(new VoskSession(this.library, recognizer));
  }
}

class VoskSession implements UtteranceSession {
  private work: Promise<unknown> = Promise.resolve();
  private freed = false;

  constructor(private readonly library: VoskLibrary, private readonly recognizer: VoskPointer) {}

  write(samples: Int16Array): void {
    const copy = samples.slice();
    this.work = this.work.then(() => this.library.acceptWaveformAsync(this.recognizer, copy));
  }

  async finish(nBest: number): Promise<Hypothesis[]> {
    try {
      await this.work;
      return parseVoskResult(await this.library.finalResultAsync(this.recognizer), nBest);
    } finally {
      this.free();
    }
  }

  abort(): void {
    void this.work.finally(() => { this.free(); });
  }

  private free(): void {
    if (this.freed) return;
    this.freed = true;
    this.library.recognizerFree(this.recognizer);
  }
}

/** Vosk's final JSON → hypotheses; "[unk]" and empty texts are not hypotheses. */
export function parseVoskResult(json: string, nBest: number): Hypothesis[] {
  assert(nBest >= 1);
  const parsed = JSON.parse(json) as VoskAlternatives;
  const alternatives = parsed.alternatives ?? (parsed.text === undefined ? [] : [{ text: parsed.text, confidence: 0 }]);
  const scored = alternatives
    .map((alternative) => ({ text: (alternative.text ?? '').trim(), score: (alternative.confidence ?? 0) * voskScoreToDecoderUnits }))
    .filter((alternative) => alternative.text !== '' && !alternative.text.includes('[unk]'));
  return posteriorConfidences(scored).slice(0, nBest).map(({ text, confidence }) => ({ text, confidence, phones: [] }));
}
