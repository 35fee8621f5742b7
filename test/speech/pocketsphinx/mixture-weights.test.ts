import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readDensityCount, readSendump, SendumpFormatError, writeMixtureWeights,
} from '../../../src/speech/pocketsphinx/adaptation/mixture-weights.js';
import { debianModelDir } from '../../../src/speech/pocketsphinx/library.js';
import { PocketsphinxRecognizer } from '../../../src/speech/pocketsphinx/pocketsphinx-recognizer.js';
import { thrown } from '../../support/thrown.js';
import { recognize } from '../support/recognize.js';
import { concat, silence, telephoneSpeech } from '../support/telephone-tts.js';

const model = `${debianModelDir}/en-us`;

describe('sendump → mixture_weights (what sphinxtrain needs from Debian\'s en-us model)', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => { dir = await mkdtemp(join(tmpdir(), 'mixw-test-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads every senone\'s weights as probabilities that sum to one per stream, matching the bytes', async () => {
    const densities = await readDensityCount(join(model, 'means'));
    expect(densities).to.equal(128);
    const mixture = await readSendump(join(model, 'sendump'), densities);
    expect(mixture.senones).to.equal(5126);
    expect(mixture.streams).to.equal(3);
    for (let start = 0; start < mixture.weights.length; start += densities) {
      let sum = 0;
      for (let i = start; i < start + densities; i++) sum += mixture.weights[i] ?? 0;
      expect(sum).to.be.closeTo(1, 1e-4);
    }
    // Re-quantized the way the decoder does (-log base 1.0001, shifted by 10 bits), each weight gives back
    // its byte within one step (the renormalization moves logs by less than a step).
    const raw = await readFile(join(model, 'sendump'));
    const body = raw.length - 3 * densities * mixture.senones;
    const step = Math.log(1.0001) * 1024;
    for (const [stream, density, senone] of [[0, 0, 0], [1, 17, 2500], [2, 127, 5125], [0, 64, 1000]] as const) {
      const byte = raw[body + (stream * densities + density) * mixture.senones + senone] ?? -1;
      const weight = mixture.weights[(senone * 3 + stream) * densities + density] ?? 0;
      expect(Math.abs(-Math.log(weight) / step - byte)).to.be.below(1);
    }
  });

  it('writes mixture_weights with which pocketsphinx hears what it hears with the original sendump', async () => {
    const hmm = join(dir, 'model-mixw');
    const original = join(dir, 'model-sendump');
    for (const [target, files] of [[hmm, ['mdef', 'means', 'variances', 'transition_matrices', 'noisedict',
      'feat.params']], [original, ['mdef', 'means', 'variances', 'transition_matrices', 'noisedict', 'feat.params',
      'sendump']]] as const) {
      await mkdir(target);
      for (const file of files) await symlink(join(model, file), join(target, file));
    }
    const mixture = await readSendump(join(model, 'sendump'), 128);
    await writeMixtureWeights(join(hmm, 'mixture_weights'), mixture);
    const speech = concat(silence(400), await telephoneSpeech('four one two', 'flite-kal', dir), silence(900));
    const heard: string[] = [];
    for (const modelDir of [original, hmm]) {
      const recognizer = await PocketsphinxRecognizer.create({ poolSize: 1, modelDir, mllr: 'off' });
      try {
        const result = await recognize(recognizer, speech, { context: 'digits' });
        heard.push(result.hypotheses[0]?.text ?? '');
      } finally {
        await recognizer.close();
      }
    }
    expect(heard).to.deep.equal(['four one two', 'four one two']);
  });

  it('refuses a file that is not an unclustered sendump with a clear error', async () => {
    const junk = join(dir, 'junk');
    await writeFile(junk, Buffer.from([3, 0, 0, 0, 65, 66, 0, 0, 0, 0, 0, 128, 0, 0, 0, 2, 0, 0, 0, 1]));
    const error = await thrown(() => readSendump(junk, 128));
    expect(error).to.be.instanceOf(SendumpFormatError);
    expect((error as Error).message).to.match(/junk is not a pocketsphinx sendump/);
    const truncated = join(dir, 'truncated');
    await writeFile(truncated, (await readFile(join(model, 'sendump'))).subarray(0, 100_000));
    expect(((await thrown(() => readSendump(truncated, 128))) as Error).message).to.match(/does not match/);
  });
});
