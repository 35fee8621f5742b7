// A DC offset is taken off before the VAD and the engine (dc-blocker.ts); audio without one passes unchanged.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DcBlocker } from '../../../src/speech/audio/dc-blocker.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, mix, silence, telephoneSpeech, whiteNoise } from '../support/telephone-tts.js';

/** The samples through a blocker in 20 ms frames, as a stream hears them. */
function blocked(samples: Int16Array): Int16Array {
  const blocker = new DcBlocker();
  const out = new Int16Array(samples.length);
  for (let offset = 0; offset < samples.length; offset += 160) {
    out.set(blocker.process(samples.subarray(offset, offset + 160)), offset);
  }
  return out;
}

function withOffset(samples: Int16Array, offset: number): Int16Array {
  return Int16Array.from(samples, (sample) => Math.max(-32_768, Math.min(32_767, sample + offset)));
}

function meanOf(samples: Int16Array): number {
  return samples.reduce((sum, sample) => sum + sample, 0) / Math.max(1, samples.length);
}

describe('speech audio: DC offset', function () {
  this.timeout(120_000);
  let dir: string;
  let speech: Int16Array;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dn-dc-'));
    const said = await telephoneSpeech('yes', 'flite-kal', dir);
    speech = mix(concat(silence(600), said, silence(1200)), whiteNoise(600 + said.length / 8 + 1200, -55, 4));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('leaves telephone speech without an offset as it is, sample for sample', () => {
    expect([...blocked(speech)]).to.deep.equal([...speech]);
  });

  it('leaves a stream that opens on speech as it is (its first frame\'s mean is a waveform\'s, not an offset)', () => {
    // A 325 Hz tone at -12 dBFS: its first 20 ms frame (6.5 periods) has a mean of 390 steps, which taken
    // for an offset would be subtracted, decaying, for a tenth of a second.
    const tone = Int16Array.from({ length: 8000 },
      (_, n) => Math.round(8000 * Math.sin((2 * Math.PI * 325 * n) / 8000)));
    expect(Math.abs(meanOf(tone.subarray(0, 160)))).to.be.above(300);
    expect([...blocked(tone)]).to.deep.equal([...tone]);
  });

  it('takes a steady offset off from the first frame, and one that appears later within 0.1 s', () => {
    for (const offset of [3000, -1200, 400]) {
      const out = blocked(withOffset(speech, offset));
      expect(Math.abs(meanOf(out.subarray(0, 4000))), `${offset}: the first half second`).to.be.below(30);
      expect(Math.abs(meanOf(out)), `${offset}: the whole`).to.be.below(30);
    }
    const appears = concat(speech.subarray(0, 4000), withOffset(speech.subarray(4000), 2500));
    const out = blocked(appears);
    expect(Math.abs(meanOf(out.subarray(4000 + 800)))).to.be.below(60);
  });

  it('the engine hears speech on a line with an offset as it hears it without one', async () => {
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
    try {
      const clean = await recognize(recognizer, speech, { context: 'yesno' });
      const offset = await recognize(recognizer, withOffset(speech, 3000), { context: 'yesno' });
      expect(clean.end).to.equal('end-of-speech');
      expect(clean.hypotheses[0]?.text).to.equal('yes');
      expect(offset.end, 'the offset is not speech that never ends').to.equal('end-of-speech');
      expect(offset.hypotheses[0]?.text).to.equal('yes');
      expect(offset.speechMs).to.be.closeTo(clean.speechMs, 60);
    } finally {
      await recognizer.close();
    }
  });
});
