// The decoder is handed 60 ms or more per call, and chunks written while a call runs go in the next one
// (pocketsphinx-recognizer.ts): the same audio in fewer calls must be heard the same, on real pocketsphinx.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPocketsphinx, type PocketsphinxLibrary } from '../../../src/speech/pocketsphinx/library.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { PocketsphinxDecoding } from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';
import type { Recognition } from '../../../src/speech/recognizer.js';
import { listenDefaults } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

/** Decodes `samples` on a fresh one-decoder recognizer (its own call counter). */
async function decode(samples: Int16Array, yieldEveryFrame: boolean, library: PocketsphinxLibrary,
  decoding: PocketsphinxDecoding = 'streaming'): Promise<{ recognition: Recognition; calls: number[] }> {
  const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, decoding });
  const original = library.processRawAsync;
  const calls: number[] = [];
  // Counts the calls the session makes; each still goes to the real decoder.
  library.processRawAsync = async (decoder, chunk) => {
    calls.push(chunk.length);
    return original(decoder, chunk);
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

describe('pocketsphinx streaming: 60 ms or more per decode call, what queued behind a running one in one call',
  function () {
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
      // Paced: a call per three 20 ms chunks (960 samples at 16 kHz), the last one with what was left;
      // written at once: the queue went in a few calls.
      expect(paced.calls.length).to.be.greaterThan(10);
      expect(paced.calls.slice(0, -1).every((samples) => samples >= 960)).to.equal(true);
      expect(burst.calls.length).to.be.at.most(3);
      expect(burst.calls.reduce((sum, samples) => sum + samples, 0))
        .to.equal(paced.calls.reduce((sum, samples) => sum + samples, 0));
    });

  it('decodes an utterance in one call at its end when decoding is utterance (the default), paced or not', async () => {
    const library = loadPocketsphinx();
    const samples = concat(silence(500), await telephoneSpeech('four one two', 'flite-kal', dir), silence(900));
    const paced = await decode(samples, true, library, 'utterance');
    const burst = await decode(samples, false, library, 'utterance');
    expect(paced.recognition.hypotheses[0]?.text).to.equal('four one two');
    expect(burst.recognition.hypotheses).to.deep.equal(paced.recognition.hypotheses);
    expect(paced.calls).to.have.length(1);
    expect(burst.calls).to.deep.equal(paced.calls);
  });
});
