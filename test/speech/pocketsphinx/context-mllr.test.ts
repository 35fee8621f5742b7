// MLLR per context: the number contexts decode with the telephone transform while every other context
// decodes with the model as shipped, on the same pooled decoder. Checked against recognizers that use
// one setting everywhere, on committed corpus audio (tuning part) heard in the same order, so live CMN
// has the same history on every side.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config.js';
import { Prng } from '../../../src/roll/prng.js';
import { lineSnrDb } from '../../../src/speech/audio/line-snr.js';
import { CallerAcoustics } from '../../../src/speech/caller-acoustics.js';
import { decodeAudioFile } from '../../../src/speech/corpus/audio-file.js';
import { muLawToPcm, telephoneChannel } from '../../../src/speech/corpus/channel.js';
import { identityMllrText, numberContexts } from '../../../src/speech/pocketsphinx/context-mllr.js';
import {
  PocketsphinxRecognizer, type PocketsphinxOptions,
} from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { noisyLineSnrDbDefault } from '../../../src/speech/pocketsphinx/pocketsphinx-settings.js';
import {
  checkMllrFile, noisyTelephoneMllrPath, telephoneMllrPath,
} from '../../../src/speech/pocketsphinx/telephone-mllr.js';
import { RecognizerUnavailableError, type GrammarContext, type Hypothesis } from '../../../src/speech/recognizer.js';
import { thrown } from '../../support/thrown.js';
import { testAudioDir } from '../corpus/paths.js';
import { smallNameGrammar } from '../support/name-grammar.js';
import { recognize } from '../support/recognize.js';

interface Heard { context: GrammarContext; hypotheses: readonly Hypothesis[] }

// Spelled letters with one reading (nBest 1): the letter loop's lattice may or may not be built within the
// recognizer's wait, and the comparison must not depend on the machine's load.
const sequence: ReadonlyArray<{ context: GrammarContext; file: string; nBest?: number }> = [
  { context: 'amount', file: 'amount-0136-espeak-en-us-s165-p50-packet-loss.wav' },
  { context: 'command', file: 'command-0082-flite-awb-snr20.wav' },
  { context: 'vote', file: 'vote-0111-espeak-en-us-m3-s150-p40-snr20.wav' },
  { context: 'spelled', file: 'spelled-0179-flite-kal-snr20.wav', nBest: 1 },
  { context: 'digits', file: 'digits-0154-flite-awb-snr20.wav' },
];

describe('speech/pocketsphinx: MLLR per context (POCKETSPHINX_NUMBER_MLLR)', function () {
  this.timeout(180_000);
  let dir = '';
  const audio: Int16Array[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'context-mllr-'));
    for (const item of sequence) audio.push((await decodeAudioFile(join(testAudioDir, 'ci', 'audio', item.file))).pcm);
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  async function hear(options: { mllr: string; numberMllr: string }): Promise<{ heard: Heard[]; swaps: number }> {
    const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, ...options });
    try {
      const heard: Heard[] = [];
      for (const [index, item] of sequence.entries()) {
        const result = await recognize(recognizer, audio[index] ?? new Int16Array(0), { context: item.context,
          ...(item.nBest === undefined ? {} : { nBest: item.nBest }) });
        heard.push({ context: item.context, hypotheses: result.hypotheses });
      }
      return { heard, swaps: recognizer.contextMllr.swaps };
    } finally {
      await recognizer.close();
    }
  }

  it('is configured by POCKETSPHINX_NUMBER_MLLR: telephone unless set to off or a file', () => {
    expect(loadConfig({}).pocketsphinxNumberMllr).to.equal('telephone');
    expect(loadConfig({ POCKETSPHINX_NUMBER_MLLR: 'off' }).pocketsphinxNumberMllr).to.equal('off');
    expect(() => loadConfig({ POCKETSPHINX_NUMBER_MLLR: ' ' })).to.throw(/POCKETSPHINX_NUMBER_MLLR/);
    expect(numberContexts).to.have.members(['amount', 'digits', 'spelled', 'command', 'name', 'city', 'bill', 'phone']);
  });

  it('refuses a missing number transform at start-up, naming POCKETSPHINX_NUMBER_MLLR', async () => {
    const refused = await thrown(() => PocketsphinxRecognizer.create({ poolSize: 1, numberMllr: join(dir, 'none') }));
    expect(refused).to.be.instanceOf(RecognizerUnavailableError);
    expect((refused as Error).message).to.match(/^POCKETSPHINX_NUMBER_MLLR: .*none does not exist/);
  });

  it('writes an identity transform of the committed transform\'s shape', async () => {
    const path = join(dir, 'identity');
    await writeFile(path, identityMllrText(telephoneMllrPath()));
    expect(() => { checkMllrFile(path); }).not.to.throw();
    const numbers = (await readFile(path, 'utf8')).trim().split(/\s+/).map(Number);
    expect(numbers.slice(0, 3)).to.deep.equal([1, 3, 13]);
    const firstBlock = numbers.slice(3, 3 + 13 * 13);
    expect(firstBlock.every((value, at) => value === (at % 14 === 0 ? 1 : 0))).to.equal(true);
    expect(numbers.slice(3 + 169, 3 + 169 + 13)).to.deep.equal(new Array<number>(13).fill(0));
    expect(numbers.slice(3 + 182, 3 + 182 + 13)).to.deep.equal(new Array<number>(13).fill(1));
    expect(numbers).to.have.length(2 + 3 * (1 + 169 + 26));
  });

  it('hears numbers as the telephone transform does and the rest as the shipped model does, swapping back and forth',
    async () => {
      const perContext = await hear({ mllr: 'off', numberMllr: 'telephone' });
      const telephone = await hear({ mllr: 'telephone', numberMllr: 'telephone' });
      const shipped = await hear({ mllr: 'off', numberMllr: 'off' });
      // amount (to telephone) → command (telephone too) → vote (back to the shipped model) → spelled (telephone
      // again) → digits.
      expect(perContext.swaps).to.equal(3);
      expect(telephone.swaps).to.equal(0);
      expect(shipped.swaps).to.equal(0);
      for (const [index, heard] of perContext.heard.entries()) {
        const same = numberContexts.includes(heard.context) ? telephone.heard[index] : shipped.heard[index];
        expect(heard, `${heard.context} item ${index}`).to.deep.equal(same);
      }
      // The comparison can tell the two models apart: on this packet-loss recording the shipped model hears
      // another amount than the caller said, the telephone transform the right one.
      const said = /^two hundred fifty dollars? and seventy five cents?$/;
      expect(shipped.heard[0]?.hypotheses[0]?.text).to.not.match(said);
      expect(perContext.heard[0]?.hypotheses[0]?.text).to.match(said);
      // And the spelled surname was heard with the telephone transform: the shipped model hears it otherwise.
      expect(perContext.heard[3]?.context).to.equal('spelled');
      expect(perContext.heard[3]?.hypotheses).to.not.deep.equal(shipped.heard[3]?.hypotheses);
    });

  it('is configured by POCKETSPHINX_NOISY_MLLR and POCKETSPHINX_NOISY_LINE_SNR_DB, with clear errors', async () => {
    expect(loadConfig({}).pocketsphinxNoisyMllr).to.equal('telephone-noisy');
    expect(loadConfig({}).pocketsphinxNoisyLineSnrDb).to.equal(noisyLineSnrDbDefault);
    expect(loadConfig({ POCKETSPHINX_NOISY_LINE_SNR_DB: '9.5' }).pocketsphinxNoisyLineSnrDb).to.equal(9.5);
    for (const wrong of ['-1', 'loud', '61']) {
      expect(() => loadConfig({ POCKETSPHINX_NOISY_LINE_SNR_DB: wrong })).to.throw(/POCKETSPHINX_NOISY_LINE_SNR_DB/);
    }
    const refused = await thrown(() => PocketsphinxRecognizer.create({ poolSize: 1, noisyMllr: join(dir, 'none') }));
    expect(refused).to.be.instanceOf(RecognizerUnavailableError);
    expect((refused as Error).message).to.match(/^POCKETSPHINX_NOISY_MLLR: .*none does not exist/);
    expect(() => { checkMllrFile(noisyTelephoneMllrPath()); }).not.to.throw();
  });

  it('hears an answer said on a noisy line with the noisy-line transform, whatever its context, and one on a 20 dB '
    + 'line as before', async () => {
    // Committed CI audio: an amount at 10 dB and one at 20 dB SNR (packet loss), and a vote at 10 dB (a context
    // that otherwise decodes with POCKETSPHINX_MLLR, here off).
    const noisyAmount = (await decodeAudioFile(join(testAudioDir, 'ci', 'audio',
      'amount-0137-espeak-en-us-m3-s150-p40-snr10.wav'))).pcm;
    const noisyVote = (await decodeAudioFile(join(testAudioDir, 'ci', 'audio', 'vote-0116-flite-rms-snr10.wav'))).pcm;
    const clearAmount = audio[0] ?? new Int16Array(0);
    const said: ReadonlyArray<[Int16Array, GrammarContext]> = [[noisyAmount, 'amount'], [clearAmount, 'amount'],
      [noisyVote, 'vote']];
    type Options = { mllr?: string; numberMllr: string; noisyMllr: string };
    const heardWith = async (options: Options): Promise<{ heard: Array<readonly Hypothesis[]>; swaps: number }> => {
      const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, mllr: 'off', ...options });
      try {
        const heard: Array<readonly Hypothesis[]> = [];
        for (const [pcm, context] of said) heard.push((await recognize(recognizer, pcm, { context })).hypotheses);
        return { heard, swaps: recognizer.contextMllr.swaps };
      } finally {
        await recognizer.close();
      }
    };
    const byLine = await heardWith({ numberMllr: 'telephone', noisyMllr: 'telephone-noisy' });
    const telephoneOnly = await heardWith({ numberMllr: 'telephone', noisyMllr: 'off' });
    const noisyOnly = await heardWith({ mllr: noisyTelephoneMllrPath(), numberMllr: noisyTelephoneMllrPath(),
      noisyMllr: 'off' });
    expect(byLine.heard[0]).to.deep.equal(noisyOnly.heard[0]);
    expect(byLine.heard[1]).to.deep.equal(telephoneOnly.heard[1]);
    expect(byLine.heard[2]).to.deep.equal(noisyOnly.heard[2]);
    // noisy-line → telephone → noisy-line transform.
    expect(byLine.swaps).to.equal(3);
    // The two transforms hear the noisy amount differently, so the comparison above tells them apart.
    expect(telephoneOnly.heard[0]).to.not.deep.equal(noisyOnly.heard[0]);
  });

  // A name said on a 20 dB line (committed CI audio), the same on a 10 dB line (the corpus channel's snr10 over
  // it), and a grammar of it among others: the name context streams, so these check the streamed path.
  const nameFile = 'name-0001-flite-awb-snr20.mp3';
  const withNames = async (options: PocketsphinxOptions): Promise<PocketsphinxRecognizer> => {
    const recognizer = await PocketsphinxRecognizer.create(options);
    recognizer.addGrammar(await smallNameGrammar('test', ['christopher murphy in council bluffs',
      'mary smith of ames', 'john jones of boone', 'robert brown of ames', 'linda davis of boone']));
    return recognizer;
  };
  const lines = async (): Promise<{ clear: Int16Array; noisy: Int16Array }> => {
    const clear = (await decodeAudioFile(join(testAudioDir, 'ci', 'audio', nameFile))).pcm;
    const noisy = muLawToPcm(telephoneChannel(clear, 'snr10', new Prng(48)));
    expect(lineSnrDb(noisy)).to.be.below(noisyLineSnrDbDefault);
    expect(lineSnrDb(clear)).to.be.above(noisyLineSnrDbDefault);
    return { clear, noisy };
  };

  it('hears a name, which streams, with the noisy-line transform when the call\'s last answer measured was on a '
    + 'noisy line, and with its own on a new call', async () => {
    const noisyAmount = (await decodeAudioFile(join(testAudioDir, 'ci', 'audio',
      'amount-0137-espeak-en-us-m3-s150-p40-snr10.wav'))).pcm;
    const { clear } = await lines();
    const recognizer = await withNames({ poolSize: 1, mllr: 'off', numberMllr: 'telephone',
      noisyMllr: 'telephone-noisy' });
    try {
      const call = new CallerAcoustics();
      await recognize(recognizer, noisyAmount, { context: 'amount', caller: call });
      expect(call.lineSnrDb).to.be.below(noisyLineSnrDbDefault);
      expect(recognizer.contextMllr.swaps).to.equal(1);
      // The decoder already carries the noisy-line transform: the name is heard with it, no swap, though said
      // on a clear line (a streamed answer cannot be measured before it starts).
      await recognize(recognizer, clear, { context: 'name', grammarKey: 'test', caller: call });
      expect(recognizer.contextMllr.swaps).to.equal(1);
      // Streamed on a line already known, it is not measured: the call's line is the amount's still.
      expect(call.lineSnrDb).to.be.below(noisyLineSnrDbDefault);
      // Another call, nothing measured yet: the name's own transform (the telephone one), kept on a clear line.
      const another = new CallerAcoustics();
      await recognize(recognizer, clear, { context: 'name', grammarKey: 'test', caller: another });
      expect(recognizer.contextMllr.swaps).to.equal(2);
      expect(another.lineSnrDb).to.be.above(noisyLineSnrDbDefault);
    } finally {
      await recognizer.close();
    }
  });

  it('judges a name on a call whose line is not known as it comes: on a 10 dB line it starts again with the '
    + 'noisy-line transform, heard as from its first frame, and tells the call its line', async () => {
    const { noisy } = await lines();
    const recognizer = await withNames({ poolSize: 1, mllr: 'off', numberMllr: 'telephone',
      noisyMllr: 'telephone-noisy' });
    const noisyOnly = await withNames({ poolSize: 1, mllr: noisyTelephoneMllrPath(),
      numberMllr: noisyTelephoneMllrPath(), noisyMllr: 'off' });
    try {
      const noisyCall = new CallerAcoustics();
      const restarted = await recognize(recognizer, noisy, { context: 'name', grammarKey: 'test', caller: noisyCall });
      // Started with the name's transform (the telephone one), then the noisy-line one.
      expect(recognizer.contextMllr.swaps).to.equal(2);
      expect(noisyCall.lineSnrDb).to.be.below(noisyLineSnrDbDefault);
      const heardNoisily = await recognize(noisyOnly, noisy,
        { context: 'name', grammarKey: 'test', caller: new CallerAcoustics() });
      expect(restarted.hypotheses.length).to.be.above(0);
      expect(restarted.hypotheses).to.deep.equal(heardNoisily.hypotheses);
      // A phone number streams too but keeps its own transform (POCKETSPHINX_MLLR, off) on any line.
      await recognize(recognizer, noisy, { context: 'phone', caller: new CallerAcoustics() });
      expect(recognizer.contextMllr.swaps).to.equal(3);
    } finally {
      await recognizer.close();
      await noisyOnly.close();
    }
  });

  it('takes an idle decoder that carries the transform the context wants, so alternating contexts do not swap',
    async () => {
      const recognizer = await PocketsphinxRecognizer.create({ poolSize: 2, mllr: 'off', numberMllr: 'telephone' });
      try {
        const [amount, vote] = [audio[0] ?? new Int16Array(0), audio[2] ?? new Int16Array(0)];
        // Two at once: two decoders, one of them swapped to the telephone transform.
        await Promise.all([recognize(recognizer, amount, { context: 'amount' }),
          recognize(recognizer, vote, { context: 'vote' })]);
        expect(recognizer.decoderCount).to.equal(2);
        expect(recognizer.contextMllr.swaps).to.equal(1);
        for (let round = 0; round < 3; round++) {
          await recognize(recognizer, amount, { context: 'amount' });
          await recognize(recognizer, vote, { context: 'vote' });
        }
        expect(recognizer.contextMllr.swaps).to.equal(1);
      } finally {
        await recognizer.close();
      }
    });
});
