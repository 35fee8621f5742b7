// Single-bin DFT: the amplitude of one frequency in a signal, for measuring filters in tests.
export function toneAmplitude(samples: ArrayLike<number>, frequency: number, sampleRate: number, skip = 0): number {
  let re = 0;
  let im = 0;
  const count = samples.length - 2 * skip;
  for (let n = skip; n < samples.length - skip; n++) {
    // A Hann window keeps leakage from other tones far below the levels the tests compare.
    const window = 0.5 - 0.5 * Math.cos((2 * Math.PI * (n - skip)) / (count - 1));
    const phase = (2 * Math.PI * frequency * n) / sampleRate;
    const value = (samples[n] ?? 0) * window;
    re += value * Math.cos(phase);
    im -= value * Math.sin(phase);
  }
  // Coherent gain of the Hann window is 0.5: scale back to the tone's peak amplitude.
  return (2 * Math.hypot(re, im)) / (count * 0.5);
}

export function tone(frequency: number, sampleRate: number, count: number, amplitude: number): Float32Array {
  const step = (2 * Math.PI * frequency) / sampleRate;
  return Float32Array.from({ length: count }, (_, n) => amplitude * Math.sin(step * n));
}

export function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}
