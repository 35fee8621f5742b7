// An answer decoded whole (PocketsphinxDecoding 'utterance') needs a decoder only once the caller has stopped:
// until then its audio is only kept. So this session keeps the audio itself and takes a decoder from the pool
// at finish(), which holds one for the decode (tens of milliseconds) instead of for the whole answer (seconds of
// speech and hangover). With many callers talking at once, turns used to queue for decoders that were holding
// nothing but kept audio.
import type { Hypothesis } from '../recognizer.js';
import type { UtteranceSession } from '../vad-stream.js';

export class WholeUtteranceSession implements UtteranceSession {
  private kept: Int16Array[] = [];
  private finishing = false;
  private aborted = false;

  /**
   * `open`: a decoder's session for the whole utterance (taken from the pool, its grammar selected), given the
   * audio it will decode (the line it was said on picks the decoder's transform, context-mllr.ts).
   */
  constructor(private readonly open: (heard: readonly Int16Array[]) => Promise<UtteranceSession>) {}

  write(samples: Int16Array): void {
    // The caller may reuse its frame buffer once write returns.
    if (!this.finishing && !this.aborted) this.kept.push(samples.slice());
  }

  async finish(nBest: number, trailingSilenceMs: number): Promise<Hypothesis[]> {
    this.finishing = true;
    const kept = this.kept;
    const session = await this.open(kept);
    if (this.aborted) {
      session.abort();
      return [];
    }
    this.kept = [];
    for (const samples of kept) session.write(samples);
    return session.finish(nBest, trailingSilenceMs);
  }

  /** No reading before the end: the audio is decoded only then. */
  partial(): Promise<string | null> {
    return Promise.resolve(null);
  }

  abort(): void {
    // A finish() still waiting for its decoder gives it back once it has it (above).
    this.aborted = true;
    this.kept = [];
  }
}
