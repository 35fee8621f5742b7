// Chunks written while a decode call runs go to the decoder in one call (pocketsphinx-recognizer.ts):
// the same audio in fewer calls must be heard the same, on real pocketsphinx.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPocketsphinx, type PocketsphinxLibrary } from '../../../src/speech/pocketsphinx/library.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { Recognition } from '../../../src/speech/recognizer.js';
import { listenDefaults } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

/** Decodes `samples` on a fresh one-decoder recognizer (live CMN depends on a decoder's past). */
async function decode(samples: Int16Array, yieldEveryFrame: boolean, library: PocketsphinxLibrary):
Promise<{ recognition: Recognition; calls: number }> {
  const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1 });
  const original = library.processRawAsync;
  let calls = 0;
  // Counts the calls the session makes; each still goes to the real decoder.
  library.processRawAsync = async (decoder, chunk, full) => {
    calls += 1;
    return original(decoder, chunk, full);
  };
  try {
    const stream = recognizer.start({ ...listenDefaults, context: 'digits' });
    for (let offset = 0; offset < samples.length; offset += 160) {
      stream.write(samples.subarray(offset, offset + 160));
      // Each decode call finishes before the next chunk: one call per chunk.
      if (yieldEveryFrame) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stream.end();
    return { recognition: await stream.result, calls };
  } finally {
    library.processRawAsync = original;
    await recognizer.close();
  }
}

describe('pocketsphinx: chunks queued behind a running decode go in one call', function () {
  this.timeout(120_000);
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'coalesced-')); });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('hears the same readings with the same confidences from a few long calls as from one call per chunk',
    async () => {
      const library = loadPocketsphinx();
      const samples = concat(silence(500), await telephoneSpeech('four one two', 'flite-kal', dir), silence(900));
      const paced = await decode(samples, true, library);
      const burst = await decode(samples, false, library);
      expect(paced.recognition.hypotheses[0]?.text).to.equal('four one two');
      expect(burst.recognition.hypotheses).to.deep.equal(paced.recognition.hypotheses);
      // Paced: about one call per 20 ms chunk handed over; written at once: the queue went in a few calls.
      expect(paced.calls).to.be.greaterThan(40);
      expect(burst.calls).to.be.at.most(3);
    });
});
