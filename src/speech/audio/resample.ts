// Any rate and channel count → 8 kHz mono telephone audio, for recorded files (the corpus runner reads
// WAV and MP3 of any format). Whole-buffer band-limited interpolation: each output sample is a
// Kaiser-windowed sinc sum around its exact input position, with the cutoff below both Nyquist
// frequencies, so downsampling 44.1 kHz does not fold 6 kHz into the telephone band.
import { strict as assert } from 'node:assert';
import { kaiser, sinc } from './fir.js';
import { clamp16 } from './upsampler.js';

/** Zero crossings of the sinc kept on each side, at the lower of the two rates. */
const halfWidthZeroCrossings = 32;
/** Cutoff as a fraction of the lower Nyquist frequency: the transition band is the top 6 %. */
const cutoffOfNyquist = 0.94;
export const sampleRateMax = 384_000;

/** Averages interleaved channels into one. */
export function downmix(interleaved: Float32Array, channels: number): Float32Array {
  assert(Number.isInteger(channels) && channels >= 1, 'channels must be a positive whole number');
  if (channels === 1) return interleaved;
  const frames = Math.floor(interleaved.length / channels);
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c] ?? 0;
    mono[i] = sum / channels;
  }
  return mono;
}

/** Resamples mono float samples (any scale) from `fromRate` to `toRate`. */
export function resample(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  assert(Number.isFinite(fromRate) && fromRate >= 1000 && fromRate <= sampleRateMax, `bad sample rate ${fromRate}`);
  assert(Number.isFinite(toRate) && toRate >= 1000 && toRate <= sampleRateMax, `bad sample rate ${toRate}`);
  if (fromRate === toRate) return samples;
  const ratio = toRate / fromRate;
  const outputLength = Math.floor(samples.length * ratio);
  const output = new Float32Array(outputLength);
  // Cutoff in cycles per input sample; below the output Nyquist frequency when downsampling.
  const cutoff = 0.5 * Math.min(1, ratio) * cutoffOfNyquist;
  // Window half-width in input samples: that many zero crossings of the (possibly stretched) sinc.
  const halfWidth = Math.ceil(halfWidthZeroCrossings / Math.min(1, ratio));
  for (let n = 0; n < outputLength; n++) {
    const position = n / ratio;
    const center = Math.floor(position);
    let sum = 0;
    for (let i = center - halfWidth + 1; i <= center + halfWidth; i++) {
      if (i < 0 || i >= samples.length) continue;
      const distance = position - i;
      sum += (samples[i] ?? 0) * 2 * cutoff * sinc(2 * cutoff * distance) * kaiser(distance / halfWidth);
    }
    output[n] = sum;
  }
  return output;
}

/** Interleaved 16-bit PCM (or floats in -1..1) of any rate/channels → 8 kHz mono 16-bit PCM. */
export function toTelephoneRate(input: { samples: Int16Array | Float32Array; sampleRate: number; channels: number }):
Int16Array {
  const scale = input.samples instanceof Int16Array ? 1 : 32_767;
  const floats = Float32Array.from(input.samples, (value) => value * scale);
  const mono = downmix(floats, input.channels);
  const resampled = resample(mono, input.sampleRate, 8000);
  return Int16Array.from(resampled, clamp16);
}
