// Windowed-sinc low-pass design shared by the resamplers. A Kaiser window gives a stop band of about
// -80 dB at beta 8, far below G.711's own quantization noise, with a transition band that still keeps
// telephone speech (300-3400 Hz) flat.
import { strict as assert } from 'node:assert';

/** Zeroth-order modified Bessel function of the first kind (series; converges fast for beta ≤ 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 64; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export const kaiserBetaDefault = 8;

/** Kaiser window value at t in [-1, 1]. */
export function kaiser(t: number, beta = kaiserBetaDefault): number {
  if (Math.abs(t) > 1) return 0;
  return besselI0(beta * Math.sqrt(1 - t * t)) / besselI0(beta);
}

/** sin(πx)/(πx). */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

/**
 * Low-pass taps for a cutoff given as a fraction of the sample rate (0 < cutoff < 0.5), `length` taps,
 * scaled so the DC gain is `gain` (2 for ×2 zero-stuffing interpolation, so the level is kept).
 */
export function lowPassTaps(options: { cutoff: number; length: number; gain: number }): Float64Array {
  const { cutoff, length, gain } = options;
  assert(cutoff > 0 && cutoff < 0.5, 'cutoff must be a fraction of the rate below 0.5');
  assert(Number.isInteger(length) && length >= 4, 'need at least 4 taps');
  const taps = new Float64Array(length);
  const middle = (length - 1) / 2;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const offset = i - middle;
    taps[i] = 2 * cutoff * sinc(2 * cutoff * offset) * kaiser(offset / (middle + 1));
    sum += taps[i] ?? 0;
  }
  for (let i = 0; i < length; i++) taps[i] = ((taps[i] ?? 0) / sum) * gain;
  return taps;
}
