// Pooled decoders serve one caller after another: what a decoder heard before (its noise level, its
// channel's cepstral mean) must not change what it hears next, or an answer depends on the order calls came
// in. Committed corpus audio (tuning part), heard in one order and in the reverse order, one decoder each.
import { expect } from 'chai';
import { join } from 'node:path';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import type { PocketsphinxDecoding } from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';
import type { GrammarContext, Hypothesis } from '../../../src/speech/recognizer.js';
import { testAudioDir } from '../corpus/paths.js';
import { recognize } from '../support/recognize.js';

// Readings with several N-best entries, whose confidences move when the features do. The lattice wait
// is long so that every answer is an N-best one, whatever the machine's load.
const sequence: ReadonlyArray<{ context: GrammarContext; file: string }> = [
  { context: 'amount', file: 'amount-0136-espeak-en-us-s165-p50-packet-loss.wav' },
  { context: 'command', file: 'command-0082-flite-awb-snr20.wav' },
  { context: 'vote', file: 'vote-0111-espeak-en-us-m3-s150-p40-snr20.wav' },
  { context: 'digits', file: 'digits-0154-flite-awb-snr20.wav' },
  { context: 'yesno', file: 'yesno-0096-flite-slt-snr20.wav' },
  { context: 'amount', file: 'amount-0138-festival-kal-diphone-snr10.wav' },
];

describe('speech/pocketsphinx: an utterance is heard the same whatever its decoder heard before', function () {
  this.timeout(180_000);
  const audio: Int16Array[] = [];

  before(async () => {
    for (const item of sequence) audio.push((await decodeAudioFile(join(testAudioDir, 'ci', 'audio', item.file))).pcm);
  });

  async function hear(order: readonly number[], decoding: PocketsphinxDecoding):
  Promise<Map<number, readonly Hypothesis[]>> {
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, latticeWaitMs: 30_000, decoding });
    try {
      const heard = new Map<number, readonly Hypothesis[]>();
      for (const index of order) {
        const result = await recognize(recognizer, audio[index] ?? new Int16Array(0),
          { context: sequence[index]?.context ?? 'command' });
        heard.set(index, result.hypotheses);
      }
      expect(recognizer.decoderCount).to.equal(1);
      return heard;
    } finally {
      await recognizer.close();
    }
  }

  for (const decoding of ['utterance', 'streaming'] as const) {
    it(`gives the same readings and confidences in either order on one pooled decoder (${decoding} decoding)`,
      async () => {
        const order = sequence.map((_, index) => index);
        const forward = await hear(order, decoding);
        const backward = await hear([...order].reverse(), decoding);
        for (const index of order) {
          expect(forward.get(index)?.length, sequence[index]?.file).to.be.greaterThan(0);
          expect(backward.get(index), sequence[index]?.file).to.deep.equal(forward.get(index));
        }
      });
  }
});
