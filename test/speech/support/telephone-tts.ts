// Real speech for the speech-engine tests: flite or espeak-ng says a text into a temp dir, and the
// audio goes through the telephone channel the engines will hear (8 kHz, G.711 μ-law round trip).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toTelephoneRate } from '../../../src/speech/audio/resample.js';
import { concatSamples } from '../../../src/speech/audio/samples.js';
import { parseWav } from '../../../src/speech/audio/wav.js';
import { decodeG711, encodeG711 } from '../../../src/telephony/rtp/g711.js';

const run = promisify(execFile);

export type TestVoice = 'flite-kal' | 'flite-kal8' | 'flite-awb' | 'flite-slt' | 'espeak-us' | 'espeak-us-slow';

/** flite's voice names: kal16 is the 16 kHz kal diphone voice, kal its 8 kHz original. */
const fliteVoices: Partial<Record<TestVoice, string>> = {
  'flite-kal': 'kal16', 'flite-kal8': 'kal', 'flite-awb': 'awb', 'flite-slt': 'slt',
};

let counter = 0;

/** Says `text` with `voice` and returns 8 kHz PCM after a μ-law round trip. */
export async function telephoneSpeech(text: string, voice: TestVoice, dir: string): Promise<Int16Array> {
  counter += 1;
  const path = join(dir, `tts-${process.pid}-${counter}.wav`);
  const flite = fliteVoices[voice];
  if (flite !== undefined) {
    await run('flite', ['-voice', flite, '-t', text, '-o', path]);
  } else {
    await run('espeak-ng', ['-v', 'en-us', '-s', voice === 'espeak-us' ? '160' : '130', '-w', path, text]);
  }
  const wav = parseWav(await readFile(path));
  return muLawRoundTrip(toTelephoneRate(wav));
}

export function muLawRoundTrip(samples: Int16Array): Int16Array {
  return decodeG711(encodeG711(samples, 'PCMU'), 'PCMU');
}

/** `ms` of silence at 8 kHz. */
export function silence(ms: number): Int16Array {
  return new Int16Array(Math.round(ms * 8));
}

/** Gaussian-ish white noise at a level in dBFS (seeded, so runs repeat). */
export function whiteNoise(ms: number, levelDb: number, seed = 1): Int16Array {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  const rms = 32_768 * 10 ** (levelDb / 20);
  const out = new Int16Array(Math.round(ms * 8));
  for (let i = 0; i < out.length; i++) {
    const gaussian = (uniform() + uniform() + uniform() + uniform() - 2) * Math.sqrt(3);
    out[i] = Math.max(-32_768, Math.min(32_767, Math.round(gaussian * rms)));
  }
  return out;
}

export function concat(...parts: readonly Int16Array[]): Int16Array {
  return concatSamples(parts);
}

/** Adds `noise` sample by sample (same length or longer). */
export function mix(signal: Int16Array, noise: Int16Array): Int16Array {
  return Int16Array.from(signal, (value, i) => Math.max(-32_768, Math.min(32_767, value + (noise[i] ?? 0))));
}

/** RMS level in dBFS of the samples above a gate (the active speech level). */
export function activeLevelDb(samples: Int16Array): number {
  let sum = 0;
  let count = 0;
  for (const value of samples) {
    if (Math.abs(value) > 300) {
      sum += value * value;
      count += 1;
    }
  }
  return 10 * Math.log10(sum / Math.max(1, count) / (32_768 * 32_768));
}
