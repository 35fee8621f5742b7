// A DC offset taken off before the VAD and the engine hear it. Telephone audio has none (the channel's band
// starts at 300 Hz), but a recording or a gateway with a bias has: the offset is steady energy, which the
// VAD takes for speech that does not end, and which moves the engine's cepstral mean.
//
// Only an offset is taken off; audio without one passes sample for sample. A high-pass on every line (the
// usual one-pole DC blocker, corner at 6 Hz) was measured first: it moved borderline answers both ways on
// the CI corpus (digits 3 -> 2 of 14, spelled 19 -> 17 of 27 generated tuning ones) for no gain on lines
// without an offset. So the offset is tracked (a mean over about 0.1 s) and subtracted only while it stands
// above what speech's own low end leaves in that mean (tens of sample steps; 200 is -44 dBFS).
import { clamp16 } from './upsampler.js';

const trackingSamples = 800;
/** The tracked mean from which an offset is taken off, and under which it is left again. */
const engageAbove = 200;
const releaseBelow = 100;

/** The first frame's mean when it is at least half the frame's RMS (an offset, not a waveform), else 0. */
function openingOffset(frame: Int16Array): number {
  if (frame.length === 0) return 0;
  let sum = 0;
  let squares = 0;
  for (const sample of frame) {
    sum += sample;
    squares += sample * sample;
  }
  const mean = sum / frame.length;
  return Math.abs(mean) >= 0.5 * Math.sqrt(squares / frame.length) ? mean : 0;
}

export class DcBlocker {
  /**
   * The line's mean; null until the first frame. An offset there (a frame whose mean is most of its level)
   * starts it, so it is taken off at once; a stream that opens on speech, whose first 20 ms has a mean of a
   * syllable's low end, starts at 0 instead and is left as it is.
   */
  private mean: number | null = null;
  private engaged = false;

  /** The frame, its offset taken off when it has one (a new array; the caller's frame is left as it is). */
  process(frame: Int16Array): Int16Array {
    this.mean ??= openingOffset(frame);
    const out = new Int16Array(frame.length);
    let mean = this.mean;
    let engaged = this.engaged;
    for (let i = 0; i < frame.length; i += 1) {
      const sample = frame[i] ?? 0;
      mean += (sample - mean) / trackingSamples;
      const level = Math.abs(mean);
      engaged = engaged ? level >= releaseBelow : level >= engageAbove;
      out[i] = engaged ? clamp16(sample - mean) : sample;
    }
    this.mean = mean;
    this.engaged = engaged;
    return out;
  }
}
