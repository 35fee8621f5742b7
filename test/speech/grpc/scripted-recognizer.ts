// ScriptedRecognizer: a named TEST DOUBLE of the Recognizer port for the gRPC transport tests. It
// recognizes nothing: it counts the samples it was given and answers with their count and a digest,
// so a test can prove that every sample of an utterance reached the worker that answered (also
// after a retry on another worker). Real engines (pocketsphinx, Vosk) are wired to the workers by
// the integrator; the transport does not depend on which engine answers.
import { createHash } from 'node:crypto';
import { concatSamples } from '../../../src/speech/audio/samples.js';
import type { Recognition, RecognitionStream, Recognizer, RecognizeOptions } from '../../../src/speech/recognizer.js';

export interface ScriptedRecognizerOptions {
  /** Speech-start fires once this much audio came (ms at 8 kHz). */
  readonly speechAfterMs?: number;
  /** The result comes once this much audio came; otherwise only at end(). */
  readonly resultAfterMs?: number;
  /** Never answer (a stuck engine), to test deadlines. */
  readonly hang?: boolean;
  /** Called when a stream starts (the worker fixture announces it on stdout). */
  readonly onStream?: (options: RecognizeOptions) => void;
}

export function digestOf(samples: Int16Array): string {
  return createHash('sha256').update(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)).digest('hex').slice(0, 12);
}

/** What ScriptedRecognizer answers for these samples. */
export function scriptedAnswer(samples: Int16Array): string {
  return `heard ${samples.length} samples digest ${digestOf(samples)}`;
}

export class ScriptedRecognizer implements Recognizer {
  readonly engine = 'scripted';
  readonly streams: RecognitionStream[] = [];

  constructor(private readonly options: ScriptedRecognizerOptions = {}) {}

  start(options: RecognizeOptions): RecognitionStream {
    this.options.onStream?.(options);
    const script = this.options;
    const received: Int16Array[] = [];
    let count = 0;
    let settled = false;
    let speech = false;
    const listeners: Array<() => void> = [];
    let resolve: (r: Recognition) => void = () => undefined;
    const result = new Promise<Recognition>((done) => { resolve = done; });
    const answer = (end: Recognition['end']): void => {
      if (settled || script.hang === true) return;
      settled = true;
      const all = concatSamples(received);
      resolve({ hypotheses: [{ text: scriptedAnswer(all), confidence: 0.9, phones: ['HH', 'ER', 'D'] }].slice(0, options.nBest),
        end, speechMs: count / 8, latencyMs: 1 });
    };
    const stream: RecognitionStream = {
      write(frame) {
        if (settled) return;
        received.push(frame.slice());
        count += frame.length;
        if (!speech && count / 8 >= (script.speechAfterMs ?? 100)) {
          speech = true;
          for (const listener of listeners) listener();
        }
        if (script.resultAfterMs !== undefined && count / 8 >= script.resultAfterMs) answer('end-of-speech');
      },
      end() { answer('finished'); },
      cancel() {
        if (settled) return;
        settled = true;
        resolve({ hypotheses: [], end: 'cancelled', speechMs: 0, latencyMs: 0 });
      },
      onSpeechStart(listener) { listeners.push(listener); },
      result,
    };
    this.streams.push(stream);
    return stream;
  }

  async close(): Promise<void> {
    for (const stream of this.streams) stream.cancel();
  }
}
