// The quiet line around a recording: what a caller's telephone line carries while nobody talks. After a
// caller stops, the far end hears this noise, not digital silence; a VAD that only ever met zeros after the
// speech would be measured on a line no call has (lost packets and the line's hiss then fool it unseen).
import { Prng } from '../../roll/prng.js';
import { clamp16 } from './upsampler.js';

/** 100 ms at 8 kHz: the stretch whose RMS stands for the line's noise. */
const windowSamples = 800;
/** The line is at least this far under the recording's loudest 100 ms. */
const lineUnderLoudestDb = 10;

/**
 * Mean power (sample units squared) of the quietest and the loudest 100 ms of 8 kHz audio, over half-overlapping
 * windows; null when the audio is shorter than one window.
 */
export function windowPowerRange(pcm: Int16Array): { quietest: number; loudest: number } | null {
  let quietest = Number.POSITIVE_INFINITY;
  let loudest = 0;
  for (let start = 0; start + windowSamples <= pcm.length; start += windowSamples / 2) {
    let sum = 0;
    for (let i = start; i < start + windowSamples; i += 1) sum += (pcm[i] ?? 0) ** 2;
    const power = sum / windowSamples;
    quietest = Math.min(quietest, power);
    loudest = Math.max(loudest, power);
  }
  return Number.isFinite(quietest) ? { quietest, loudest } : null;
}

/**
 * The line's RMS: that of the recording's quietest 100 ms (half-overlapping windows), at least 1 (a sample
 * step), and at least 10 dB under its loudest 100 ms. The cap is for a recording cut so tight that every
 * window holds speech: its "line" would otherwise be speech-loud noise that the VAD never ends on. Telephone
 * corpora with noise through the whole file are not capped (the CI corpus's 10 dB SNR files span 13-15 dB
 * between their quietest and loudest 100 ms).
 */
export function lineRms(pcm: Int16Array): number {
  const range = windowPowerRange(pcm);
  if (range === null) return 1;
  return Math.max(1, Math.min(Math.sqrt(range.quietest), Math.sqrt(range.loudest) / 10 ** (lineUnderLoudestDb / 20)));
}

/** `samples` of white Gaussian noise at the recording's line level (lineRms). */
export function lineNoiseOf(pcm: Int16Array, random: () => number, samples = 8000): Int16Array {
  return Int16Array.from(whiteNoise(samples, lineRms(pcm), random), clamp16);
}

/**
 * Box-Muller: two draws of `random` (uniform in [0, 1)) give a unit radius and an angle, whose cosine and sine
 * (times the radius) are two independent standard normal samples.
 */
export function gaussianPair(random: () => number): { radius: number; angle: number } {
  const radius = Math.sqrt(-2 * Math.log(1 - random()));
  return { radius, angle: 2 * Math.PI * random() };
}

/**
 * `samples` of white Gaussian noise at `rms` (sample steps, not rounded), drawn from `random` (uniform in
 * [0, 1), two draws per pair of samples).
 */
export function whiteNoise(samples: number, rms: number, random: () => number): Float64Array {
  const noise = new Float64Array(samples);
  for (let i = 0; i < samples; i += 2) {
    const { radius, angle } = gaussianPair(random);
    const scaled = radius * rms;
    noise[i] = scaled * Math.cos(angle);
    if (i + 1 < samples) noise[i + 1] = scaled * Math.sin(angle);
  }
  return noise;
}

/**
 * The line after this recording, seeded by the recording itself (FNV-1a over its samples), so the same file
 * is always followed by the same noise and a corpus run is repeatable.
 */
export function lineNoiseAfter(pcm: Int16Array, samples: number): Int16Array {
  let hash = 0x811c9dc5;
  for (const sample of pcm) hash = Math.imul(hash ^ (sample & 0xffff), 0x01000193) >>> 0;
  const prng = new Prng(hash);
  return lineNoiseOf(pcm, () => prng.float(), samples);
}

/** The recording, then `ms` of its line (lineNoiseAfter): a caller who has said it and waits for the answer. */
export function followedByLine(pcm: Int16Array, ms: number): Int16Array {
  const line = lineNoiseAfter(pcm, Math.round(ms * 8));
  const out = new Int16Array(pcm.length + line.length);
  out.set(pcm);
  out.set(line, pcm.length);
  return out;
}

/** 100 ms at 8 kHz: the line's own last sound, played on in place of audio not heard yet (lineHeardLast). */
const lastSoundSamples = 800;

/**
 * `samples` more of the line as it sounded at the end of `pcm`: its last 100 ms played backwards, then
 * forwards, and so on (mirrored, so each join continues the waveform), keeping the line's level, colour and
 * codec. For audio shorter than that, lineNoiseAfter. An answer decoded before its hangover ended stands this
 * in for the hangover's rest (pocketsphinx/whole-utterance-session.ts); by then the caller has been quiet for
 * at least 200 ms, so the last 100 ms are the line, not the tail of a word.
 */
export function lineHeardLast(pcm: Int16Array, samples: number): Int16Array {
  if (pcm.length < lastSoundSamples) return lineNoiseAfter(pcm, samples);
  const last = pcm.subarray(pcm.length - lastSoundSamples);
  const line = new Int16Array(samples);
  for (let i = 0; i < samples; i += 1) {
    const step = i % (2 * lastSoundSamples);
    line[i] = last[step < lastSoundSamples ? lastSoundSamples - 1 - step : step - lastSoundSamples] ?? 0;
  }
  return line;
}
