// The telephone channel's impairments after the band-pass and the 8 kHz resampling (done by sox in the
// generator): line noise at a given SNR, clipping, lost RTP packets, and the G.711 μ-law round trip.
// Seeded, so the same corpus comes out for the same seed.
import type { Prng } from '../../roll/prng.js';
import { decodeG711, encodeG711 } from '../../telephony/rtp/g711.js';

export type ChannelCondition = 'snr20' | 'snr10' | 'clipped' | 'packet-loss' | QuietLineCondition;
/**
 * The same line without its noise (make-corpus --quiet-line): a quiet room and a clean digital path, which the
 * noisy conditions never measure. Clipping and lost packets are kept.
 */
export type QuietLineCondition = 'quiet' | 'clipped-quiet' | 'packet-loss-quiet';

/** The conditions the generator draws from (noisy lines; quietLineOf turns each into its quiet one). */
export const channelConditions: readonly ChannelCondition[] = ['snr20', 'snr10', 'clipped', 'packet-loss'];

/** The condition on a line without noise: the SNRs are both 'quiet', the other impairments kept. */
export function quietLineOf(condition: ChannelCondition): ChannelCondition {
  if (condition === 'snr20' || condition === 'snr10') return 'quiet';
  if (condition === 'clipped') return 'clipped-quiet';
  if (condition === 'packet-loss') return 'packet-loss-quiet';
  return condition;
}

/** 20 ms at 8 kHz: one RTP packet of G.711. */
const packetSamples = 160;
/** Frames louder than this (dBFS) count as speech when measuring the signal power for the SNR. */
const activeSpeechDb = -40;

function gaussian(prng: Prng): number {
  const u = Math.max(prng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.float());
}

/**
 * Mean power of the 20 ms frames louder than −40 dBFS, the speech for the SNR (a silence-padded file would
 * otherwise look quieter). An absolute gate: the decoder's noise floor measures speech against its own
 * loudest frames instead (audio/noise-floor.ts, activeSpeechPower).
 */
function gatedSpeechPower(samples: Float64Array): number {
  let sum = 0;
  let count = 0;
  const threshold = 32768 ** 2 * 10 ** (activeSpeechDb / 10);
  for (let start = 0; start + packetSamples <= samples.length; start += packetSamples) {
    let frame = 0;
    for (let i = start; i < start + packetSamples; i++) frame += (samples[i] ?? 0) ** 2;
    frame /= packetSamples;
    if (frame >= threshold) {
      sum += frame;
      count += 1;
    }
  }
  return count === 0 ? 0 : sum / count;
}

function addNoise(samples: Float64Array, snrDb: number, prng: Prng): void {
  const noiseRms = Math.sqrt(gatedSpeechPower(samples) / 10 ** (snrDb / 10));
  for (let i = 0; i < samples.length; i++) samples[i] = (samples[i] ?? 0) + noiseRms * gaussian(prng);
}

/** Hard clipping at a third of the peak, then back to the original peak: an overdriven handset. */
function clip(samples: Float64Array): void {
  let peak = 0;
  for (const value of samples) peak = Math.max(peak, Math.abs(value));
  const limit = peak / 3;
  for (let i = 0; i < samples.length; i++) samples[i] = Math.max(-limit, Math.min(limit, samples[i] ?? 0)) * 3;
}

/** Gilbert two-state loss: 5 % of packets on average, in bursts of about two; lost packets are silence. */
function losePackets(samples: Float64Array, prng: Prng): void {
  let lossy = false;
  for (let start = 0; start < samples.length; start += packetSamples) {
    lossy = lossy ? !prng.chance(0.5) : prng.chance(0.026);
    if (lossy) samples.fill(0, start, Math.min(samples.length, start + packetSamples));
  }
}

/** 8 kHz band-passed speech in, what the far end of a G.711 call hears out (μ-law bytes). */
export function telephoneChannel(input: Int16Array, condition: ChannelCondition, prng: Prng): Uint8Array {
  const samples = Float64Array.from(input);
  if (condition === 'clipped' || condition === 'clipped-quiet') clip(samples);
  if (condition !== 'quiet' && condition !== 'clipped-quiet' && condition !== 'packet-loss-quiet') {
    addNoise(samples, condition === 'snr10' ? 10 : 20, prng);
  }
  if (condition === 'packet-loss' || condition === 'packet-loss-quiet') losePackets(samples, prng);
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] ?? 0)));
  return new Uint8Array(encodeG711(pcm, 'PCMU'));
}

export function muLawToPcm(bytes: Uint8Array): Int16Array {
  return decodeG711(bytes, 'PCMU');
}
