// The name path's later passes, run while the caller is still speaking instead of after the end of
// speech. Each is a stream on the base recognizer fed the very frames pass 1 gets, from the first one, as
// they arrive: its VAD therefore ends the utterance on the same frame as pass 1's, and at pass 1's result
// it has (nearly) decoded everything. A pass that is only started after pass 1 (decodeAgain) is fed the
// kept audio in one go and then the same trailing silence: the same frames in the same order, so the same
// decode. Measured on the CI corpus, paced in real time: the fallback finder re-decoding the utterance
// after pass 1 took 1.5 s at p50 and was needed for 57 of 80 names; pass 2 another 0.2-0.5 s.
import type { Recognition, RecognitionStream, Recognizer, RecognizeOptions } from '../recognizer.js';

/** Silence after the audio when a pass is finished, so its VAD closes the utterance as on the call. */
export const pass2TrailingMs = 800;
const frameSamples = 160;

/**
 * The timeouts a later pass listens with: never shorter than pass 1's (it hears the same audio, so it
 * must not give up or cut where pass 1 did not), and not depending on how much audio there will be.
 */
export function followingLimits(options: RecognizeOptions): Pick<RecognizeOptions, 'noSpeechTimeoutMs' | 'maxSpeechMs'> {
  return { noSpeechTimeoutMs: options.noSpeechTimeoutMs + options.maxSpeechMs + 10_000,
    maxSpeechMs: options.maxSpeechMs + 10_000 };
}

/** One later pass: the audio so far at once, then every new frame as it comes. */
export class FollowingPass {
  private finished: Promise<Recognition> | null = null;

  constructor(readonly stream: RecognitionStream, audio: readonly Int16Array[]) {
    for (const frame of audio) stream.write(frame);
  }

  write(frame: Int16Array): void {
    if (this.finished === null) this.stream.write(frame);
  }

  /** Trailing silence and end(): the result (at once when the stream's VAD already ended the utterance). */
  finish(): Promise<Recognition> {
    if (this.finished === null) {
      const silence = new Int16Array(frameSamples);
      for (let ms = 0; ms < pass2TrailingMs; ms += 20) this.stream.write(silence);
      this.stream.end();
      this.finished = this.stream.result;
    }
    return this.finished;
  }

  cancel(): void {
    this.finished ??= this.stream.result;
    this.stream.cancel();
  }
}

/** A pass over kept audio after the fact: the same frames a following pass would have had. */
export async function decodeAgain(base: Recognizer, audio: readonly Int16Array[],
  options: RecognizeOptions): Promise<Recognition> {
  return new FollowingPass(base.start({ ...options, ...followingLimits(options) }), audio).finish();
}
