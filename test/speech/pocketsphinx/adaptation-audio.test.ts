// The adaptation set's audio is what the decoder hears: its noise floor under the speech, then its upsampler
// (scripts/adapt-telephone-model; the transform is fitted to the decoder's own input).
import { expect } from 'chai';
import { Upsampler8to16 } from '../../../src/speech/audio/upsampler.js';
import { asTheDecoderHears } from '../../../src/speech/pocketsphinx/adaptation/adaptation-set.js';

/** A 400 Hz tone for `toneMs`, then digital silence for `silenceMs` (8 kHz). */
function toneThenSilence(toneMs: number, silenceMs: number, amplitude: number): Int16Array {
  const tone = toneMs * 8;
  const samples = new Int16Array(tone + silenceMs * 8);
  for (let i = 0; i < tone; i++) samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * 400 * i) / 8000));
  return samples;
}

function power(samples: Int16Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] ?? 0) ** 2;
  return sum / (to - from);
}

describe('adaptation audio (asTheDecoderHears)', () => {
  const heard = toneThenSilence(500, 500, 8000);

  it('without a floor is the decoder\'s upsampler and nothing else', () => {
    expect([...asTheDecoderHears(heard, null, 1)]).to.deep.equal([...new Upsampler8to16().process(heard)]);
  });

  it('puts noise the given distance under the speech where the line was silent', () => {
    const wide = asTheDecoderHears(heard, 35, 1);
    expect(wide.length).to.equal(new Upsampler8to16().process(heard).length);
    // 16 kHz: the tone's first 500 ms are samples 0-8,000; well inside the silence from 10,000 on.
    const speech = power(wide, 1000, 7000);
    const floor = power(wide, 10_000, 15_000);
    expect(floor).to.be.greaterThan(0);
    const belowDb = 10 * Math.log10(speech / floor);
    expect(belowDb).to.be.within(33, 37);
  });

  it('is the same for a seed and differs between seeds', () => {
    const first = asTheDecoderHears(heard, 35, 1);
    expect([...asTheDecoderHears(heard, 35, 1)]).to.deep.equal([...first]);
    const other = asTheDecoderHears(heard, 35, 2);
    expect([...other.subarray(10_000, 15_000)]).not.to.deep.equal([...first.subarray(10_000, 15_000)]);
  });
});
