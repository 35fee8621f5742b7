// The quiet line the corpus runner and the speech benchmarks play after a recording (line-noise.ts).
import { expect } from 'chai';
import { followedByLine, lineHeardLast, lineNoiseAfter, lineRms } from '../../../src/speech/audio/line-noise.js';

function rmsOf(samples: Int16Array): number {
  return Math.sqrt(samples.reduce((sum, sample) => sum + sample * sample, 0) / Math.max(1, samples.length));
}

/** `seconds` of a 300 Hz tone at `amplitude`, after `quietMs` of alternating ±`hiss`. */
function recording(hiss: number, quietMs: number, amplitude: number, seconds = 1): Int16Array {
  const quiet = quietMs * 8;
  const pcm = new Int16Array(quiet + seconds * 8000);
  for (let i = 0; i < pcm.length; i += 1) {
    const tone = Math.round(amplitude * Math.sin((2 * Math.PI * 300 * i) / 8000));
    pcm[i] = i < quiet ? (i % 2 === 0 ? hiss : -hiss) : tone;
  }
  return pcm;
}

describe('speech audio: the line after a recording', () => {
  it("measures the line by the recording's quietest 100 ms, not its speech", () => {
    expect(lineRms(recording(50, 300, 10_000))).to.be.closeTo(50, 1);
    expect(lineRms(recording(50, 50, 10_000)), 'a pause shorter than a window is not the line').to.be.above(50);
  });

  it('keeps the line 10 dB under the loudest 100 ms of a recording cut with no pause at all', () => {
    // A tone whose level steps 6 dB halfway: the quieter half would be taken for the line.
    const pcm = recording(0, 0, 4000);
    for (let i = 4000; i < pcm.length; i += 1) pcm[i] = Math.round((pcm[i] ?? 0) * 2);
    const loudest = (8000 / Math.SQRT2);
    expect(lineRms(pcm)).to.be.closeTo(loudest / 10 ** 0.5, 5);
  });

  it('is at least one sample step for digital silence, and for a recording too short to measure', () => {
    expect(lineRms(new Int16Array(8000))).to.equal(1);
    expect(lineRms(new Int16Array(10))).to.equal(1);
  });

  it("plays noise at the line's level, the same noise for the same recording, other noise for another", () => {
    const pcm = recording(200, 500, 8000);
    const noise = lineNoiseAfter(pcm, 16_000);
    expect(noise).to.have.length(16_000);
    expect(rmsOf(noise)).to.be.within(190, 210);
    expect([...lineNoiseAfter(pcm, 16_000)]).to.deep.equal([...noise]);
    const other = recording(200, 500, 8001);
    expect([...lineNoiseAfter(other, 16_000)]).not.to.deep.equal([...noise]);
    // Not a tone, not a constant: white noise has about as many sign changes as samples / 2.
    let crossings = 0;
    for (let i = 1; i < noise.length; i += 1) {
      if (Math.sign(noise[i] ?? 0) !== Math.sign(noise[i - 1] ?? 0)) crossings += 1;
    }
    expect(crossings).to.be.within(6000, 10_000);
  });

  it('follows the recording with the given milliseconds of its line', () => {
    const pcm = recording(30, 200, 5000);
    const heard = followedByLine(pcm, 1000);
    expect(heard).to.have.length(pcm.length + 8000);
    expect([...heard.subarray(0, pcm.length)]).to.deep.equal([...pcm]);
    expect(rmsOf(heard.subarray(pcm.length))).to.be.within(25, 35);
  });

  it('plays the line on as it sounded last: its last 100 ms backwards, then forwards, with no step at the joins', () => {
    const pcm = recording(40, 500, 8000);
    pcm.set(Int16Array.from({ length: 800 }, (_, i) => i - 400), pcm.length - 800);
    const line = lineHeardLast(pcm, 2000);
    expect(line).to.have.length(2000);
    // Backwards from the last sample, then forwards from the first of the 100 ms, then backwards again.
    expect(Array.from(line.subarray(0, 3))).to.deep.equal([399, 398, 397]);
    expect(Array.from(line.subarray(798, 802))).to.deep.equal([-399, -400, -400, -399]);
    expect(Array.from(line.subarray(1598, 1602))).to.deep.equal([398, 399, 399, 398]);
    // Audio shorter than 100 ms: the line's noise instead.
    const short = new Int16Array(400).fill(25);
    expect(Array.from(lineHeardLast(short, 100))).to.deep.equal(Array.from(lineNoiseAfter(short, 100)));
  });
});
