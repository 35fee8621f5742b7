// nBest 1 asks for the best reading alone: the recognizer answers without building the word lattice,
// so the answer (one reading at the "read it back" confidence) is the same however loaded the machine
// is, where N-best answers race the lattice against a wait (150 ms by default; POCKETSPHINX_LATTICE_WAIT_MS).
// A yes/no lattice is built within that wait, so with nBest 5 the same audio gets posterior confidences
// instead; with a wait of 0 it never does.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYesNo } from '../../../src/speech/parse/yes-no.js';
import { bestOnlyConfidence, PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

describe('speech/pocketsphinx: the best reading alone (nBest 1)', function () {
  this.timeout(120_000);
  let dir = '';
  let recognizer: PocketsphinxRecognizer;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'best-only-'));
    recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
  });
  after(async () => {
    await recognizer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers with one reading at the read-back confidence, every time; N-best still gets posteriors', async () => {
    const speech = concat(silence(300), await telephoneSpeech('yes', 'flite-kal', dir), silence(900));
    const nBest = await recognize(recognizer, speech, { context: 'yesno', nBest: 5 });
    expect(parseYesNo(nBest.hypotheses[0]?.text ?? '')).to.equal('yes');
    expect(nBest.hypotheses[0]?.confidence).to.not.equal(bestOnlyConfidence);
    for (let run = 0; run < 3; run++) {
      const best = await recognize(recognizer, speech, { context: 'yesno', nBest: 1 });
      expect(best.end).to.equal('end-of-speech');
      // The decoder's best path, which may be another way of saying yes than the N-best's first.
      expect(best.hypotheses).to.have.length(1);
      expect(best.hypotheses[0]?.text).to.be.oneOf(['yes', 'yep', 'yeah']);
      expect(best.hypotheses[0]?.confidence).to.equal(bestOnlyConfidence);
      expect(best.hypotheses[0]?.phones[0]).to.equal('Y');
    }
  });

  it('never waits for the lattice with latticeWaitMs 0: N-best asked, the best reading alone answers', async () => {
    const noWait = await PocketsphinxRecognizer.create({ poolSize: 1, latticeWaitMs: 0 });
    try {
      const speech = concat(silence(300), await telephoneSpeech('yes', 'flite-kal', dir), silence(900));
      const result = await recognize(noWait, speech, { context: 'yesno', nBest: 5 });
      expect(result.hypotheses).to.have.length(1);
      expect(result.hypotheses[0]?.phones[0]).to.equal('Y');
      expect(result.hypotheses[0]?.confidence).to.equal(bestOnlyConfidence);
    } finally {
      await noWait.close();
    }
  });

  it('refuses a lattice wait that is not a whole number of milliseconds from 0', async () => {
    for (const latticeWaitMs of [-1, 2.5, Number.NaN]) {
      let error: unknown = null;
      try {
        await PocketsphinxRecognizer.create({ poolSize: 1, latticeWaitMs });
      } catch (caught) {
        error = caught;
      }
      expect(error, String(latticeWaitMs)).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.match(/lattice wait/);
    }
  });
});
