// What the recognizer learns about one caller's line, carried from one answer of the call to the next and
// never to another call: the channel's cepstral mean (microphone, codec, carrier path, voice), and how far the
// speech stood above the line's noise in the last answer measured (audio/line-snr.ts). Pooled decoders serve
// every call, so the estimates live with the call, not with a decoder.

/** How many frames (10 ms) the starting mean counts for: a first short answer moves it only part way. */
const priorFrames = 500;

export class CallerAcoustics {
  protected sum: Float64Array | null = null;
  protected frames = 0;
  protected lastLineSnrDb: number | null = null;
  /** The call these acoustics are of: this object, or for a frozen copy its original's (who is being heard). */
  readonly call: object;

  constructor(call?: object) {
    this.call = call ?? this;
  }

  /** Records an utterance's own cepstral mean over `frames` frames. */
  heard(mean: ArrayLike<number>, frames: number): void {
    if (!(frames > 0) || mean.length === 0 || !Array.from(mean).every(Number.isFinite)) return;
    if (this.sum === null || this.sum.length !== mean.length) {
      this.sum = new Float64Array(mean.length);
      this.frames = 0;
    }
    for (let index = 0; index < mean.length; index += 1) {
      this.sum[index] = (this.sum[index] ?? 0) + (mean[index] ?? 0) * frames;
    }
    this.frames += frames;
  }

  /**
   * Records the line SNR of an answer measured whole. An answer streamed to its decoder starts before its own
   * line can be measured: it is heard as the call's last measured answer was (context-mllr.ts).
   */
  heardLine(snrDb: number): void {
    if (!Number.isNaN(snrDb)) this.lastLineSnrDb = snrDb;
  }

  /** Whether heardLine records (false for a frozen copy: a pass that need not measure its answer's line). */
  get recordsLine(): boolean {
    return true;
  }

  /** The line SNR (dB) of the call's last answer measured, or null before any (Infinity: digital silence). */
  get lineSnrDb(): number | null {
    return this.lastLineSnrDb;
  }

  /** The call's channel mean so far: `prior` (counted as 500 frames) pulled toward what the call said. */
  cepstralMean(prior: ArrayLike<number>): Float32Array {
    const mean = Float32Array.from(prior);
    if (this.sum === null || this.sum.length !== mean.length) return mean;
    for (let index = 0; index < mean.length; index += 1) {
      mean[index] = ((mean[index] ?? 0) * priorFrames + (this.sum[index] ?? 0)) / (priorFrames + this.frames);
    }
    return mean;
  }

  /**
   * The call's acoustics as they are now, for more passes over an utterance already being told to this one:
   * reads the same mean, records nothing.
   */
  frozen(): CallerAcoustics {
    return this.copiedInto(new FrozenCallerAcoustics(this.call));
  }

  /**
   * The call's acoustics as they are now, for a decode that may be thrown away (an answer decoded before its
   * hangover ended, when the caller may yet go on): reads the same mean, and what it is told reaches this call
   * only through `tell()`.
   */
  held(): HeldCallerAcoustics {
    return this.copiedInto(new HeldCallerAcoustics(this));
  }

  /** `copy` reading what this call has learnt so far. */
  private copiedInto<T extends CallerAcoustics>(copy: T): T {
    copy.sum = this.sum === null ? null : Float64Array.from(this.sum);
    copy.frames = this.frames;
    copy.lastLineSnrDb = this.lastLineSnrDb;
    return copy;
  }

  /** Frames heard on this call so far. */
  get framesHeard(): number {
    return this.frames;
  }
}

/** CallerAcoustics.frozen(): a copy that ignores what it is told. */
class FrozenCallerAcoustics extends CallerAcoustics {
  override heard(): void {
    // Another pass over an utterance the call's own acoustics are told about once.
  }

  override heardLine(): void {
    // The same: the pass's line is the utterance's, told once.
  }

  override get recordsLine(): boolean {
    return false;
  }
}

/** CallerAcoustics.held(): a copy that keeps what it is told until `tell()` tells the original. */
export class HeldCallerAcoustics extends CallerAcoustics {
  private readonly told: Array<(original: CallerAcoustics) => void> = [];

  constructor(private readonly original: CallerAcoustics) {
    super(original.call);
  }

  override heard(mean: ArrayLike<number>, frames: number): void {
    const copy = Float64Array.from(mean);
    this.told.push((original) => { original.heard(copy, frames); });
  }

  override heardLine(snrDb: number): void {
    this.told.push((original) => { original.heardLine(snrDb); });
  }

  override get recordsLine(): boolean {
    return this.original.recordsLine;
  }

  /** Tells the original everything held, once. */
  tell(): void {
    for (const told of this.told.splice(0)) told(this.original);
  }
}
