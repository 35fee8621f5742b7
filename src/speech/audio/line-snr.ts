// How far a caller's speech stands above their line's noise, measured on one answer's audio: the active
// speech level (noise-floor.ts) over the quietest 100 ms. The decoder picks its noisy-line transform by it
// (context-mllr.ts): on a line with noise 10 dB under the speech the telephone transform, made at 20 dB,
// lost most answers that a transform made on such lines got right.
import { windowPowerRange } from './line-noise.js';
import { activeSpeechPower } from './noise-floor.js';
import { concatSamples } from './samples.js';

/**
 * Speech over line noise in dB for 8 kHz audio: activeSpeechPower over the mean power of the quietest 100 ms
 * (half-overlapping windows). Digital silence in the pauses (a line that sends zeros when nobody speaks, or a
 * run of lost packets) makes the line clean (Infinity, or a very high figure for a codec's ±1 around it), so
 * a guess never takes an answer for a noisy line's. Infinity too with no speech or under 100 ms of audio; a line
 * whose only sound is noise comes out near 0.
 */
export function lineSnrDb(samples: Int16Array): number {
  const quietest = windowPowerRange(samples)?.quietest ?? 0;
  const speech = activeSpeechPower(samples);
  if (!(quietest > 0) || !(speech > 0)) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10(speech / quietest);
}

/** lineSnrDb of audio kept as chunks (an answer's frames, in order). */
export function chunksLineSnrDb(chunks: readonly Int16Array[]): number {
  return lineSnrDb(concatSamples(chunks));
}
