// A noise floor under the caller's speech, for the decoder: white noise a set distance under the active
// speech level. pocketsphinx's en-us model was trained on speech with some background noise; a digitally
// clean line (a quiet room, a clean digital path, a synthetic voice) puts the pauses and the weak sounds far
// below anything it learned, and it hears words in them: generated menu commands of the tuning voices on a
// line without noise came out worse than on one with noise 20 dB under the speech (the numbers are at
// noiseFloorBelowSpeechDbDefault, pocketsphinx-settings.ts). On a line already that noisy the floor adds
// little (35 dB under the speech adds 0.1 dB to noise 20 dB under it). The line's own noise is not
// subtracted: measured on a few hundred milliseconds it cannot be told from the quiet end of the speech when
// the caller starts at once, and then nothing would be added where it was needed.
//
// The level is measured on the audio itself: a whole utterance on all of it; a streamed one on its first
// `measureMs` (the pre-roll and the first syllables), held back until then and fixed after, so the floor
// does not move under the decoder mid-utterance. Seeded, so the same audio always gives the same samples.
import { Prng } from '../../roll/prng.js';
import { gaussianPair } from './line-noise.js';
import { concatSamples } from './samples.js';
import { clamp16 } from './upsampler.js';

/** 20 ms at 8 kHz: the frames whose power is measured. */
const frameSamples = 160;
/** Frames within this many dB of the loudest count as active speech. */
const activeWithinDb = 25;

/**
 * Mean power of the active speech in 8 kHz audio (sample units squared): the whole 20 ms frames within 25 dB
 * of the loudest. Digital silence (a lost packet, a muted line) is left out; 0 when nothing else is there.
 */
export function activeSpeechPower(samples: Int16Array): number {
  const powers: number[] = [];
  for (let start = 0; start + frameSamples <= samples.length; start += frameSamples) {
    let sum = 0;
    for (let i = start; i < start + frameSamples; i += 1) sum += (samples[i] ?? 0) ** 2;
    if (sum > 0) powers.push(sum / frameSamples);
  }
  const loudest = powers.reduce((most, power) => Math.max(most, power), 0);
  const active = powers.filter((power) => power >= loudest / 10 ** (activeWithinDb / 10));
  return active.length === 0 ? 0 : active.reduce((total, power) => total + power, 0) / active.length;
}

/** RMS of the floor's noise: `belowSpeechDb` under the active speech. */
export function floorRms(speechPower: number, belowSpeechDb: number): number {
  return Math.sqrt(speechPower / 10 ** (belowSpeechDb / 10));
}

/**
 * The floor's noise at unit scale, per seed: drawn once and grown as longer audio asks, instead of a
 * logarithm, a square root and a sine per sample of every call's speech (they cost the event loop as much as
 * the upsampler with 100 calls). The same pairs (gaussianPair) as whiteNoise (line-noise.ts) draws from
 * `new Prng(seed)`, kept apart so each sample is computed as it computes it: (radius · rms) · cos/sin, the same bits.
 */
class UnitNoise {
  /** √(−2 ln(1 − u)) of each pair of samples. */
  private radii = new Float64Array(0);
  /** cos and sin of each pair's angle, one per sample. */
  private turns = new Float64Array(0);
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  /** `samples` with the noise at `rms` added, from sample `start` (even) of the seed's sequence on. */
  addedTo(samples: Int16Array, start: number, rms: number): Int16Array {
    this.grow(start + samples.length);
    const floored = new Int16Array(samples.length);
    for (let i = 0; i < samples.length; i += 1) {
      const at = start + i;
      floored[i] = clamp16((samples[i] ?? 0) + ((this.radii[at >> 1] ?? 0) * rms) * (this.turns[at] ?? 0));
    }
    return floored;
  }

  private grow(samples: number): void {
    if (samples <= this.turns.length) return;
    const length = Math.max(samples + (samples % 2), this.turns.length * 2, 16_000);
    const radii = new Float64Array(length / 2);
    const turns = new Float64Array(length);
    radii.set(this.radii);
    turns.set(this.turns);
    for (let pair = this.radii.length; pair < radii.length; pair += 1) {
      const { radius, angle } = gaussianPair(() => this.prng.float());
      radii[pair] = radius;
      turns[2 * pair] = Math.cos(angle);
      turns[2 * pair + 1] = Math.sin(angle);
    }
    this.radii = radii;
    this.turns = turns;
  }
}

const unitNoiseBySeed = new Map<number, UnitNoise>();

function unitNoiseOf(seed: number): UnitNoise {
  let noise = unitNoiseBySeed.get(seed);
  if (noise === undefined) {
    noise = new UnitNoise(seed);
    unitNoiseBySeed.set(seed, noise);
  }
  return noise;
}

export interface NoiseFloorOptions {
  /** How far under the active speech level the floor lies (dB). */
  readonly belowSpeechDb: number;
  /** Audio a streamed utterance is measured on before any of it is handed on (ms). */
  readonly measureMs: number;
  /** Seed of the noise: the same audio and seed give the same samples. */
  readonly seed: number;
}

/**
 * Streams 8 kHz audio through: push() holds the first measureMs, then hands back everything with the floor
 * added; end() hands back what is still held (measured on itself). `whole()` does a complete utterance at once.
 */
export class NoiseFloor {
  private held: Int16Array[] = [];
  private heldSamples = 0;
  /** Null until measured. */
  private rms: number | null = null;
  private readonly noise: UnitNoise;
  /** Where in the seed's noise the next samples start (even: each call starts a new pair, as whiteNoise's draws do). */
  private position = 0;

  constructor(private readonly options: NoiseFloorOptions) {
    if (!(options.belowSpeechDb > 0) || !(options.measureMs >= 0)) {
      throw new RangeError(`noise floor ${options.belowSpeechDb} dB under speech, measured on ${options.measureMs} ms`);
    }
    this.noise = unitNoiseOf(options.seed);
  }

  /** The floor's RMS once measured (null before), for logs and tests. */
  get level(): number | null {
    return this.rms;
  }

  push(samples: Int16Array): Int16Array[] {
    if (this.rms !== null) return [this.added(samples)];
    this.held.push(samples.slice());
    this.heldSamples += samples.length;
    if (this.heldSamples < this.options.measureMs * 8) return [];
    return this.release();
  }

  end(): Int16Array[] {
    return this.rms === null ? this.release() : [];
  }

  /** A whole utterance: measured on all of it. */
  whole(samples: Int16Array): Int16Array {
    this.rms = floorRms(activeSpeechPower(samples), this.options.belowSpeechDb);
    return this.added(samples);
  }

  private release(): Int16Array[] {
    const held = this.held;
    this.held = [];
    this.heldSamples = 0;
    const joined = concatSamples(held);
    this.rms = floorRms(activeSpeechPower(joined), this.options.belowSpeechDb);
    return joined.length === 0 ? [] : [this.added(joined)];
  }

  private added(samples: Int16Array): Int16Array {
    const rms = this.rms ?? 0;
    if (rms === 0) return samples;
    const floored = this.noise.addedTo(samples, this.position, rms);
    this.position += samples.length + (samples.length % 2);
    return floored;
  }
}
