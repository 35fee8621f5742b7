// Streaming 8 kHz → 16 kHz interpolation for pocketsphinx, whose en-us model was trained on 16 kHz
// audio with mel filters up to 6.8 kHz (issue 4: narrowing the filters to 8 kHz broke recognition).
// Polyphase FIR: zero-stuffing by 2 then a windowed-sinc low-pass at 3.8 kHz, computed as two
// phases so no multiplications by the stuffed zeros are done. Sample repetition would leave the image
// of every tone mirrored around 4 kHz at only a few dB down; this filter suppresses it below -60 dB.
import { strict as assert } from 'node:assert';
import { lowPassTaps } from './fir.js';

/** Taps of the prototype filter at 16 kHz; 64 taps = 32 per phase = 2 ms of delay. */
const prototypeLength = 64;
/** 3.8 kHz at 16 kHz: passes the whole telephone band, stops the image above 4.2 kHz. */
const cutoffFraction = 3800 / 16_000;

export class Upsampler8to16 {
  private readonly phases: readonly [Float64Array, Float64Array];
  /** The last `phaseLength - 1` input samples of the previous chunk, oldest first. */
  private history: Float64Array;
  private readonly phaseLength = prototypeLength / 2;

  constructor() {
    const taps = lowPassTaps({ cutoff: cutoffFraction, length: prototypeLength, gain: 2 });
    const even = new Float64Array(this.phaseLength);
    const odd = new Float64Array(this.phaseLength);
    for (let k = 0; k < this.phaseLength; k++) {
      even[k] = taps[2 * k] ?? 0;
      odd[k] = taps[2 * k + 1] ?? 0;
    }
    this.phases = [even, odd];
    this.history = new Float64Array(this.phaseLength - 1);
  }

  /** 8 kHz samples in, twice as many 16 kHz samples out (delayed by the filter's 2 ms). */
  process(input: Int16Array): Int16Array {
    const historyLength = this.history.length;
    const extended = new Float64Array(historyLength + input.length);
    extended.set(this.history, 0);
    for (let i = 0; i < input.length; i++) extended[historyLength + i] = input[i] ?? 0;
    const output = new Int16Array(input.length * 2);
    const [even, odd] = this.phases;
    for (let n = 0; n < input.length; n++) {
      // Output 2n+p is sum_k taps[2k+p] · x[n-k]; x[n] sits at extended[historyLength + n].
      let sumEven = 0;
      let sumOdd = 0;
      const newest = historyLength + n;
      for (let k = 0; k < this.phaseLength; k++) {
        const sample = extended[newest - k] ?? 0;
        sumEven += (even[k] ?? 0) * sample;
        sumOdd += (odd[k] ?? 0) * sample;
      }
      output[2 * n] = clamp16(sumEven);
      output[2 * n + 1] = clamp16(sumOdd);
    }
    this.history = extended.slice(extended.length - historyLength);
    assert(this.history.length === historyLength);
    return output;
  }

  /** Forget the previous audio (a new utterance). */
  reset(): void {
    this.history.fill(0);
  }
}

export function clamp16(value: number): number {
  const rounded = Math.round(value);
  return rounded > 32_767 ? 32_767 : rounded < -32_768 ? -32_768 : rounded;
}
