import { expect } from 'chai';
import { Prng } from '../../../src/roll/prng.js';
import { whiteNoise as unitWhiteNoise } from '../../../src/speech/audio/line-noise.js';
import { activeSpeechPower, floorRms, NoiseFloor } from '../../../src/speech/audio/noise-floor.js';
import { clamp16 } from '../../../src/speech/audio/upsampler.js';
import { tone as toneOf } from '../../telephony/support/caller-media.js';
import { concat, silence, whiteNoise } from '../support/telephone-tts.js';

/** A 440 Hz tone at `amplitude` (8 kHz), standing in for speech: its power is amplitude² / 2. */
const tone = (ms: number, amplitude: number): Int16Array => toneOf(440, ms, amplitude);

function power(samples: Int16Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return sum / samples.length;
}

const db = (ratio: number): number => 10 * Math.log10(ratio);

describe('noise floor under the speech', () => {
  it('measures the speech on its loud frames: the line and lost packets are left out', () => {
    const line = whiteNoise(400, -60, 3);
    const speech = concat(tone(300, 8000), tone(300, 4000));
    const measured = activeSpeechPower(concat(line, speech, silence(200), line));
    expect(db(measured / power(speech))).to.be.within(-0.5, 0.5);
    expect(activeSpeechPower(silence(500))).to.equal(0);
    expect(activeSpeechPower(new Int16Array(100))).to.equal(0);
  });

  it('lies the asked distance under the speech', () => {
    expect(db((8000 ** 2 / 2) / floorRms(8000 ** 2 / 2, 30) ** 2)).to.be.closeTo(30, 1e-9);
    expect(floorRms(0, 30)).to.equal(0);
  });

  it('fills a digitally clean line with noise 30 dB under the speech', () => {
    const floor = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 1 });
    const out = floor.whole(concat(silence(500), tone(500, 8000), silence(500)));
    const gap = out.subarray(0, 4000);
    expect(db((8000 ** 2 / 2) / power(gap))).to.be.within(29, 31);
    // The speech itself is only a little louder for it.
    expect(db(power(out.subarray(4000, 8000)) / (8000 ** 2 / 2))).to.be.within(0, 0.1);
  });

  it('holds a streamed utterance until it has measured it, then passes every sample on once, in order', () => {
    const floor = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 7 });
    const input = concat(silence(240), tone(2000, 4000));
    const out: Int16Array[] = [];
    let firstOut = -1;
    for (let offset = 0; offset < input.length; offset += 160) {
      const chunks = floor.push(input.subarray(offset, offset + 160));
      if (chunks.length > 0 && firstOut < 0) firstOut = offset + 160;
      out.push(...chunks);
    }
    out.push(...floor.end());
    expect(firstOut).to.equal(600 * 8);
    const joined = concat(...out);
    expect(joined.length).to.equal(input.length);
    expect(floor.level).to.be.a('number').above(0);
    // Within the floor's noise of what came in, sample by sample.
    const noise = Int16Array.from(joined, (value, i) => value - (input[i] ?? 0));
    expect(db((4000 ** 2 / 2) / power(noise))).to.be.within(28, 32);
  });

  it('a stream shorter than the measuring time is measured on what came, at its end', () => {
    const floor = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 7 });
    expect(floor.push(tone(300, 4000))).to.deep.equal([]);
    const rest = floor.end();
    expect(rest).to.have.length(1);
    expect(rest[0]).to.have.length(2400);
    expect(floor.end()).to.deep.equal([]);
  });

  it('gives the same samples for the same audio and seed', () => {
    const input = concat(silence(300), tone(700, 3000));
    const once = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 5 }).whole(input);
    const again = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 5 }).whole(input);
    expect(Array.from(again)).to.deep.equal(Array.from(once));
  });

  it('draws its noise as whiteNoise does from the seed, chunk after chunk, odd lengths and long audio too', () => {
    // The noise is drawn once per seed and kept: two floors on one seed, interleaved, each get the sequence a
    // fresh generator gives, and a chunk of odd length leaves the second draw of its last pair unused.
    const chunks = [tone(600, 3000), tone(20, 2000).subarray(0, 81), tone(3000, 2500), tone(7000, 1000)];
    const first = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 11 });
    const second = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 11 });
    const reference = new Prng(11);
    let rms: number | null = null;
    for (const chunk of chunks) {
      const out = first.push(chunk);
      const again = second.push(chunk);
      rms ??= first.level;
      expect(rms).to.be.a('number');
      const noise = unitWhiteNoise(chunk.length, rms as number, () => reference.float());
      const expected = Int16Array.from(chunk, (value, i) => clamp16(value + (noise[i] ?? 0)));
      expect(out).to.have.length(1);
      expect(Array.from(out[0] ?? [])).to.deep.equal(Array.from(expected));
      expect(Array.from(again[0] ?? [])).to.deep.equal(Array.from(expected));
    }
  });

  it('adds nothing to digital silence alone (no speech to be under)', () => {
    const floor = new NoiseFloor({ belowSpeechDb: 30, measureMs: 600, seed: 5 });
    expect(Array.from(floor.whole(silence(200))).every((value) => value === 0)).to.equal(true);
  });

  it('refuses a floor that is not under the speech', () => {
    for (const belowSpeechDb of [0, -5, Number.NaN]) {
      expect(() => new NoiseFloor({ belowSpeechDb, measureMs: 600, seed: 1 })).to.throw(RangeError);
    }
    expect(() => new NoiseFloor({ belowSpeechDb: 30, measureMs: -1, seed: 1 })).to.throw(RangeError);
  });
});
