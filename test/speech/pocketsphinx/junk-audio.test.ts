import { expect } from 'chai';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, whiteNoise } from '../support/telephone-tts.js';

/** A full-scale 400 Hz square wave: a clipped, buzzing line. */
function squareWave(ms: number): Int16Array {
  return Int16Array.from({ length: ms * 8 }, (_, n) => (Math.floor(n / 10) % 2 === 0 ? 32_767 : -32_768));
}

describe('pocketsphinx recognizer on junk audio', function () {
  this.timeout(120_000);
  let recognizer: PocketsphinxRecognizer;
  before(async () => { recognizer = await PocketsphinxRecognizer.create({ poolSize: 2 }); });
  after(async () => recognizer.close());

  it('silence: no speech at the timeout, no hypotheses', async () => {
    const result = await recognize(recognizer, silence(3000), { context: 'command', noSpeechTimeoutMs: 2000 });
    expect(result.end).to.equal('no-speech');
    expect(result.hypotheses).to.deep.equal([]);
  });

  it('steady white noise: treated as the line floor, no hypotheses', async () => {
    const result = await recognize(recognizer, whiteNoise(4000, -25, 3), { context: 'command', noSpeechTimeoutMs: 3000 });
    expect(result.end).to.equal('no-speech');
    expect(result.hypotheses).to.deep.equal([]);
  });

  it('a burst of noise or a clipped square wave: no crash, a result that ends', async () => {
    for (const junk of [concat(silence(500), whiteNoise(800, -10, 9), silence(1000)),
      concat(silence(500), squareWave(800), silence(1000))]) {
      const result = await recognize(recognizer, junk, { context: 'yesno' });
      expect(result.end).to.equal('end-of-speech');
      for (const hypothesis of result.hypotheses) expect(hypothesis.confidence).to.be.within(0, 1);
    }
  });

  it('very short audio and an empty end: finished with no hypotheses', async () => {
    for (const junk of [new Int16Array(0), new Int16Array(37), squareWave(40)]) {
      const result = await recognize(recognizer, junk, { context: 'digits' });
      expect(result.end).to.equal('finished');
      expect(result.hypotheses).to.deep.equal([]);
    }
  });

  it('cancel resolves with no hypotheses and frees the decoder', async () => {
    const stream = recognizer.start({ context: 'command', noSpeechTimeoutMs: 5000, maxSpeechMs: 10_000, nBest: 3 });
    const loud = concat(silence(300), squareWave(500));
    for (let offset = 0; offset < loud.length; offset += 160) stream.write(loud.subarray(offset, offset + 160));
    stream.cancel();
    const result = await stream.result;
    expect(result).to.include({ end: 'cancelled' });
    expect(result.hypotheses).to.deep.equal([]);
  });

  it('an unknown grammar key is a clear error at start', () => {
    expect(() => recognizer.start({ context: 'name', grammarKey: 'gen9/city:nowhere', noSpeechTimeoutMs: 1000,
      maxSpeechMs: 1000, nBest: 1 })).to.throw(/no name grammar gen9\/city:nowhere is loaded/);
  });
});
