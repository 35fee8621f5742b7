import { expect } from 'chai';
import { resample, toTelephoneRate } from '../../../src/speech/audio/resample.js';
import { Upsampler8to16 } from '../../../src/speech/audio/upsampler.js';
import { db, tone, toneAmplitude } from '../support/spectrum.js';

const amplitude = 10_000;

function int16(samples: Float32Array): Int16Array {
  return Int16Array.from(samples, (value) => Math.round(value));
}

describe('8 kHz → 16 kHz upsampler', () => {
  it('passes a 3.5 kHz tone at its level and suppresses its 4.5 kHz image by more than 60 dB', () => {
    const output = new Upsampler8to16().process(int16(tone(3500, 8000, 8000, amplitude)));
    expect(output.length).to.equal(16_000);
    const passed = toneAmplitude(output, 3500, 16_000, 200);
    const image = toneAmplitude(output, 4500, 16_000, 200);
    expect(db(passed / amplitude)).to.be.within(-1, 0.5);
    expect(db(image / amplitude)).to.be.below(-60);
  });

  it('is far better than sample repetition, whose image the same measurement sees', () => {
    const input = int16(tone(3500, 8000, 8000, amplitude));
    const repeated = Int16Array.from({ length: 16_000 }, (_, n) => input[Math.floor(n / 2)] ?? 0);
    expect(db(toneAmplitude(repeated, 4500, 16_000, 200) / amplitude)).to.be.above(-20);
  });

  it('keeps the telephone band flat (300 Hz to 3.4 kHz within 0.5 dB)', () => {
    for (const frequency of [300, 1000, 2000, 3400]) {
      const output = new Upsampler8to16().process(int16(tone(frequency, 8000, 8000, amplitude)));
      expect(db(toneAmplitude(output, frequency, 16_000, 200) / amplitude), `${frequency} Hz`).to.be.within(-0.5, 0.5);
    }
  });

  it('gives the same output fed in 20 ms frames as in one piece', () => {
    const input = int16(tone(1234, 8000, 4000, amplitude));
    const whole = new Upsampler8to16().process(input);
    const streaming = new Upsampler8to16();
    const parts: number[] = [];
    for (let offset = 0; offset < input.length; offset += 160) {
      parts.push(...streaming.process(input.subarray(offset, offset + 160)));
    }
    expect(parts).to.deep.equal([...whole]);
  });
});

describe('any rate → 8 kHz resampler', () => {
  it('passes 1 kHz and stops 6 kHz from a 44.1 kHz stereo file (it would fold to 2 kHz)', () => {
    const frames = 44_100;
    const wanted = tone(1000, 44_100, frames, amplitude);
    const unwanted = tone(6000, 44_100, frames, amplitude);
    const stereo = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) {
      stereo[2 * i] = Math.round((wanted[i] ?? 0) + (unwanted[i] ?? 0));
      stereo[2 * i + 1] = Math.round((wanted[i] ?? 0) + (unwanted[i] ?? 0));
    }
    const output = toTelephoneRate({ samples: stereo, sampleRate: 44_100, channels: 2 });
    expect(output.length).to.equal(8000);
    expect(db(toneAmplitude(output, 1000, 8000, 100) / amplitude)).to.be.within(-0.5, 0.5);
    expect(db(toneAmplitude(output, 2000, 8000, 100) / amplitude)).to.be.below(-50);
  });

  it('downsamples 16 kHz with 3.4 kHz kept and 4.6 kHz (which folds onto 3.4 kHz) removed', () => {
    const kept = resample(tone(3400, 16_000, 16_000, amplitude), 16_000, 8000);
    expect(db(toneAmplitude(kept, 3400, 8000, 100) / amplitude)).to.be.within(-1, 0.5);
    const folded = resample(tone(4600, 16_000, 16_000, amplitude), 16_000, 8000);
    expect(db(toneAmplitude(folded, 3400, 8000, 100) / amplitude)).to.be.below(-50);
  });

  it('refuses impossible rates with a clear message', () => {
    expect(() => resample(new Float32Array(10), 0, 8000)).to.throw(/bad sample rate 0/);
  });
});
