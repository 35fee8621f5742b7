// A DC offset taken off before the VAD and the engine hear it. Telephone audio has none (the channel's band
// starts at 300 Hz), but a recording or a gateway with a bias has: the offset is steady energy, which the
// VAD takes for speech that does not end, and which moves the engine's cepstral mean.
//
// Only an offset is taken off; audio without one passes sample for sample. A high-pass on every line (the
// usual one-pole DC blocker, corner at 6 Hz) was measured first: it moved borderline answers both ways on
// the CI corpus (digits 3 -> 2 of 14, spelled 19 -> 17 of 27 generated tuning ones) for no gain on lines
// without an offset. So the offset is tracked (a mean over about 0.1 s) and subtracted only while it stands
// above what speech's own low end leaves in that mean (tens of sample steps; 200 is -44 dBFS).
const trackingSamples = 800;
/** The tracked mean from which an offset is taken off, and under which it is left again. */
const engageAbove = 200;
const releaseBelow = 100;

export class DcBlocker {
  /** The line's mean; null until the first frame, whose own mean starts it (an offset there at once). */
  private mean: number | null = null;
  private engaged = false;

  /** The frame, its offset taken off when it has one (a new array; the caller's frame is left as it is). */
  process(frame: Int16Array): Int16Array {
    if (this.mean === null) {
      let sum = 0;
      for (const sample of frame) sum += sample;
      this.mean = frame.length === 0 ? 0 : sum / frame.length;
    }
    const out = new Int16Array(frame.length);
    let mean = this.mean;
    let engaged = this.engaged;
    for (let i = 0; i < frame.length; i += 1) {
      const sample = frame[i] ?? 0;
      mean += (sample - mean) / trackingSamples;
      const level = Math.abs(mean);
      engaged = engaged ? level >= releaseBelow : level >= engageAbove;
      const value = engaged ? Math.round(sample - mean) : sample;
      out[i] = value > 32_767 ? 32_767 : value < -32_768 ? -32_768 : value;
    }
    this.mean = mean;
    this.engaged = engaged;
    return out;
  }
}
